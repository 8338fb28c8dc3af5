"""REST API for facilities and monitoring visits, with the pages' rules: 404 for outsiders,
ETag / If-Match against lost updates of a visit report."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import Agency, Region, User
from tanu.audit.actions import record_read
from tanu.audit.models import ObjectType
from tanu.lib.etags import checked_write, error_response, with_etag
from tanu.lib.pagination import ApiPagination
from tanu.lib.revisions import ConflictError
from tanu.monitoring import access, actions, queries
from tanu.monitoring.models import FACILITY_FIELDS, Facility, FollowUpAction, Visit, VisitMember

MAX_ID = 2**62  # larger numbers overflow the database


class FacilitySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Facility
        fields = ["id", "name", *FACILITY_FIELDS]
        read_only_fields = fields


@extend_schema_field({"type": "string", "enum": list(Facility.Kind.values)})
class FacilityKindField(serializers.ChoiceField):
    """The facility type on writes, described on its own: the schema then names each enum after
    its component (FacilityKindEnum, FacilityWriteKindEnum) instead of colliding with the other
    fields named "kind"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Facility.Kind.choices, **kwargs)


class FacilityWriteSerializer(serializers.Serializer):
    name_kk = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_ru = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = FacilityKindField(required=False)
    region = serializers.CharField(
        max_length=8, required=False, help_text="ISO 3166-2 code; administrators only"
    )
    operating_agency = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    capacity = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100_000
    )
    contacts = serializers.CharField(max_length=300, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)

    def facility_data(self, user: User) -> dict[str, Any]:
        data = dict(self.validated_data)
        if "region" in data:
            if not access.is_registry_admin(user):
                raise serializers.ValidationError(
                    {"region": [_("You can register facilities of your own region only.")]}
                )
            region = Region.objects.filter(code=data["region"]).first()
            if region is None:
                raise serializers.ValidationError({"region": [_("Unknown region.")]})
            data["region"] = region
        if data.get("operating_agency") is not None:
            agency = Agency.objects.filter(pk=data["operating_agency"], is_active=True).first()
            if agency is None:
                raise serializers.ValidationError({"operating_agency": [_("Unknown agency.")]})
            data["operating_agency"] = agency
        return data


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    agency = serializers.CharField(source="user.agency.name", default="")

    class Meta:
        model = VisitMember
        fields = ["user", "username", "capacity", "agency"]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpAction
        fields = ["id", "description", "owner", "due_on", "status", "outcome", "completed_at"]
        read_only_fields = fields


class FoundSerializer(serializers.Serializer):
    screenings = serializers.IntegerField()
    drafts = serializers.IntegerField()
    presumed = serializers.IntegerField()
    possible = serializers.IntegerField()
    referrals = serializers.IntegerField()


class VisitSerializer(serializers.ModelSerializer):
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    facility_kind = serializers.CharField(source="facility.kind", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    overdue = serializers.SerializerMethodField()
    team = MemberSerializer(source="members", many=True, read_only=True)
    follow_up_actions = FollowUpSerializer(source="follow_ups", many=True, read_only=True)
    found = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "facility",
            "facility_name",
            "facility_kind",
            "region",
            "planned_on",
            "purpose",
            "announced",
            "status",
            "cancel_reason",
            "overdue",
            "team",
            *actions.REPORT_FIELDS,
            "reported_at",
            "found",
            "follow_up_actions",
            "revision",
        ]
        read_only_fields = fields

    def get_overdue(self, obj: Visit) -> bool:
        return obj.is_overdue(self.context.get("today"))

    @extend_schema_field(FoundSerializer)
    def get_found(self, obj: Visit) -> dict[str, int]:
        by_visit = self.context.get("found")  # counted for a whole page at once
        found = by_visit[obj.pk] if by_visit is not None else queries.visit_found(obj)
        return FoundSerializer(found).data  # type: ignore[return-value]


class VisitPlanSerializer(serializers.Serializer):
    facility = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    planned_on = serializers.DateField()
    purpose = serializers.CharField(max_length=500)
    announced = serializers.BooleanField(default=False)
    team = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1, max_length=30
    )


class VisitReportSerializer(serializers.Serializer):
    visited_on = serializers.DateField(required=False)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60, required=False)
    adults_present = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    juveniles_present = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    foreigners_present = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    people_screened = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    access = serializers.ChoiceField(choices=Visit.Access.choices, required=False)
    access_notes = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    conditions = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    findings = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    recommendations = serializers.CharField(max_length=10_000, required=False, allow_blank=True)


def _visit_queryset(user: User) -> Any:
    return access.visible_visits(user).prefetch_related("members__user__agency", "follow_ups")


def _visit_response(user: User, pk: int, code: int = status.HTTP_200_OK) -> Response:
    visit = _visit_queryset(user).get(pk=pk)
    data = VisitSerializer(visit, context={"today": timezone.localdate()}).data
    return with_etag(Response(data, status=code), visit, "visit")


# Facilities


