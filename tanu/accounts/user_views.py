"""The administrators' pages: users, their invitations, role and agency, second factor and
whether the account is active; agencies with their regions and the regions' coordinators.

Every change runs a named action (tanu.accounts.actions), audited; a role that sees personal data
waits for a second administrator. Anyone who is not an administrator gets an audited 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tanu.accounts import actions
from tanu.accounts.access import (
    current_user,
    get_managed_agency,
    get_managed_user,
    get_role_request_for_user,
    managed_users,
    require_administrator,
)
from tanu.accounts.forms import (
    AgencyEditForm,
    AgencyForm,
    NewUserForm,
    RoleForm,
    UserSearchForm,
)
from tanu.accounts.models import Agency, Region, Role, RoleChangeRequest, User
from tanu.audit.models import ObjectType


def _administrator(request: HttpRequest, object_type: ObjectType = ObjectType.USER) -> User:
    user = current_user(request)
    require_administrator(user, object_type, "list")
    return user


def _pending() -> Any:
    return RoleChangeRequest.objects.filter(status=RoleChangeRequest.Status.PENDING).select_related(
        "user", "requested_by"
    )


@login_required
@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponse:
    admin = _administrator(request)
    form = UserSearchForm(request.GET or None)
    users = managed_users(admin).order_by("username")
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
    if query:
        # SQLite folds the case of Latin letters only: Cyrillic names are tried as typed, in
        # lower case and capitalised.
        matches = Q()
        for variant in {query, query.lower(), query.capitalize(), query.upper()}:
            for field in ("username", "first_name", "last_name", "email"):
                matches |= Q(**{f"{field}__icontains": variant})
        users = users.filter(matches)
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/users/list.html",
        {"form": form, "page": page, "query": query, "pending": _pending(), "me": admin},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_new(request: HttpRequest) -> HttpResponse:
    admin = _administrator(request)
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            official, pending = actions.do_create_user(
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                agency=data["agency"],
                role=data["role"],
                actor=admin,
                request=request,
            )
        except actions.AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The account was made and the invitation was sent to %(email)s.")
                % {"email": official.email},
            )
            if pending is not None:
                messages.info(
                    request,
                    _("The role change is waiting for a second administrator to approve it."),
                )
            return redirect("accounts:user", official.pk)
    return render(
        request,
        "accounts/users/new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _user_page(
    request: HttpRequest, admin: User, official: User, error: str = "", status: int = 200
) -> HttpResponse:
    has_mfa = official.authenticatordevice_set.filter(confirmed=True).exists()
    return render(
        request,
        "accounts/users/detail.html",
        {
            "official": official,
            "is_me": official.pk == admin.pk,
            "role_form": RoleForm(initial={"role": official.role}),
            "agency_form": AgencyForm(initial={"agency": official.agency_id}),
            "pending": _pending().filter(user=official),
            "has_mfa": has_mfa,
            "error": error,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _administrator(request)
    return _user_page(request, admin, get_managed_user(admin, pk))


def _run(
    request: HttpRequest,
    pk: int,
    run: Callable[[User, User], str],
) -> HttpResponse:
    """POST a change to one official: the action's message on success, or the user's page
    again with the reason (400), nothing changed."""
    admin = _administrator(request)
    official = get_managed_user(admin, pk)
    try:
        done = run(official, admin)
    except actions.AccountError as exc:
        return _user_page(request, admin, official, str(exc), status=400)
    messages.success(request, done)
    return redirect("accounts:user", official.pk)


@login_required
@require_POST
def user_role(request: HttpRequest, pk: int) -> HttpResponse:
    form = RoleForm(request.POST)

    def run(official: User, admin: User) -> str:
        if not form.is_valid():
            raise actions.AccountError(_("Choose one of the roles."))
        pending = actions.do_change_role(
            official, form.cleaned_data["role"], actor=admin, request=request
        )
        if pending is not None:
            return _("The role change is waiting for a second administrator to approve it.")
        return _("The role was changed.")

    return _run(request, pk, run)


@login_required
@require_POST
def user_agency(request: HttpRequest, pk: int) -> HttpResponse:
    form = AgencyForm(request.POST)

    def run(official: User, admin: User) -> str:
        if not form.is_valid():
            raise actions.AccountError(_("Choose one of the agencies."))
        actions.do_change_agency(
            official, form.cleaned_data["agency"], actor=admin, request=request
        )
        return _("The agency was changed.")

    return _run(request, pk, run)


def _refuse_self(official: User, admin: User) -> None:
    if official.pk == admin.pk:
        raise actions.AccountError(_("Ask another administrator to change your own account."))


@login_required
@require_POST
def user_disable(request: HttpRequest, pk: int) -> HttpResponse:
    def run(official: User, admin: User) -> str:
        _refuse_self(official, admin)
        if not official.is_active:
            raise actions.AccountError(_("The account is already disabled."))
        actions.do_disable_user(official, actor=admin, request=request)
        return _("The account was disabled.")

    return _run(request, pk, run)


@login_required
@require_POST
def user_enable(request: HttpRequest, pk: int) -> HttpResponse:
    def run(official: User, admin: User) -> str:
        _refuse_self(official, admin)
        if official.is_active:
            raise actions.AccountError(_("The account is already enabled."))
        actions.do_enable_user(official, actor=admin, request=request)
        return _("The account was enabled.")

    return _run(request, pk, run)


@login_required
@require_POST
def user_reset_mfa(request: HttpRequest, pk: int) -> HttpResponse:
    def run(official: User, admin: User) -> str:
        _refuse_self(official, admin)
        actions.do_reset_mfa(official, actor=admin, request=request)
        return _("Two-factor authentication was reset.")

    return _run(request, pk, run)


@login_required
@require_POST
def user_invite(request: HttpRequest, pk: int) -> HttpResponse:
    def run(official: User, admin: User) -> str:
        actions.do_send_invitation(official, actor=admin, request=request)
        return _("The invitation was sent to %(email)s.") % {"email": official.email}

    return _run(request, pk, run)


@login_required
@require_POST
def role_request_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    admin = current_user(request)
    row = get_role_request_for_user(admin, pk)
    run = actions.do_approve_role_change if decision == "approve" else actions.do_reject_role_change
    try:
        run(row, actor=admin, request=request)
    except actions.AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The request was approved.")
            if decision == "approve"
            else _("The request was rejected."),
        )
    return redirect("accounts:users")


# --- agencies and regions -------------------------------------------------------------------


def _coordinators_by_region() -> dict[int, list[User]]:
    found: dict[int, list[User]] = {}
    for user in User.objects.filter(
        role=Role.COORDINATOR, is_active=True, agency__isnull=False
    ).select_related("agency"):
        assert user.agency is not None
        found.setdefault(user.agency.region_id, []).append(user)
    return found


@login_required
@require_http_methods(["GET"])
def agency_list(request: HttpRequest) -> HttpResponse:
    _administrator(request, ObjectType.AGENCY)
    region_id = request.GET.get("region", "")
    agencies = Agency.objects.select_related("region").annotate(members_count=Count("members"))
    try:
        region = Region.objects.filter(pk=int(region_id)).first() if region_id else None
    except ValueError:
        region = None
    if region is not None:
        agencies = agencies.filter(region=region)
    coordinators = _coordinators_by_region()
    regions = [(r, coordinators.get(r.pk, [])) for r in Region.objects.all()]
    return render(
        request,
        "accounts/agencies/list.html",
        {
            "agencies": agencies.order_by("region__name_en", "name_en"),
            "region": region,
            "regions": regions,
            "region_coordinators": coordinators.get(region.pk, []) if region else [],
        },
    )


def _agency_data(form: forms.ModelForm) -> dict[str, object]:
    return {f: form.cleaned_data[f] for f in actions.AGENCY_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def agency_new(request: HttpRequest) -> HttpResponse:
    admin = _administrator(request, ObjectType.AGENCY)
    form = AgencyEditForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        agency = actions.do_create_agency(_agency_data(form), actor=admin, request=request)
        messages.success(request, _("The agency was added."))
        return redirect("accounts:agency", agency.pk)
    return render(
        request,
        "accounts/agencies/edit.html",
        {"form": form, "agency": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    admin = current_user(request)
    agency = get_managed_agency(admin, pk)
    initial = model_to_dict(agency, fields=list(actions.AGENCY_FIELDS))
    form = AgencyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = actions.do_update_agency(agency, _agency_data(form), actor=admin, request=request)
        messages.success(
            request, _("The agency was changed.") if changed else _("Nothing was changed.")
        )
        return redirect("accounts:agency", agency.pk)
    return render(
        request,
        "accounts/agencies/edit.html",
        {
            "form": form,
            "agency": agency,
            "coordinators": _coordinators_by_region().get(agency.region_id, []),
            "members": agency.members.order_by("username"),
        },
        status=400 if form.errors else 200,
    )
