"""REST API for cases and their persons, with the pages' rules: 404 for outsiders, personal data
only with a stated reason (audited), ETag / If-Match against lost updates."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from tanu.accounts.access import current_user as _user
from tanu.audit.actions import record, record_read
from tanu.audit.models import Action, ObjectType
from tanu.cases import access, actions
from tanu.cases.models import PERSON_FIELDS, Case, Sex
from tanu.identification.access import get_screening_for_user
from tanu.lib.etags import checked_write, error_response, with_etag
from tanu.lib.pagination import ApiPagination
from tanu.lib.revisions import ConflictError


class CaseSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")
    region = serializers.CharField(source="region.code")

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "status",
            "closure_reason",
            "agency",
            "region",
            "outcome",
            "form",
            "is_child",
            "reflection_starts",
            "reflection_ends",
            "revision",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields


class PersonSerializer(serializers.Serializer):
    family_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    given_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    patronymic = serializers.CharField(max_length=200, required=False, allow_blank=True)
    other_names = serializers.CharField(max_length=500, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    estimated_age = serializers.IntegerField(
        min_value=0, max_value=120, required=False, allow_null=True
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    citizenship = serializers.CharField(max_length=40, required=False, allow_blank=True)
    languages = serializers.CharField(max_length=100, required=False, allow_blank=True)
    documents = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(max_length=100)),
        required=False,
        max_length=20,
    )
    contacts = serializers.ListField(child=serializers.DictField(), required=False, max_length=20)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def to_person_data(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        if "date_of_birth" in data:
            dob = data["date_of_birth"]
            data["date_of_birth"] = dob.isoformat() if dob else ""
        return data


class OpenCaseSerializer(serializers.Serializer):
    screening = serializers.IntegerField()
    person = PersonSerializer(required=False)


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Case.Status.choices)
    closure_reason = serializers.ChoiceField(
        choices=Case.ClosureReason.choices, required=False, allow_blank=True
    )


STALE = gettext_lazy("Someone else changed this case since you read it. Read it again.")


def _case_response(case: Case, code: int = status.HTTP_200_OK) -> Response:
    return with_etag(Response(CaseSerializer(case).data, status=code), case, "case")


@extend_schema(request=OpenCaseSerializer, responses=CaseSerializer(many=True))
@api_view(["GET", "POST"])
def case_list(request: Request) -> Response:
    user = _user(request)
    if access.full_access_filter(user) is None:
        raise Http404
    if request.method == "GET":
        paginator = ApiPagination()
        page = paginator.paginate_queryset(access.visible_cases(user).order_by("-pk"), request)
        return paginator.get_paginated_response(CaseSerializer(page, many=True).data)
    serializer = OpenCaseSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    screening = get_screening_for_user(user, serializer.validated_data["screening"])
    if screening.agency_id != user.agency_id:
        raise Http404
    raw_person = request.data.get("person") if isinstance(request.data, dict) else None
    person = PersonSerializer(data=raw_person or {})
    person.is_valid(raise_exception=True)
    try:
        case = actions.do_open_case(
            screening, actor=user, person_data=person.to_person_data(), request=request._request
        )
    except actions.CaseError as exc:
        return error_response(exc)
    return _case_response(case, status.HTTP_201_CREATED)


@extend_schema(request=StatusSerializer, responses=CaseSerializer)
@api_view(["GET", "PATCH"])
def case_detail(request: Request, pk: int) -> Response:
    user = _user(request)
    case = access.get_case_for_user(user, pk)
    if request.method == "GET":
        record_read(ObjectType.CASE, case.pk, actor=user, request=request._request)
        return _case_response(case)
    serializer, refused = checked_write(request, case, "case", STALE, StatusSerializer)
    if refused is not None:
        return refused
    try:
        case = actions.do_change_case_status(
            case,
            actor=user,
            status=serializer.validated_data["status"],
            closure_reason=serializer.validated_data.get("closure_reason", ""),
            expected_revision=case.revision,
            request=request._request,
        )
    except (actions.CaseError, ConflictError) as exc:
        return error_response(exc)
    return _case_response(case)


@extend_schema(request=PersonSerializer, responses=PersonSerializer)
@api_view(["GET", "PATCH"])
def case_person(request: Request, pk: int) -> Response:
    """The person's data. Reading needs `X-Tanu-Reason` (why you open it); it is audited."""
    user = _user(request)
    case = access.get_case_for_user(user, pk)
    reason = request.headers.get("X-Tanu-Reason", "").strip()
    if len(reason) < 5:
        return Response(
            {"detail": _("State why you open the personal data in the X-Tanu-Reason header.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if request.method == "PATCH":
        serializer, refused = checked_write(
            request, case, "case", STALE, PersonSerializer, partial=True
        )
        if refused is not None:
            return refused
        try:
            case = actions.do_update_person(
                case,
                actor=user,
                data=serializer.to_person_data(),
                expected_revision=case.revision,
                request=request._request,
            )
        except (actions.CaseError, ConflictError) as exc:
            return error_response(exc)
    record(
        Action.REVEAL,
        actor=user,
        object_type=ObjectType.PERSON,
        object_id=case.person_id,
        fields=["api"],
        reason=reason[:500],
        request=request._request,
    )
    person = case.person
    values = {field: getattr(person, field) for field in PERSON_FIELDS}
    response = Response({**values, "date_of_birth": person.date_of_birth or None})
    with_etag(response, case, "case")
    response["Cache-Control"] = "no-store"
    return response
