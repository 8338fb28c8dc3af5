"""Lists whose cost stays flat as the data grows: counts are exact up to a cap.

A page-number list counts every row it could show, and that count grows with the data. Here the
count reads at most ``TANU_LIST_COUNT_CAP`` + 1 rows (default 1,000): exact below the cap; above
it the HTML lists say "more than N" and the API gives an estimate (PostgreSQL's planner estimate,
or the cap elsewhere) flagged ``count_is_estimate``. A page past the cap fetches one row more than
it shows, so "next" is offered exactly when a further row exists.

- ``CappedPaginator``: django.core.paginator.Paginator for the HTML lists.
- ``ApiPagination``: the REST API's pagination (DEFAULT_PAGINATION_CLASS), same ``page``
  parameter and ``count``/``next``/``previous``/``results`` fields plus ``count_is_estimate``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

DEFAULT_COUNT_CAP = 1000


def count_cap() -> int:
    """Rows counted exactly, at least 1 (``TANU_LIST_COUNT_CAP``)."""
    return max(1, int(getattr(settings, "TANU_LIST_COUNT_CAP", DEFAULT_COUNT_CAP)))


def capped_count(object_list: Any, cap: int) -> int:
    """The number of rows, counting at most ``cap + 1`` of them (the order is not needed)."""
    if isinstance(object_list, QuerySet):
        qs = object_list
        if not qs.query.distinct_fields:  # DISTINCT ON needs its ORDER BY
            qs = qs.order_by()
        return qs[: cap + 1].count()
    return len(object_list)


def planner_estimate(object_list: Any) -> int | None:
    """PostgreSQL's estimate of the rows of a queryset (EXPLAIN, nothing read); None elsewhere."""
    if not isinstance(object_list, QuerySet):
        return None
    connection = connections[object_list.db]
    if connection.vendor != "postgresql":
        return None
    qs = object_list if object_list.query.distinct_fields else object_list.order_by()
    try:
        sql, params = qs.query.get_compiler(using=qs.db).as_sql()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            row = cursor.fetchone()
    except Exception:  # an estimate is optional: the cap answers instead
        return None
    if row is None:
        return None
    plan = json.loads(row[0]) if isinstance(row[0], str) else row[0]
    try:
        return int(plan[0]["Plan"]["Plan Rows"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


class CappedPage(Page):
    """A page that knows whether a further row exists without the total."""

    def __init__(
        self, object_list: Sequence[Any], number: int, paginator: Paginator, more: bool
    ) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class CappedPaginator(Paginator):
    """A Paginator whose count is exact up to the cap. Above it ``count_is_estimate`` is True,
    ``count`` is the cap (or, with ``estimate``, PostgreSQL's planner estimate when higher),
    ``num_pages`` follows from it, and any page number still works: a page fetches one row more
    than it shows to know whether a next page exists."""

    def __init__(
        self,
        object_list: Any,
        per_page: int | str,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        error_messages: dict[str, Any] | None = None,
        *,
        cap: int | None = None,
        estimate: bool = False,
    ) -> None:
        super().__init__(object_list, per_page, orphans, allow_empty_first_page, error_messages)
        self.cap = count_cap() if cap is None else max(1, cap)
        self.estimate = estimate

    @cached_property
    def counted(self) -> int:
        """Rows counted, at most cap + 1."""
        return capped_count(self.object_list, self.cap)

    @property
    def count_is_estimate(self) -> bool:
        return self.counted > self.cap

    @cached_property
    def count(self) -> int:
        if not self.count_is_estimate:
            return self.counted
        guess = planner_estimate(self.object_list) if self.estimate else None
        return max(guess or 0, self.cap)

    def validate_number(self, number: Any) -> int:
        if not self.count_is_estimate:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            value = int(number)
        except (TypeError, ValueError):
            return super().validate_number(number)  # raises PageNotAnInteger
        if value < 1:
            return super().validate_number(value)  # raises EmptyPage
        return value

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        if not self.count_is_estimate:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, len(rows) > self.per_page)

    def get_page(self, number: Any) -> Page:
        """As Paginator.get_page; past the end of an estimated list, the first page."""
        try:
            return super().get_page(number)
        except EmptyPage:
            return self.page(1)


class EstimatingPaginator(CappedPaginator):
    """CappedPaginator with PostgreSQL's planner estimate above the cap."""

    def __init__(self, object_list: Any, per_page: int | str, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("estimate", True)
        super().__init__(object_list, per_page, *args, **kwargs)


class ApiPagination(PageNumberPagination):
    """Every API list: ``?page=N``; ``count`` exact up to the cap, estimated above it and then
    flagged ``count_is_estimate``; ``next`` whenever a further row exists."""

    django_paginator_class = EstimatingPaginator

    def get_page_number(self, request: Request, paginator: Paginator) -> Any:
        number = request.query_params.get(self.page_query_param) or 1
        if number in self.last_page_strings and getattr(paginator, "count_is_estimate", False):
            # The last page of an estimated list: counted exactly, since asked for by name.
            rows = paginator.object_list
            total = rows.count() if isinstance(rows, QuerySet) else len(rows)
            return max(1, math.ceil(total / paginator.per_page))
        return super().get_page_number(request, paginator)

    def get_paginated_response(self, data: Any) -> Response:
        page = self.page
        assert page is not None  # set by paginate_queryset
        paginator = page.paginator
        # An estimate is never below the rows the client could already see.
        seen = page.end_index() + int(page.has_next())
        return Response(
            {
                "count": max(paginator.count, seen),
                "count_is_estimate": bool(getattr(paginator, "count_is_estimate", False)),
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["count", "count_is_estimate", "results"]
        properties = paginated["properties"]
        properties["count"]["description"] = (
            "Rows in the list: exact up to the count cap (1,000 by default), above it an estimate."
        )
        paginated["properties"] = {
            "count": properties.pop("count"),
            "count_is_estimate": {
                "type": "boolean",
                "example": False,
                "description": "True when the list holds more rows than the cap and `count` "
                "is an estimate; `next` is still present whenever a further page exists.",
            },
            **properties,
        }
        return paginated
