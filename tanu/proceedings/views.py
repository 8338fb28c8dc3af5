"""Criminal proceedings pages. Thin views: access helper, form, named action, redirect.

Every denied access is an audited 404 (tanu.proceedings.access); every page that shows a
proceeding records a read; every write is a POST to its own URL and goes back to the
proceeding's page, with the action's message when a rule was broken."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import Role, User
from tanu.audit.actions import record, record_read
from tanu.audit.denied import raise_denied
from tanu.audit.models import Action, ObjectType
from tanu.cases.access import full_access_filter
from tanu.cases.models import Case
from tanu.lib.pagination import CappedPaginator
from tanu.lib.revisions import ConflictError
from tanu.proceedings import access, actions, forms
from tanu.proceedings.models import (
    Article,
    Hearing,
    Proceeding,
    ProtectionMeasure,
    SuspectCount,
)

DETAIL_READ = [
    "erdr_number",
    "registered_on",
    "articles",
    "stage",
    "person_status",
    "cooperates",
    "protection_measures",
    "suspects",
    "hearings",
    "result",
]


def _errors(form: BaseForm) -> str:
    return "; ".join(str(e) for errs in form.errors.values() for e in errs)


def _correct(request: HttpRequest, form: BaseForm) -> None:
    messages.error(request, _("Please correct the details: %(errors)s") % {"errors": _errors(form)})


def _back(proceeding: Proceeding) -> HttpResponse:
    return redirect("proceedings:proceeding", pk=proceeding.pk)


def _write(
    request: HttpRequest,
    proceeding: Proceeding,
    form: BaseForm | None,
    apply: Callable[[], object],
    done: str,
) -> HttpResponse:
    """A write posted from the proceeding's page: the form checked (when there is one), the
    action applied, its message or ``done`` shown, back to the page."""
    if form is not None and not form.is_valid():
        _correct(request, form)
        return _back(proceeding)
    try:
        apply()
    except (actions.ProceedingError, ConflictError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return _back(proceeding)


def _record_read(
    request: HttpRequest, user: User, proceeding: Proceeding, fields: list[str]
) -> None:
    record_read(
        ObjectType.PROCEEDING,
        proceeding.pk,
        actor=user,
        fields=fields,
        request=request,
        region_id=proceeding.case.region_id,
    )


def _may_list(user: User) -> bool:
    """Investigators, and the officials who may read cases (owners, coordinators)."""
    return access.is_investigator(user) or full_access_filter(user) is not None


# The list and registration


@login_required
@require_GET
def proceeding_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _may_list(user):
        raise Http404
    qs = access.visible_proceedings(user).prefetch_related("articles")
    case: Case | None = None
    wanted = request.GET.get("case", "")
    if wanted:
        if not (wanted.isdigit() and len(wanted) <= 18):
            raise Http404
        qs = qs.filter(case_id=int(wanted))
        case = Case.objects.filter(pk=int(wanted)).first() if qs.exists() else None
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "proceedings/proceeding_list.html",
        {
            "page": page,
            "case": case,
            "filtered": bool(wanted),
            "can_register": access.is_investigator(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proceeding_register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.is_investigator(user):
        raise Http404
    initial = {"registered_on": timezone.localdate(), "person_status": "victim"}
    form = forms.RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["case_number"]
        try:
            case = access.get_registrable_case(user, number)
        except Http404:
            # The number of a case not referred to the agency tells nothing; the lookup is
            # audited as a denied access, the form says the number is not one of theirs.
            record(
                Action.DENIED,
                actor=user,
                object_type=ObjectType.CASE,
                object_id=number[:64],
                request=request,
            )
            form.add_error(
                "case_number", _("No case with this number was referred to your agency.")
            )
        else:
            try:
                proceeding = actions.do_register_proceeding(
                    actor=user,
                    case=case,
                    erdr_number=form.cleaned_data["erdr_number"],
                    registered_on=form.cleaned_data["registered_on"],
                    articles=form.cleaned_data["articles"],
                    person_status=form.cleaned_data["person_status"],
                    cooperates=form.cooperation(),
                    request=request,
                )
            except actions.ProceedingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The proceeding is registered."))
                return _back(proceeding)
    return render(
        request,
        "proceedings/proceeding_register.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# One proceeding


@login_required
@require_GET
def proceeding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    proceeding = access.get_proceeding_for_user(user, pk)
    editor = access.edits(user, proceeding)
    notes = access.sees_hearing_notes(user, proceeding)
    _record_read(request, user, proceeding, [*DETAIL_READ, *(["hearing_notes"] if notes else [])])
    today = timezone.localdate()
    suspects = list(proceeding.suspects.all())
    context: dict[str, Any] = {
        "proceeding": proceeding,
        "articles": proceeding.articles.all(),
        "stages": _stage_dates(proceeding),
        "suspects": suspects,
        "suspect_totals": _suspect_totals(suspects),
        "measures": list(proceeding.protection_measures.all()),
        "hearings": list(proceeding.hearings.all()),
        "sees_notes": notes,
        "editor": editor,
        "now": timezone.now(),
        "today": today,
    }
    if editor:
        revision = {"revision": proceeding.revision}
        if proceeding.stage != Proceeding.Stage.CLOSED:
            context["stage_form"] = forms.StageForm(
                proceeding=proceeding, initial={**revision, "on": today}
            )
        context["protection_form"] = forms.ProtectionForm(initial={"starts_on": today})
        context["end_form"] = forms.EndProtectionForm(initial={"ends_on": today})
        if proceeding.stage not in (Proceeding.Stage.PRE_TRIAL, Proceeding.Stage.CLOSED):
            context["hearing_form"] = forms.HearingForm()
    return render(request, "proceedings/proceeding_detail.html", context)


def _stage_dates(proceeding: Proceeding) -> list[tuple[str, Any, bool]]:
    """Each stage with its date (None when not reached) and whether it is the current one."""
    rows: list[tuple[str, Any, bool]] = [
        (
            str(Proceeding.Stage.PRE_TRIAL.label),
            proceeding.registered_on,
            proceeding.stage == Proceeding.Stage.PRE_TRIAL,
        )
    ]
    for stage, field in actions.STAGE_DATES.items():
        day = getattr(proceeding, field)
        if stage == Proceeding.Stage.CLOSED and day is None:
            continue
        rows.append((str(Proceeding.Stage(stage).label), day, proceeding.stage == stage))
    return rows


def _suspect_totals(suspects: list[SuspectCount]) -> dict[str, int]:
    totals = {"suspect": 0, "accused": 0}
    for row in suspects:
        totals[row.standing] = totals.get(row.standing, 0) + row.count
    return totals


@login_required
@require_http_methods(["GET", "POST"])
def proceeding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    proceeding = access.get_editable_proceeding(user, pk)
    current = list(proceeding.articles.values_list("pk", flat=True))
    initial = {
        "erdr_number": proceeding.erdr_number,
        "registered_on": proceeding.registered_on,
        "articles": current,
        "person_status": proceeding.person_status,
        "cooperates": forms.cooperation_value(proceeding.cooperates),
        "compensation_claimed": proceeding.compensation_claimed,
        "compensation_paid": proceeding.compensation_paid,
        "revision": proceeding.revision,
    }
    form = forms.DetailsForm(request.POST or None, initial=initial, proceeding=proceeding)
    if request.method == "GET":
        _record_read(request, user, proceeding, [*actions.DETAIL_FIELDS, "articles"])
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["articles"])
        # Unchanged articles are not sent: one taken out of use since stays without a word.
        unchanged = {a.pk for a in chosen} == set(current)
        try:
            actions.do_update_proceeding(
                proceeding,
                actor=user,
                data=form.details(),
                articles=None if unchanged else chosen,
                expected_revision=form.expected_revision(),
                request=request,
            )
        except ConflictError as exc:
            messages.error(request, str(exc))
            return _back(proceeding)
        except actions.ProceedingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The proceeding is saved."))
            return _back(proceeding)
    return render(
        request,
        "proceedings/proceeding_edit.html",
        {"form": form, "proceeding": proceeding},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def proceeding_stage(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    proceeding = access.get_editable_proceeding(user, pk)
    if proceeding.stage == Proceeding.Stage.CLOSED:
        messages.error(request, _("A closed proceeding does not change stage."))
        return _back(proceeding)
    form = forms.StageForm(request.POST, proceeding=proceeding)
    return _write(
        request,
        proceeding,
        form,
        lambda: actions.do_move_stage(
            proceeding,
            actor=user,
            stage=form.cleaned_data["stage"],
            on=form.cleaned_data["on"],
            outcome=form.outcome(),
            closing_reason=form.cleaned_data.get("closing_reason") or "",
            expected_revision=form.expected_revision(),
            request=request,
        ),
        _("The stage is recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def proceeding_suspects(request: HttpRequest, pk: int) -> HttpResponse:
    """The suspects and accused, counted by standing, role, sex and citizenship."""
    user = _user(request)
    proceeding = access.get_editable_proceeding(user, pk)
    current = [
        {
            "standing": s.standing,
            "role": s.role,
            "sex": s.sex,
            "citizenship": s.citizenship,
            "count": s.count,
        }
        for s in proceeding.suspects.all()
    ]
    revision_form = forms.RevisionForm(
        request.POST or None, initial={"revision": proceeding.revision}
    )
    formset = forms.SuspectFormSet(request.POST or None, initial=current, prefix="s")
    if request.method == "GET":
        _record_read(request, user, proceeding, ["suspects"])
    if request.method == "POST":
        # A missing or tampered management form makes the formset invalid (Django says so).
        if revision_form.is_valid() and formset.is_valid():
            rows = [r for f in formset.forms if (r := f.row()) is not None]
            try:
                actions.do_set_suspects(
                    proceeding,
                    actor=user,
                    rows=rows,
                    expected_revision=revision_form.expected_revision(),
                    request=request,
                )
            except ConflictError as exc:
                messages.error(request, str(exc))
                return _back(proceeding)
            except actions.ProceedingError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The suspects and accused are saved."))
                return _back(proceeding)
        elif not revision_form.is_valid() or not formset.management_form.is_valid():
            messages.error(request, _("The form was incomplete: please try again."))
            return redirect("proceedings:suspects", pk=proceeding.pk)
        else:
            messages.error(request, _("Please correct the rows marked below."))
    return render(
        request,
        "proceedings/proceeding_suspects.html",
        {"formset": formset, "revision_form": revision_form, "proceeding": proceeding},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def protection_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    proceeding = access.get_editable_proceeding(user, pk)
    form = forms.ProtectionForm(request.POST)
    return _write(
        request,
        proceeding,
        form,
        lambda: actions.do_add_protection(
            proceeding,
            actor=user,
            kind=form.cleaned_data["kind"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data.get("ends_on"),
            request=request,
        ),
        _("The protection measure is added."),
    )


@login_required
@require_POST
def protection_end(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    user = _user(request)
    proceeding = access.get_editable_proceeding(user, pk)
    measure = ProtectionMeasure.objects.filter(proceeding=proceeding, pk=measure_pk).first()
    if measure is None:
        raise_denied(ObjectType.PROCEEDING, f"{pk}/protection/{measure_pk}")
    measure.proceeding = proceeding
    form = forms.EndProtectionForm(request.POST)
    return _write(
        request,
        proceeding,
        form,
        lambda: actions.do_end_protection(
            measure, actor=user, ends_on=form.cleaned_data["ends_on"], request=request
        ),
        _("The end of the measure is recorded."),
    )


@login_required
@require_POST
def hearing_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    proceeding = access.get_editable_proceeding(user, pk)
    form = forms.HearingForm(request.POST)
    return _write(
        request,
        proceeding,
        form,
        lambda: actions.do_schedule_hearing(
            proceeding,
            actor=user,
            starts_at=form.cleaned_data["starts_at"],
            place=form.cleaned_data["place"],
            note=form.cleaned_data.get("note") or "",
            request=request,
        ),
        _("The hearing is scheduled."),
    )


@login_required
@require_POST
def hearing_cancel(request: HttpRequest, pk: int, hearing_pk: int) -> HttpResponse:
    user = _user(request)
    proceeding = access.get_editable_proceeding(user, pk)
    hearing = Hearing.objects.filter(proceeding=proceeding, pk=hearing_pk).first()
    if hearing is None:
        raise_denied(ObjectType.HEARING, hearing_pk)
    hearing.proceeding = proceeding
    return _write(
        request,
        proceeding,
        None,
        lambda: actions.do_cancel_hearing(hearing, actor=user, request=request),
        _("The hearing is cancelled."),
    )


# Criminal Code articles (administrators)


def _keeps_articles(user: User) -> bool:
    return user.is_active and (
        user.role in (Role.ADMINISTRATOR, Role.NATIONAL_ADMIN) or user.is_superuser
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _keeps_articles(user):
        raise Http404
    initial: dict[str, Any] = {"is_active": True}
    chosen = request.GET.get("article", "")
    if chosen.isdigit() and len(chosen) <= 18:
        article = Article.objects.filter(pk=int(chosen)).first()
        if article is not None:
            initial = {
                "number": article.number,
                "name_kk": article.name_kk,
                "name_ru": article.name_ru,
                "name_en": article.name_en,
                "is_active": article.is_active,
            }
    form = forms.ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_article(
                actor=user,
                number=form.cleaned_data["number"],
                names=form.names(),
                is_active=form.cleaned_data["is_active"],
                request=request,
            )
        except actions.ProceedingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The article is saved."))
            return redirect("proceedings:articles")
    return render(
        request,
        "proceedings/article_list.html",
        {"form": form, "articles": Article.objects.all(), "editing": bool(initial.get("number"))},
        status=400 if request.method == "POST" else 200,
    )
