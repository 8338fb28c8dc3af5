"""Statistics pages and downloads. Thin views: access helper → filters → statistics → page.

Analysts see every region, coordinators their own; everyone else gets 404. Every figure is
protected (tanu.reports.suppression); downloads of figures are audited as exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tanu.accounts.access import current_user as _user
from tanu.audit.actions import record
from tanu.audit.models import Action, ObjectType
from tanu.lib import charts
from tanu.reports import downloads, jobs, period, stats
from tanu.reports.access import Scope, stats_scope
from tanu.reports.filters import FilterError, Filters, parse_filters, regions_for
from tanu.reports.models import ExportJob

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


def _attachment(content: bytes, filename: str, kind: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _bad_filters(request: HttpRequest, error: FilterError) -> HttpResponse:
    return HttpResponse(
        _("The filters are not valid: %(errors)s") % {"errors": str(error)},
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _filters(request: HttpRequest) -> tuple[Scope, Filters]:
    scope = stats_scope(request.user)
    filters, _form = parse_filters(request.GET, scope)
    return scope, filters


def _audit_download(request: HttpRequest, what: str, filters: Filters) -> None:
    record(
        Action.EXPORT,
        actor=_user(request),
        object_type=ObjectType.STATISTICS,
        object_id=what[:64],
        reason=filters.query_string()[:500],
        request=request,
    )


def _with_chart(table: stats.PublishedTable) -> dict[str, Any]:
    svg = charts.published_bar_chart(table.name, table.title, table.chart_points())
    return {"table": table, "chart": mark_safe(svg)}  # noqa: S308 (escaped by charts)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = stats_scope(request.user)
    regions = regions_for(scope)
    try:
        filters, form = parse_filters(request.GET, scope, regions)
    except FilterError as error:
        return render(
            request,
            "reports/dashboard.html",
            {"form": error.form, "scope": scope, "invalid": True},
            status=400,
        )
    data = stats.overview(filters)
    today = timezone.localdate()
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "scope": scope,
            "filters": filters,
            "query": filters.query_string(),
            "data": data,
            "sections": [_with_chart(t) for t in data.tables],
            "optional": [_with_chart(t) for t in data.optional],
            "proceedings": [
                _with_chart(t) if t.name not in stats.SUMMARY_TABLES else {"table": t}
                for t in data.proceedings
            ],
            "timings": stats.timings_table(data.timings),
            "pdf_year": filters.year or today.year,
            "pdf_quarter": ((filters.month_from or today.month) - 1) // 3 + 1,
            "language": (get_language() or "ru")[:2],
            "min_summary": 2 * data.threshold,
        },
    )


@login_required
@require_GET
def indicators_panel(request: HttpRequest) -> HttpResponse:
    try:
        _scope, filters = _filters(request)
    except FilterError as error:
        return _bad_filters(request, error)
    table = stats.indicators(filters)
    template = "reports/_indicators.html" if request.htmx else "reports/indicators.html"  # type: ignore[attr-defined]
    return render(request, template, {**_with_chart(table), "query": filters.query_string()})


def _table_or_404(filters: Filters, name: str) -> stats.PublishedTable:
    if name not in stats.TABLE_NAMES:
        raise Http404
    table = stats.table_by_name(filters, name)
    if table is None:
        raise Http404
    return table


@login_required
@require_GET
def chart_download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    try:
        _scope, filters = _filters(request)
    except FilterError as error:
        return _bad_filters(request, error)
    table = _table_or_404(filters, name)
    _audit_download(request, f"chart:{name}.{fmt}", filters)
    if fmt == "svg":
        svg = charts.published_bar_chart(
            table.name, table.title, table.chart_points(), standalone=True
        )
        return _attachment(svg.encode("utf-8"), f"tanu-{name}.svg", "svg")
    value_label = table.unit if table.multi else (table.columns[0] if table.columns else table.unit)
    content = downloads.points_csv(table.dimension, table.chart_points(), value_label)
    return _attachment(content, f"tanu-{name}-chart.csv", "csv")


@login_required
@require_GET
def table_download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    try:
        _scope, filters = _filters(request)
    except FilterError as error:
        return _bad_filters(request, error)
    table = _table_or_404(filters, name)
    _audit_download(request, f"table:{name}.{fmt}", filters)
    note = " ".join(part for part in (str(stats.PROTECTION_NOTE), table.note) if part)
    if fmt == "xlsx":
        return _attachment(
            downloads.tables_xlsx([table], filters, note), f"tanu-{name}.xlsx", "xlsx"
        )
    return _attachment(downloads.table_csv(table, filters, note), f"tanu-{name}.csv", "csv")


@login_required
@require_GET
def workbook_download(request: HttpRequest) -> HttpResponse:
    try:
        _scope, filters = _filters(request)
    except FilterError as error:
        return _bad_filters(request, error)
    data = stats.overview(filters)
    tables = [
        *data.tables,
        stats.timings_table(data.timings),
        stats.indicators(filters),
        *data.optional,
        *data.proceedings,
    ]
    _audit_download(request, "tables.xlsx", filters)
    content = downloads.tables_xlsx(tables, filters, data.note)
    return _attachment(content, f"tanu-statistics-{timezone.localdate():%Y%m%d}.xlsx", "xlsx")


def _int(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


@login_required
@require_GET
def quarterly_pdf(request: HttpRequest) -> HttpResponse:
    try:
        _scope, filters = _filters(request)
    except FilterError as error:
        return _bad_filters(request, error)
    today = timezone.localdate()
    year = _int(request.GET.get("year") or str(today.year), 2000, 2100)
    quarter = _int(request.GET.get("quarter") or str((today.month - 1) // 3 + 1), 1, 4)
    lang = request.GET.get("lang") or (get_language() or "ru")[:2]
    if year is None or quarter is None or lang not in period.LANGUAGES:
        return HttpResponse(
            _("Give a year (2000 to 2100), a quarter (1 to 4) and a language (kk, ru or en)."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    _audit_download(request, f"quarterly:{year}Q{quarter}.{lang}", filters)
    content = period.render(filters, year, quarter, lang)
    return _attachment(content, f"tanu-statistics-{year}-Q{quarter}-{lang}.pdf", "pdf")


# ---------------------------------------------------------------------------------------------
# Anonymised exports, in the background


@login_required
@require_http_methods(["GET", "POST"])
def exports(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scope = stats_scope(user)
    if request.method == "POST":
        k = _int(request.POST.get("k"), -(10**6), 10**6)
        if k is not None and k < jobs.MIN_K:
            messages.error(request, jobs.too_small_k_message())
            return redirect("reports:exports")
        if k is None or k > jobs.MAX_K:
            messages.error(
                request,
                _("k must be between %(min)s and %(max)s.")
                % {"min": jobs.MIN_K, "max": jobs.MAX_K},
            )
            return redirect("reports:exports")
        try:
            job = jobs.do_request_export(actor=user, scope=scope, k=k, request=request)
        except jobs.ExportError as exc:
            messages.error(request, str(exc))
            return redirect("reports:exports")
        jobs.start(job)
        return redirect("reports:export", pk=job.pk)
    own = ExportJob.objects.filter(requested_by=user).order_by("-created_at")[:20]
    return render(
        request,
        "reports/exports.html",
        {
            "jobs": own,
            "scope": scope,
            "default_k": jobs.MIN_K,
            "min_k": jobs.MIN_K,
            "max_k": jobs.MAX_K,
        },
    )


@login_required
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.get_job_for_user(_user(request), pk)
    return render(request, "reports/export_detail.html", {"job": job})


@login_required
@require_GET
def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.get_job_for_user(_user(request), pk)
    return render(request, "reports/_export_progress.html", {"job": job})


@login_required
@require_POST
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    job = jobs.get_job_for_user(user, pk)
    try:
        filename, content = jobs.do_download_export(job, actor=user, request=request)
    except jobs.ExportError as exc:
        messages.error(request, str(exc))
        return redirect("reports:export", pk=job.pk)
    return _attachment(content, filename, "zip")
