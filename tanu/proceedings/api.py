"""REST API for criminal proceedings, with the pages' rules (tanu.proceedings.access): 404 for
outsiders, never 403; investigators of the investigating body register and edit; the case's
owners and the region's coordinator read, the hearings' date and place only; every read of one
proceeding and every write audited; ETag / If-Match against lost updates, as on cases.

Suspects and accused are counted, never named, and the person appears only through the case
number: nothing here carries a personal name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import User
from tanu.audit.actions import record_read
from tanu.audit.denied import raise_denied
from tanu.audit.models import ObjectType
from tanu.cases.access import full_access_filter
from tanu.lib.etags import checked_write, error_response, with_etag
from tanu.lib.pagination import ApiPagination
from tanu.lib.revisions import ConflictError
from tanu.proceedings import access, actions
from tanu.proceedings.models import Article, Hearing, Proceeding, ProtectionMeasure, SuspectCount

MAX_ID = 2**62  # larger numbers overflow the database
MAX_TENGE = 10**15
MAX_SENTENCE_MONTHS = 1200
KIND = "proceeding"  # the ETag's prefix: "proceeding-12-3"
STALE = gettext_lazy("Someone else changed this proceeding since you read it. Read it again.")
# What a read of one proceeding shows (the audit names the fields, never their values).
READ_FIELDS = [
    "erdr_number",
    "registered_on",
    "articles",
    "stage",
    "verdict",
    "compensation",
    "person_status",
    "cooperates",
    "protection_measures",
    "suspects",
    "hearings",
]
OUTCOME_FIELDS = ("verdict", "sentence_months", "compensation_awarded")
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag read (GET); 428 without it, 412 when someone changed the proceeding.",
)


# Representation


class ProceedingHearingSerializer(serializers.ModelSerializer):
    # Not read-only, so that the schema shows it optional: only the investigators of the
    # investigating body get it (``to_representation``).
    note = serializers.CharField(
        required=False, help_text="For the investigators of the investigating body only."
    )

    class Meta:
        model = Hearing
        fields = ["id", "starts_at", "place", "note"]
        read_only_fields = ["id", "starts_at", "place"]

    def to_representation(self, instance: Hearing) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if instance.proceeding_id not in self.context.get("sees_notes", ()):
            data.pop("note", None)
        return data


class ProtectionMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProtectionMeasure
        fields = ["id", "kind", "starts_on", "ends_on"]
        read_only_fields = fields


class SuspectCountSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuspectCount
        fields = ["standing", "role", "sex", "citizenship", "count"]
        read_only_fields = fields


class ProceedingSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    articles: serializers.SlugRelatedField[Article] = serializers.SlugRelatedField(
        slug_field="number", many=True, read_only=True
    )
    # Blank until closed, or until the verdict: the schema says so.
    closing_reason = serializers.ChoiceField(
        choices=Proceeding.ClosingReason.choices, allow_blank=True, read_only=True
    )
    verdict = serializers.ChoiceField(
        choices=Proceeding.Verdict.choices, allow_blank=True, read_only=True
    )
    hearings = ProceedingHearingSerializer(many=True, read_only=True)
    protection_measures = ProtectionMeasureSerializer(many=True, read_only=True)
    suspects = SuspectCountSerializer(many=True, read_only=True)

    class Meta:
        model = Proceeding
        fields = [
            "id",
            "case",
            "case_number",
            "erdr_number",
            "registered_on",
            "investigating_agency",
            "articles",
            "stage",
            "sent_to_court_on",
            "trial_started_on",
            "verdict_on",
            "appeal_on",
            "closed_on",
            "closing_reason",
            "verdict",
            "sentence_months",
            "compensation_claimed",
            "compensation_awarded",
            "compensation_paid",
            "person_status",
            "cooperates",
            "hearings",
            "protection_measures",
            "suspects",
            "revision",
        ]
        read_only_fields = fields


# Writes


class ArticleNumbersField(serializers.ListField):
    """Criminal Code articles by number, as the administrators keep them ("128", "135")."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.CharField(max_length=16), max_length=20, **kwargs)


class ProceedingRegisterSerializer(serializers.Serializer):
    case_number = serializers.CharField(max_length=32, help_text="A case referred to your agency.")
    erdr_number = serializers.CharField(
        max_length=40, help_text="12 to 20 digits; spaces and dashes are ignored."
    )
    registered_on = serializers.DateField()
    articles = ArticleNumbersField()
    person_status = serializers.ChoiceField(
        choices=Proceeding.PersonStatus.choices, default=Proceeding.PersonStatus.VICTIM
    )
    cooperates = serializers.BooleanField(required=False, allow_null=True, default=None)