@extend_schema(
    methods=["GET"], operation_id="facilities_list", responses=FacilitySerializer(many=True)
)
@extend_schema(
    methods=["POST"],
    operation_id="facilities_create",
    request=FacilityWriteSerializer,
    responses={201: FacilitySerializer},
)
@api_view(["GET", "POST"])
def facility_list(request: Request) -> Response:
    user = _user(request)
    if request.method == "GET":
        if not (access.sees_visits(user) or access.is_registry_admin(user)):
            raise Http404
        qs = access.visible_facilities(user).order_by("pk")
        kind = request.query_params.get("kind", "")
        if kind in Facility.Kind.values:
            qs = qs.filter(kind=kind)
        paginator = ApiPagination()
        page = paginator.paginate_queryset(qs, request)
        return paginator.get_paginated_response(FacilitySerializer(page, many=True).data)
    if not access.can_manage_facilities(user):
        raise Http404
    serializer = FacilityWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.facility_data(user)
    if "region" not in data and user.agency is not None:
        data["region"] = user.agency.region
    missing = [f for f in ("kind",) if f not in data]
    if missing:
        raise serializers.ValidationError({f: [_("This field is required.")] for f in missing})
    try:
        facility = actions.do_create_facility(actor=user, data=data, request=request._request)
    except actions.MonitoringError as exc:
        return error_response(exc)
    return Response(FacilitySerializer(facility).data, status=status.HTTP_201_CREATED)


@extend_schema(methods=["GET"], operation_id="facilities_detail", responses=FacilitySerializer)
@extend_schema(
    methods=["PATCH"],
    operation_id="facilities_update",
    request=FacilityWriteSerializer,
    responses=FacilitySerializer,
)
@api_view(["GET", "PATCH"])
def facility_detail(request: Request, pk: int) -> Response:
    user = _user(request)
    if request.method == "GET":
        return Response(FacilitySerializer(access.get_facility_for_user(user, pk)).data)
    facility = access.get_editable_facility(user, pk)
    serializer = FacilityWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        facility = actions.do_update_facility(
            facility, actor=user, data=serializer.facility_data(user), request=request._request
        )
    except actions.MonitoringError as exc:
        return error_response(exc)
    return Response(FacilitySerializer(access.get_facility_for_user(user, facility.pk)).data)


# Visits


@extend_schema(methods=["GET"], operation_id="visits_list", responses=VisitSerializer(many=True))
@extend_schema(
    methods=["POST"],
    operation_id="visits_create",
    request=VisitPlanSerializer,
    responses={201: VisitSerializer},
)
@api_view(["GET", "POST"])
def visit_list(request: Request) -> Response:
    """The visits of the user's region (?status=planned|done|cancelled); POST plans a visit."""
    user = _user(request)
    if not access.sees_visits(user):
        raise Http404
    if request.method == "GET":
        qs = _visit_queryset(user).order_by("-planned_on", "-pk")
        wanted = request.query_params.get("status", "")
        if wanted in Visit.Status.values:
            qs = qs.filter(status=wanted)
        paginator = ApiPagination()
        page: list[Visit] = paginator.paginate_queryset(qs, request) or []
        context = {
            "today": timezone.localdate(),
            "found": queries.found_by_visit([v.pk for v in page]),
        }
        return paginator.get_paginated_response(
            VisitSerializer(page, many=True, context=context).data
        )
    if not access.can_plan(user):
        raise Http404
    serializer = VisitPlanSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    facility = access.visible_facilities(user).filter(pk=data["facility"]).first()
    if facility is None:
        raise serializers.ValidationError({"facility": [_("Unknown facility.")]})
    team = list(User.objects.filter(pk__in=data["team"]))
    if len(team) != len(set(data["team"])):
        raise serializers.ValidationError({"team": [_("Unknown team member.")]})
    try:
        visit = actions.do_plan_visit(
            actor=user,
            facility=facility,
            planned_on=data["planned_on"],
            purpose=data["purpose"],
            announced=data["announced"],
            team=team,
            request=request._request,
        )
    except actions.MonitoringError as exc:
        return error_response(exc)
    return _visit_response(user, visit.pk, status.HTTP_201_CREATED)


@extend_schema(methods=["GET"], operation_id="visits_detail", responses=VisitSerializer)
@extend_schema(
    methods=["PATCH"],
    operation_id="visits_report",
    request=VisitReportSerializer,
    responses=VisitSerializer,
    description="Record the visit's report (or correct it). Send If-Match with the ETag read.",
)
@api_view(["GET", "PATCH"])
def visit_detail(request: Request, pk: int) -> Response:
    user = _user(request)
    visit = access.get_visit_for_user(user, pk)
    if request.method == "GET":
        record_read(ObjectType.VISIT, visit.pk, actor=user, request=request._request)
        return _visit_response(user, visit.pk)
    if not access.can_plan(user):
        raise Http404
    stale = _("Someone else changed this visit since you read it. Read it again.")
    serializer, refused = checked_write(request, visit, "visit", stale, VisitReportSerializer)
    if refused is not None:
        return refused
    try:
        actions.do_record_visit(
            visit,
            actor=user,
            report=dict(serializer.validated_data),
            expected_revision=visit.revision,
            request=request._request,
        )
    except (actions.MonitoringError, ConflictError) as exc:
        return error_response(exc)
    return _visit_response(user, visit.pk)
