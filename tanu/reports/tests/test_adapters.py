"""Reports read monitoring and training through plain imports: a broken query is an error the
tests and the operator see, never a silently blank dashboard."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldError

from tanu.reports import adapters
from tanu.reports.filters import Filters

pytestmark = pytest.mark.django_db


def test_a_broken_monitoring_query_is_an_error_not_an_empty_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise FieldError("Cannot resolve keyword 'planned_on'")

    monkeypatch.setattr(adapters.Visit.objects, "all", broken)
    with pytest.raises(FieldError):
        adapters.monitoring_figures(Filters())


def test_a_broken_training_query_is_an_error_not_an_empty_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise FieldError("Cannot resolve keyword 'score'")

    monkeypatch.setattr(adapters.Attempt.objects, "filter", broken)
    with pytest.raises(FieldError):
        adapters.training_figures(Filters())


def test_with_no_visits_the_monitoring_figures_are_zero() -> None:
    figures = adapters.monitoring_figures(Filters())
    assert set(figures) == {"done", "planned"}
    assert figures["done"].n == 0 and figures["planned"].n == 0
