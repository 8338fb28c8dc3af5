"""Counts that stay flat: exact up to the cap, "more than" or estimated above it, and pages that
still work past the cap (the capped paginator and the API's pagination)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import QuerySet
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from tanu.lib.pagination import ApiPagination, CappedPaginator, planner_estimate

pytestmark = pytest.mark.django_db


def permissions() -> QuerySet[Permission]:
    return Permission.objects.order_by("pk")


class SmallPages(ApiPagination):
    page_size = 5


def api_page(query: str = "") -> tuple[SmallPages, list[Any], dict[str, Any]]:
    pagination = SmallPages()
    request = Request(APIRequestFactory().get("/api/v1/things/" + query))
    rows = pagination.paginate_queryset(permissions(), request) or []
    return pagination, rows, dict(pagination.get_paginated_response([r.pk for r in rows]).data)


def test_the_count_is_exact_below_the_cap() -> None:
    total = permissions().count()
    paginator = CappedPaginator(permissions(), 10, cap=total)
    assert paginator.count == total
    assert not paginator.count_is_estimate
    assert paginator.num_pages == -(-total // 10)


def test_above_the_cap_the_count_is_the_cap_and_flagged() -> None:
    assert permissions().count() > 20
    paginator = CappedPaginator(permissions(), 5, cap=20)
    assert paginator.count == 20
    assert paginator.count_is_estimate


def test_the_count_reads_at_most_one_row_more_than_the_cap() -> None:
    with CaptureQueriesContext(connection) as captured:
        CappedPaginator(permissions(), 5, cap=20).count  # noqa: B018
    (query,) = captured.captured_queries
    assert "LIMIT 21" in query["sql"]
    assert "ORDER BY" not in query["sql"]


def test_the_cap_comes_from_the_setting() -> None:
    with override_settings(TANU_LIST_COUNT_CAP=7):
        paginator = CappedPaginator(permissions(), 5)
        assert paginator.cap == 7
        assert paginator.count_is_estimate


def test_pages_past_the_cap_still_open_and_know_whether_a_next_one_exists() -> None:
    total = permissions().count()
    paginator = CappedPaginator(permissions(), 5, cap=10)
    ids = list(permissions().values_list("pk", flat=True))
    page = paginator.page(5)  # beyond the 2 pages the capped count allows
    assert [p.pk for p in page] == ids[20:25]
    assert page.has_next() and page.has_previous()
    assert page.next_page_number() == 6
    assert page.end_index() == 25
    last = paginator.page(-(-total // 5))
    assert not last.has_next()
    assert [p.pk for p in last] == ids[(len(ids) - 1) // 5 * 5 :]


def test_a_page_past_the_end_of_a_capped_list_falls_back_to_the_first() -> None:
    paginator = CappedPaginator(permissions(), 5, cap=10)
    assert paginator.get_page(10_000).number == 1
    assert paginator.get_page("nonsense").number == 1


def test_a_list_of_rows_is_counted_without_a_query() -> None:
    paginator = CappedPaginator(list(range(30)), 5, cap=10)
    assert paginator.count == 10
    assert paginator.count_is_estimate
    assert list(paginator.page(6)) == [25, 26, 27, 28, 29]
    assert not paginator.page(6).has_next()


def test_the_api_count_is_exact_and_not_flagged_below_the_cap() -> None:
    total = permissions().count()
    with override_settings(TANU_LIST_COUNT_CAP=total):
        _, rows, data = api_page()
    assert data["count"] == total
    assert data["count_is_estimate"] is False
    assert len(rows) == 5
    assert list(data) == ["count", "count_is_estimate", "next", "previous", "results"]


def test_the_api_count_is_estimated_and_flagged_above_the_cap() -> None:
    with override_settings(TANU_LIST_COUNT_CAP=10):
        _, _, data = api_page()
    assert data["count_is_estimate"] is True
    assert data["count"] >= 10
    if connection.vendor == "sqlite":
        assert data["count"] == 10  # no planner estimate: the cap


def test_api_next_and_previous_links_work_past_the_cap() -> None:
    ids = list(permissions().values_list("pk", flat=True))
    with override_settings(TANU_LIST_COUNT_CAP=10):
        _, rows, data = api_page("?page=4")
        assert [r.pk for r in rows] == ids[15:20]
        assert data["next"].endswith("?page=5")
        assert data["previous"].endswith("?page=3")
        assert data["count"] >= 21  # never fewer than the rows the client can already see
        last = -(-len(ids) // 5)
        _, rows, data = api_page(f"?page={last}")
        assert [r.pk for r in rows] == ids[(last - 1) * 5 :]
        assert data["next"] is None
        assert data["previous"].endswith(f"?page={last - 1}")
        _, rows, data = api_page("?page=last")
        assert [r.pk for r in rows] == ids[(last - 1) * 5 :]


def test_an_api_page_past_the_end_is_not_found() -> None:
    from rest_framework.exceptions import NotFound

    with override_settings(TANU_LIST_COUNT_CAP=10), pytest.raises(NotFound):
        api_page("?page=10000")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner estimate")
def test_on_postgresql_the_estimate_is_the_planners() -> None:
    estimate = planner_estimate(permissions())
    assert estimate is not None and estimate > 0


def test_elsewhere_there_is_no_planner_estimate() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    assert planner_estimate(permissions()) is None


def test_the_schema_documents_count_is_estimate() -> None:
    schema = ApiPagination().get_paginated_response_schema({"type": "array"})
    assert schema["properties"]["count_is_estimate"]["type"] == "boolean"
    assert "count_is_estimate" in schema["required"]
