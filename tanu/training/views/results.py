"""Training results, for those who may see them: mean scores by seminar, region and role, the
indicators missed most often, surveys, item statistics, and their CSV files."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from tanu.accounts.access import current_user as _user
from tanu.audit.actions import record
from tanu.audit.models import Action, ObjectType
from tanu.lib import charts
from tanu.training import access, forms, results


def _results_scope(request: HttpRequest) -> tuple[Any, forms.ResultsFilterForm, dict[str, Any]]:
    user = _user(request)
    access.require(access.can_see_results(user))
    seminars = access.results_seminars(user)
    form = forms.ResultsFilterForm(request.GET or None, seminars=seminars)
    # Seminars by their city in the reader's language and their first day, as in the tables.
    seminar_field = form.fields["seminar"]
    seminar_field.label_from_instance = results.seminar_label  # type: ignore[attr-defined]
    return seminars, form, form.filters() if request.GET else {}


SERIES_KEYS = ("pre", "post", "retest")


def _series_labels() -> list[str]:
    return [_("Pre-test"), _("Post-test"), _("Retest")]


def _summary_chart(title: str, rows: list[Any], chart_id: str) -> Any:
    groups = [
        charts.Group(
            row.label,
            [row.pre, row.post, row.retest],
            note=_("gain %(g)s") % {"g": floatformat(row.gain, 2)} if row.gain is not None else "",
        )
        for row in rows
    ]
    return charts.bar_chart(
        title, _series_labels(), groups, chart_id=chart_id, empty_text=_("No results yet.")
    )


@login_required
@require_GET
def results_page(request: HttpRequest) -> HttpResponse:
    seminars, form, filters = _results_scope(request)
    summary = results.summaries(seminars, filters)
    missed = results.missed_indicators(seminars, filters)
    surveys = results.survey_means(seminars, filters)
    query = request.GET.urlencode()
    return render(
        request,
        "training/results.html",
        {
            "form": form,
            "summary": summary,
            "query": query,
            "tables": [
                ("by_seminar", _("By seminar"), summary.by_seminar),
                ("by_region", _("By region"), summary.by_region),
                ("by_role", _("By role"), summary.by_role),
            ],
            "charts": {
                "by_seminar": _summary_chart(
                    _("Mean scores by seminar"), summary.by_seminar, "c-seminar"
                ),
                "by_region": _summary_chart(
                    _("Mean scores by region"), summary.by_region, "c-region"
                ),
                "by_role": _summary_chart(_("Mean scores by role"), summary.by_role, "c-role"),
                "missed": charts.bar_chart(
                    _("Indicators missed most often in exercises"),
                    [_("Missed")],
                    [charts.Group(f"{r.code} {r.label}", [100 * r.rate]) for r in missed],
                    chart_id="c-missed",
                    empty_text=_("No exercises done yet."),
                ),
            },
            "missed": missed,
            "surveys": surveys,
        },
    )


@login_required
@require_GET
def items_page(request: HttpRequest) -> HttpResponse:
    seminars, form, filters = _results_scope(request)
    rows = results.items(seminars, filters)
    flag_labels = {
        "too_hard": _("too hard"),
        "too_easy": _("too easy"),
        "low_discrimination": _("does not discriminate"),
    }
    chart = charts.bar_chart(
        _("Facility index by question"),
        [pgettext("item analysis: share who answered right", "Facility")],
        [
            charts.Group(
                f"Q{r.question.pk}",
                [100 * r.stats.facility if r.stats.facility is not None else None],
                note=("⚑ " + ", ".join(str(flag_labels[f]) for f in r.stats.flags))
                if r.stats.flags
                else "",
            )
            for r in rows
        ],
        chart_id="c-items",
        empty_text=_("No submitted tests yet."),
    )
    return render(
        request,
        "training/items.html",
        {
            "form": form,
            "rows": rows,
            "chart": chart,
            "flag_labels": flag_labels,
            "query": request.GET.urlencode(),
            "can_edit": access.can_manage(_user(request)),
        },
    )


def _fmt(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _summary_row(g: Any) -> list[object]:
    return [
        g.label,
        g.participants,
        g.n_pre,
        _fmt(g.pre),
        g.n_post,
        _fmt(g.post),
        g.n_retest,
        _fmt(g.retest),
        g.n_gain,
        _fmt(g.gain),
        _fmt(g.retained_gain),
    ]


@login_required
@require_GET
def results_csv(request: HttpRequest, name: str) -> HttpResponse:
    seminars, _form, filters = _results_scope(request)
    header: list[str]
    rows: list[list[object]]
    if name in ("by_seminar", "by_region", "by_role"):
        summary = results.summaries(seminars, filters)
        groups = getattr(summary, name)
        header = [
            "group",
            "participants",
            "n_pre",
            "mean_pre",
            "n_post",
            "mean_post",
            "n_retest",
            "mean_retest",
            "n_pre_and_post",
            "normalised_gain",
            "retained_gain",
        ]
        rows = [_summary_row(g) for g in groups]
    elif name == "items":
        header = ["question", "n", "facility", "discrimination", "flags", "text"]
        rows = [
            [
                r.question.pk,
                r.stats.n,
                _fmt(r.stats.facility),
                _fmt(r.stats.discrimination),
                " ".join(r.stats.flags),
                r.question.text,
            ]
            for r in results.items(seminars, filters)
        ]
    elif name == "missed":
        header = ["indicator", "label", "missed", "in_key", "miss_rate"]
        rows = [
            [r.code, r.label, r.missed, r.seen, _fmt(r.rate)]
            for r in results.missed_indicators(seminars, filters, limit=1000)
        ]
    elif name == "surveys":
        header = ["survey", "question", "mean", "n", "scale"]
        rows = [
            [r.kind, r.key, _fmt(r.mean), r.n, r.scale]
            for r in results.survey_means(seminars, filters)
        ]
    else:
        raise Http404
    record(
        Action.EXPORT,
        actor=_user(request),
        object_type=ObjectType.TRAINING_RESULTS,
        object_id=name,
        request=request,
    )
    return charts.csv_response(
        f"tanu-training-{name}.csv",
        header,
        rows,
        notes=[
            [_("note"), str(charts.ROUNDING_NOTE)],
            [_("generated"), charts.local_timestamp()],
        ],
    )
