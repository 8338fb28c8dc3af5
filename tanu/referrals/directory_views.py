"""Pages of the service directory. It holds no personal data: every signed-in role may read it;
administrators and coordinators may import it (others get 404)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import Region
from tanu.lib.pagination import CappedPaginator
from tanu.referrals import access, directory
from tanu.referrals.models import Service

PAGE_SIZE = 25


class ServiceSearchForm(forms.Form):
    q = forms.CharField(label=_("name or address"), required=False, max_length=200)
    region = forms.ModelChoiceField(
        label=_("region"), queryset=Region.objects.all(), required=False, empty_label=_("all")
    )
    kind = forms.ChoiceField(
        label=_("type"), choices=[("", _("all")), *Service.Kind.choices], required=False
    )
    accepts = forms.ChoiceField(
        label=_("accepts"), choices=[("", _("anyone")), *directory.ACCEPTS_CHOICES], required=False
    )
    inactive = forms.BooleanField(label=_("include services no longer active"), required=False)


class ServiceImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, with the header row as in the export. At most 5 MB and 5,000 services. "
            "If any row has a problem, nothing is imported."
        ),
    )


def _filtered(request: HttpRequest) -> tuple[ServiceSearchForm, QuerySet[Service]]:
    form = ServiceSearchForm(request.GET or None)
    qs = Service.objects.select_related("region", "agency").order_by("region__name_en", "name_en")
    if not form.is_bound:
        return form, qs.filter(is_active=True)
    if not form.is_valid():
        return form, qs.none()
    data = form.cleaned_data
    if not data["inactive"]:
        qs = qs.filter(is_active=True)
    region = data["region"]
    qs = directory.search_services(
        qs,
        text=data["q"],
        region=region.pk if region else None,
        kind=data["kind"],
        accepts=data["accepts"],
    )
    return form, qs


@login_required
@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/directory_list.html",
        {"form": form, "page": page, "may_import": access.may_import_services(_user(request))},
    )


@login_required
@require_GET
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("region", "agency"), pk=pk)
    languages = [directory.LANGUAGE_NAMES.get(code, code) for code in service.language_list()]
    accepts = [
        label for key, label in directory.ACCEPTS_CHOICES if getattr(service, f"accepts_{key}")
    ]
    forms_ = [directory.FORM_NAMES[f] for f in directory.FORMS if f in service.forms.split(",")]
    return render(
        request,
        "referrals/directory_detail.html",
        {"service": service, "languages": languages, "accepts": accepts, "forms": forms_},
    )


@login_required
@require_GET
def service_export(request: HttpRequest) -> HttpResponse:
    """The directory as CSV, with the list's filters; a byte-order mark lets spreadsheets see
    UTF-8."""
    _form, qs = _filtered(request)
    text = directory.export_services_csv(qs.order_by("region__code", "name_en"))
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="tanu-services-{day}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def service_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.may_import_services(user):
        raise Http404
    form = ServiceImportForm(request.POST or None, request.FILES or None)
    result: directory.ImportResult | None = None
    file_error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Read one byte more than allowed: decode_csv_bytes refuses anything larger.
            text = directory.decode_csv_bytes(upload.read(directory.MAX_BYTES + 1))
            result = directory.import_services_csv(text, actor=user, request=request)
        except directory.ServiceImportError as exc:
            file_error = str(exc)
    failed = request.method == "POST" and (
        bool(file_error) or not form.is_valid() or (result is not None and not result.ok)
    )
    return render(
        request,
        "referrals/directory_import.html",
        {
            "form": form,
            "result": result,
            "file_error": file_error,
            "columns": directory.COLUMNS,
            "languages": directory.LANGUAGE_CODES,
            "kinds": Service.Kind.values,
            "forms": directory.FORMS,
        },
        status=400 if failed else 200,
    )