class ProceedingChangeSerializer(serializers.Serializer):
    """Details (any of them) and/or a stage move: ``stage`` with ``stage_on``; a verdict comes
    with its outcome, closing with its reason."""

    erdr_number = serializers.CharField(max_length=40, required=False)
    registered_on = serializers.DateField(required=False)
    articles = ArticleNumbersField(required=False)
    person_status = serializers.ChoiceField(choices=Proceeding.PersonStatus.choices, required=False)
    cooperates = serializers.BooleanField(required=False, allow_null=True)
    compensation_claimed = serializers.IntegerField(
        min_value=0, max_value=MAX_TENGE, required=False, allow_null=True
    )
    compensation_paid = serializers.IntegerField(
        min_value=0, max_value=MAX_TENGE, required=False, allow_null=True
    )
    stage = serializers.ChoiceField(choices=Proceeding.Stage.choices, required=False)
    stage_on = serializers.DateField(required=False)
    verdict = serializers.ChoiceField(choices=Proceeding.Verdict.choices, required=False)
    sentence_months = serializers.IntegerField(
        min_value=0, max_value=MAX_SENTENCE_MONTHS, required=False, allow_null=True
    )
    compensation_awarded = serializers.IntegerField(
        min_value=0, max_value=MAX_TENGE, required=False, allow_null=True
    )
    closing_reason = serializers.ChoiceField(
        choices=Proceeding.ClosingReason.choices, required=False
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        stage = attrs.get("stage")
        errors: dict[str, list[str]] = {}
        if stage and "stage_on" not in attrs:
            errors["stage_on"] = [_("This field is required.")]
        if "stage_on" in attrs and not stage:
            errors["stage"] = [_("This field is required.")]
        if stage != Proceeding.Stage.VERDICT:
            for name in OUTCOME_FIELDS:
                if name in attrs:
                    errors[name] = [
                        _(
                            "The verdict, the sentence and the compensation awarded are "
                            "recorded with the stage “verdict”."
                        )
                    ]
        if stage != Proceeding.Stage.CLOSED and "closing_reason" in attrs:
            errors["closing_reason"] = [
                _("The reason for closing is given with the stage “closed”.")
            ]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def _articles(numbers: Iterable[str]) -> list[Article]:
    """The articles by number; an unknown number is a 400 naming it."""
    wanted = {number.strip() for number in numbers}
    found = list(Article.objects.filter(number__in=wanted))
    unknown = sorted(wanted - {a.number for a in found})
    if unknown:
        raise serializers.ValidationError(
            {
                "articles": [
                    _("Unknown Criminal Code article: %(numbers)s")
                    % {"numbers": ", ".join(unknown)}
                ]
            }
        )
    return found


# Views


def _reads_proceedings(user: User) -> bool:
    """Investigators, and the officials who may read cases (owners, coordinators): the others
    (analysts, trainers, administrators) have no list of proceedings."""
    return access.is_investigator(user) or full_access_filter(user) is not None


def _queryset(user: User) -> QuerySet[Proceeding]:
    return access.visible_proceedings(user).prefetch_related(
        "articles",
        Prefetch("hearings", queryset=Hearing.objects.order_by("starts_at", "pk")),
        "protection_measures",
        "suspects",
    )


def _context(user: User, proceedings: Iterable[Proceeding]) -> dict[str, Any]:
    return {"sees_notes": {p.pk for p in proceedings if access.sees_hearing_notes(user, p)}}


def _proceeding_response(user: User, pk: int, code: int = status.HTTP_200_OK) -> Response:
    proceeding = _queryset(user).get(pk=pk)
    data = ProceedingSerializer(proceeding, context=_context(user, [proceeding])).data
    return with_etag(Response(data, status=code), proceeding, KIND)


class ProceedingFilterSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


@extend_schema(
    methods=["GET"],
    operation_id="proceedings_list",
    parameters=[OpenApiParameter("case", int, required=False, description="A case's id.")],
    responses=ProceedingSerializer(many=True),
    description="The proceedings you may read: of your investigating body (investigators), of "
    "your agency's cases, or of your region's (coordinators).",
)
@extend_schema(
    methods=["POST"],
    operation_id="proceedings_create",
    request=ProceedingRegisterSerializer,
    responses={201: ProceedingSerializer},
    description="Investigators register a proceeding on a case referred to their agency; their "
    "agency is the investigating body. Any other case number answers 404.",
)
@api_view(["GET", "POST"])
def proceeding_list(request: Request) -> Response:
    user = _user(request)
    if not _reads_proceedings(user):
        raise Http404
    if request.method == "GET":
        wanted = ProceedingFilterSerializer(data=request.query_params)
        wanted.is_valid(raise_exception=True)
        qs = _queryset(user).order_by("-registered_on", "-pk")
        if "case" in wanted.validated_data:
            qs = qs.filter(case_id=wanted.validated_data["case"])
        paginator = ApiPagination()
        page: list[Proceeding] = paginator.paginate_queryset(qs, request) or []
        return paginator.get_paginated_response(
            ProceedingSerializer(page, many=True, context=_context(user, page)).data
        )
    if not access.is_investigator(user):
        raise Http404
    serializer = ProceedingRegisterSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    case = access.get_registrable_case(user, data["case_number"])  # else an audited 404
    articles = _articles(data["articles"])
    try:
        proceeding = actions.do_register_proceeding(
            actor=user,
            case=case,
            erdr_number=data["erdr_number"],
            registered_on=data["registered_on"],
            articles=articles,
            person_status=data["person_status"],
            cooperates=data["cooperates"],
            request=request._request,
        )
    except actions.ProceedingError as exc:
        return error_response(exc)
    return _proceeding_response(user, proceeding.pk, status.HTTP_201_CREATED)


@extend_schema(
    methods=["GET"],
    operation_id="proceedings_retrieve",
    responses=ProceedingSerializer,
    description="One proceeding, with its ETag; the read is audited. The hearings' notes go to "
    "the investigators of the investigating body only.",
)
@extend_schema(
    methods=["PATCH"],
    operation_id="proceedings_partial_update",
    parameters=[IF_MATCH],
    request=ProceedingChangeSerializer,
    responses=ProceedingSerializer,
    description="Investigators of the investigating body correct the details and/or move the "
    "stage (forward only, or closed with a reason; no verdict before the trial). Send If-Match "
    "with the ETag read. Details and stage are saved together or not at all.",
)
@api_view(["GET", "PATCH"])
def proceeding_detail(request: Request, pk: int) -> Response:
    user = _user(request)
    proceeding = access.get_proceeding_for_user(user, pk)  # else an audited 404
    if request.method == "GET":
        notes = access.sees_hearing_notes(user, proceeding)
        record_read(
            ObjectType.PROCEEDING,
            proceeding.pk,
            actor=user,
            fields=[*READ_FIELDS, *(["hearing_notes"] if notes else [])],
            request=request._request,
            region_id=proceeding.case.region_id,
        )
        return _proceeding_response(user, proceeding.pk)
    if not access.edits(user, proceeding):
        raise_denied(ObjectType.PROCEEDING, pk)  # readers do not edit: an audited 404
    serializer, refused = checked_write(
        request, proceeding, KIND, STALE, ProceedingChangeSerializer
    )
    if refused is not None:
        return refused
    data = serializer.validated_data
    details = {name: data[name] for name in actions.DETAIL_FIELDS if name in data}
    articles = _articles(data["articles"]) if "articles" in data else None
    try:
        with transaction.atomic():
            if details or articles is not None:
                proceeding = actions.do_update_proceeding(
                    proceeding,
                    actor=user,
                    data=details,
                    articles=articles,
                    expected_revision=proceeding.revision,
                    request=request._request,
                )
            if "stage" in data:
                proceeding = _move_stage(request, user, proceeding, data)
    except (actions.ProceedingError, ConflictError) as exc:
        return error_response(exc)
    return _proceeding_response(user, proceeding.pk)


def _move_stage(
    request: Request, user: User, proceeding: Proceeding, data: dict[str, Any]
) -> Proceeding:
    outcome = None
    if data["stage"] == Proceeding.Stage.VERDICT:
        outcome = actions.Outcome(
            verdict=data.get("verdict", ""),
            sentence_months=data.get("sentence_months"),
            compensation_awarded=data.get("compensation_awarded"),
        )
    return actions.do_move_stage(
        proceeding,
        actor=user,
        stage=data["stage"],
        on=data["stage_on"],
        outcome=outcome,
        closing_reason=data.get("closing_reason", ""),
        expected_revision=proceeding.revision,
        request=request._request,
    )
