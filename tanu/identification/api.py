"""REST API for screenings and checklists (same access rules as the pages)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from tanu.accounts.access import current_user as _user
from tanu.identification import actions, catalogue
from tanu.identification.access import (
    can_screen,
    get_editable_screening,
    get_screening_for_user,
    visible_screenings,
)
from tanu.identification.forms import INTERVIEW_LANGUAGES
from tanu.identification.models import (
    SCREENING_CONTEXT_FIELDS,
    AgeGroup,
    Answer,
    ChecklistVersion,
    Form,
    Judgement,
    Place,
    Screening,
    StopReason,
)
from tanu.lib.etags import checked_write, error_response, with_etag
from tanu.lib.pagination import ApiPagination
from tanu.lib.revisions import ConflictError


class ScreeningSerializer(serializers.ModelSerializer):
    checklists = serializers.SerializerMethodField()
    assessment = serializers.JSONField(source="result", read_only=True)

    class Meta:
        model = Screening
        fields = [
            "id",
            "reference",
            "status",
            "revision",
            "source",
            *SCREENING_CONTEXT_FIELDS,
            "answers",
            "outcome",
            "threshold_met",
            "assessment",
            "judgement",
            "notes",
            "stop_reason",
            "stop_note",
            "checklists",
            "supersedes",
            "created_at",
            "finalised_at",
        ]
        read_only_fields = fields

    def get_checklists(self, obj: Screening) -> list[dict[str, Any]]:
        return [{"id": v.checklist_id, "version": v.version} for v in obj.checklist_versions.all()]


class ScreeningWriteSerializer(serializers.Serializer):
    place = serializers.ChoiceField(choices=Place.choices, required=False)
    facility_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    interview_language = serializers.ChoiceField(choices=INTERVIEW_LANGUAGES, required=False)
    interpreter_used = serializers.BooleanField(required=False)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices, required=False)
    age_years = serializers.IntegerField(
        min_value=0, max_value=120, required=False, allow_null=True
    )
    form = serializers.ChoiceField(choices=Form.choices, required=False)
    screened_on = serializers.DateField(required=False)
    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=Answer.choices), required=False
    )


class FinaliseSerializer(serializers.Serializer):
    judgement = serializers.ChoiceField(choices=Judgement.choices)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    stop_reason = serializers.ChoiceField(
        choices=StopReason.choices, required=False, allow_blank=True
    )
    stop_note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


CREATE_REQUIRED = ("place", "interview_language", "age_group", "form")


STALE = gettext_lazy("Someone else changed this screening since you read it. Read it again.")


def _with_etag(screening: Screening, code: int = status.HTTP_200_OK) -> Response:
    return with_etag(Response(ScreeningSerializer(screening).data, status=code), screening)


@extend_schema(request=ScreeningWriteSerializer, responses=ScreeningSerializer(many=True))
@api_view(["GET", "POST"])
def screening_list(request: Request) -> Response:
    user = _user(request)
    if not user.handles_cases:
        raise Http404
    if request.method == "GET":
        # Only the id and version of each checklist are shown: not its (large) data.
        versions = ChecklistVersion.objects.only("checklist_id", "version")
        qs = (
            visible_screenings(user)
            .prefetch_related(Prefetch("checklist_versions", queryset=versions))
            .order_by("-pk")
        )
        paginator = ApiPagination()
        page = paginator.paginate_queryset(qs, request)
        return paginator.get_paginated_response(ScreeningSerializer(page, many=True).data)
    if not can_screen(user):
        raise Http404
    serializer = ScreeningWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    missing = [f for f in CREATE_REQUIRED if f not in data]
    if missing:
        raise serializers.ValidationError({f: [_("This field is required.")] for f in missing})
    answers = data.pop("answers", {})
    try:
        screening = actions.do_start_screening(
            actor=user,
            context=data,
            answers=answers,
            source=Screening.Source.API,
            request=request._request,
        )
    except actions.ScreeningError as exc:
        return error_response(exc)
    return _with_etag(screening, status.HTTP_201_CREATED)


@extend_schema(request=ScreeningWriteSerializer, responses=ScreeningSerializer)
@api_view(["GET", "PATCH"])
def screening_detail(request: Request, pk: int) -> Response:
    user = _user(request)
    if request.method == "GET":
        screening = get_screening_for_user(user, pk)
        actions.record_read(screening, actor=user, request=request._request)
        return _with_etag(screening)
    screening = get_editable_screening(user, pk)
    serializer, refused = checked_write(request, screening, "", STALE, ScreeningWriteSerializer)
    if refused is not None:
        return refused
    data = dict(serializer.validated_data)
    answers = data.pop("answers", None)
    try:
        if data:
            screening = actions.do_update_screening_context(
                screening,
                actor=user,
                context=data,
                expected_revision=screening.revision,
                request=request._request,
            )
        if answers:
            screening = actions.do_record_answers(
                screening,
                actor=user,
                answers=answers,
                expected_revision=screening.revision,
                request=request._request,
            )
    except (actions.ScreeningError, ConflictError) as exc:
        return error_response(exc)
    return _with_etag(screening)


@extend_schema(request=FinaliseSerializer, responses=ScreeningSerializer)
@api_view(["POST"])
def screening_finalise(request: Request, pk: int) -> Response:
    user = _user(request)
    screening = get_editable_screening(user, pk)
    serializer, refused = checked_write(request, screening, "", STALE, FinaliseSerializer)
    if refused is not None:
        return refused
    try:
        screening = actions.do_finalise_screening(
            screening,
            actor=user,
            judgement=serializer.validated_data["judgement"],
            notes=serializer.validated_data.get("notes", ""),
            expected_revision=screening.revision,
            stop_reason=serializer.validated_data.get("stop_reason", ""),
            stop_note=serializer.validated_data.get("stop_note", ""),
            request=request._request,
        )
    except (actions.ScreeningError, ConflictError) as exc:
        return error_response(exc)
    return _with_etag(screening)


@extend_schema(operation_id="checklists_list", responses={200: dict})
@api_view(["GET"])
def checklist_list(request: Request) -> Response:
    rows = sorted(catalogue.current_versions().values(), key=lambda r: r.checklist_id)
    results = [
        {
            "id": r.checklist_id,
            "version": r.version,
            "population": r.population,
            "form": r.form,
            "title": r.data.get("title", {}),
            "indicators": len(r.data["indicators"]),
        }
        for r in rows
    ]
    return Response(
        {
            "count": len(results),
            "count_is_estimate": False,  # the few checklists in force, counted exactly
            "next": None,
            "previous": None,
            "results": results,
        }
    )


@extend_schema(operation_id="checklists_detail", responses={200: dict})
@api_view(["GET"])
def checklist_detail(request: Request, checklist_id: str) -> Response:
    version = request.query_params.get("version")
    row = catalogue.get_version(
        checklist_id, int(version) if version and version.isdigit() else None
    )
    if row is None:
        raise Http404
    return Response(row.data)
