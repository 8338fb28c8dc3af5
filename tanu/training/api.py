"""REST API for seminars and the question bank, with the pages' rules: trainers (their
seminars) and administrators (all) only, everybody else 404. Seminars carry aggregates, never
participants' names. The correct answers and explanations of questions go to trainers only:
an administrator sees the questions and options but not which is right."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import User
from tanu.lib.pagination import ApiPagination
from tanu.training import access, results
from tanu.training.models import (
    OPTION_FIELDS,
    SEMINAR_FIELDS,
    AgendaSession,
    KnowledgeTest,
    Objective,
    Option,
    Question,
    Seminar,
)
from tanu.training.scoring import GroupSummary


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaSession
        fields = ["id", "day", "starts_at", "ends_at", "title"]
        read_only_fields = fields


class TestSerializer(serializers.ModelSerializer):
    class Meta:
        model = KnowledgeTest
        fields = [
            "id",
            "kind",
            "question_count",
            "time_limit_minutes",
            "objectives",
            "is_open",
            "anonymous",
            "key_released_at",
        ]
        read_only_fields = fields


class ResultsSerializer(serializers.Serializer):
    participants = serializers.IntegerField()
    mean_pre = serializers.FloatField(allow_null=True)
    mean_post = serializers.FloatField(allow_null=True)
    mean_retest = serializers.FloatField(allow_null=True)
    n_pre = serializers.IntegerField()
    n_post = serializers.IntegerField()
    n_retest = serializers.IntegerField()
    normalised_gain = serializers.FloatField(allow_null=True)


class SeminarSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    city = serializers.SerializerMethodField()
    trainers = serializers.SerializerMethodField()
    participant_count = serializers.IntegerField()
    sessions = SessionSerializer(many=True)
    tests = TestSerializer(many=True)
    results = serializers.SerializerMethodField()

    class Meta:
        model = Seminar
        fields = [
            "id",
            "city",
            *SEMINAR_FIELDS,
            "trainers",
            "participant_count",
            "sessions",
            "tests",
            "results",
        ]
        read_only_fields = fields

    def get_city(self, seminar: Seminar) -> str:
        return seminar.city

    def get_trainers(self, seminar: Seminar) -> list[str]:
        return [user.username for user in seminar.trainers.all()]

    @extend_schema_field(ResultsSerializer)
    def get_results(self, seminar: Seminar) -> dict[str, Any]:
        by_seminar: dict[int, GroupSummary] = self.context.get("results", {})
        return _summary_dict(by_seminar.get(seminar.pk))


def _summary_dict(summary: GroupSummary | None) -> dict[str, Any]:
    if summary is None:
        return {
            "participants": 0,
            "mean_pre": None,
            "mean_post": None,
            "mean_retest": None,
            "n_pre": 0,
            "n_post": 0,
            "n_retest": 0,
            "normalised_gain": None,
        }
    return {
        "participants": summary.participants,
        "mean_pre": summary.pre,
        "mean_post": summary.post,
        "mean_retest": summary.retest,
        "n_pre": summary.n_pre,
        "n_post": summary.n_post,
        "n_retest": summary.n_retest,
        "normalised_gain": summary.gain,
    }


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "position", *OPTION_FIELDS]
        read_only_fields = fields


class PublicOptionSerializer(serializers.ModelSerializer):
    """An option without its answer: no correctness, no matching partner."""

    class Meta:
        model = Option
        fields = ["id", "position", "text_kk", "text_ru", "text_en"]
        read_only_fields = fields


QUESTION_FIELDS = [
    "id",
    "kind",
    "text_kk",
    "text_ru",
    "text_en",
    "objectives",
    "dimensions",
    "is_active",
    "options",
]


class QuestionSerializer(serializers.ModelSerializer):
    """For trainers: with the correct answers and the explanations."""

    options = OptionSerializer(many=True)

    class Meta:
        model = Question
        fields = [*QUESTION_FIELDS, "explanation_kk", "explanation_ru", "explanation_en"]
        read_only_fields = fields


class PublicQuestionSerializer(serializers.ModelSerializer):
    """For other permitted readers (administrators): the question without its answers."""

    options = PublicOptionSerializer(many=True)

    class Meta:
        model = Question
        fields = QUESTION_FIELDS
        read_only_fields = fields


def _seminars(user: User) -> QuerySet[Seminar]:
    return (
        access.visible_seminars(user)
        .annotate(participant_count=Count("participants", distinct=True))
        .prefetch_related(
            Prefetch("trainers", queryset=User.objects.order_by("username")),
            "sessions",
            Prefetch("tests", queryset=KnowledgeTest.objects.order_by("pk")),
        )
        .order_by("-starts_on", "-pk")
    )


def _results_context(seminars: list[Seminar]) -> dict[str, Any]:
    if not seminars:
        return {"results": {}}
    summary = results.summaries(Seminar.objects.filter(pk__in=[s.pk for s in seminars]), {})
    return {"results": {group.key: group for group in summary.by_seminar}}


@extend_schema(operation_id="training_seminars_list", responses=SeminarSerializer(many=True))
@api_view(["GET"])
def seminar_list(request: Request) -> Response:
    user = _user(request)
    if not access.can_manage(user):
        raise Http404
    paginator = ApiPagination()
    page = paginator.paginate_queryset(_seminars(user), request) or []
    data = SeminarSerializer(page, many=True, context=_results_context(list(page))).data
    return paginator.get_paginated_response(data)


@extend_schema(operation_id="training_seminars_detail", responses=SeminarSerializer)
@api_view(["GET"])
def seminar_detail(request: Request, pk: int) -> Response:
    user = _user(request)
    if not access.can_manage(user):
        raise Http404
    seminar = _seminars(user).filter(pk=pk).first()
    if seminar is None:
        raise Http404
    return Response(SeminarSerializer(seminar, context=_results_context([seminar])).data)


def _question_serializer(user: User) -> type[serializers.ModelSerializer]:
    return QuestionSerializer if access.is_trainer(user) else PublicQuestionSerializer


@extend_schema(
    operation_id="training_questions_list",
    parameters=[
        OpenApiParameter("kind", str, enum=Question.Kind.values, required=False),
        OpenApiParameter("objective", str, enum=Objective.values, required=False),
    ],
    responses=QuestionSerializer(many=True),
    description="Trainers see the correct answers and explanations; administrators do not.",
)
@api_view(["GET"])
def question_list(request: Request) -> Response:
    user = _user(request)
    if not access.can_manage(user):
        raise Http404
    qs = Question.objects.prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position", "pk"))
    ).order_by("pk")
    kind = request.query_params.get("kind", "")
    if kind in Question.Kind.values:
        qs = qs.filter(kind=kind)
    objective = request.query_params.get("objective", "")
    if objective in Objective.values:
        ids = [pk for pk, tags in qs.values_list("pk", "objectives") if objective in (tags or [])]
        qs = qs.filter(pk__in=ids)
    paginator = ApiPagination()
    page = paginator.paginate_queryset(qs, request) or []
    return paginator.get_paginated_response(_question_serializer(user)(page, many=True).data)


@extend_schema(operation_id="training_questions_detail", responses=QuestionSerializer)
@api_view(["GET"])
def question_detail(request: Request, pk: int) -> Response:
    user = _user(request)
    question = access.get_question_for_user(user, pk)
    return Response(_question_serializer(user)(question).data)
