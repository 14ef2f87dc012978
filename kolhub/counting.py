"""How many rows a list has, at a price that does not grow with the table.

Counting 100,000 matching rows exactly costs PostgreSQL a scan of all of them on every page
view, to print a figure nobody reads to the last digit. So a list counts exactly up to
EXACT_UP_TO rows (a count over a LIMITed subquery: it stops reading at the cap), and above that
shows the planner's estimate of the rows ("about 12,000"), which costs a plan and no scan.
SQLite (the embedded default, laptop sizes) has no row estimate: there the count is exact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

EXACT_UP_TO = 10_000


@dataclass(frozen=True)
class RowCount:
    """A list's size: exact, or (`estimated`) the planner's figure for a list known to be
    longer than EXACT_UP_TO rows."""

    value: int
    estimated: bool = False


def row_count(rows: QuerySet[Any], *, exact_up_to: int | None = None) -> RowCount:
    """The number of rows of the queryset: exact up to `exact_up_to` (EXACT_UP_TO unless
    given), estimated above it on PostgreSQL, exact on other databases."""
    if exact_up_to is None:
        exact_up_to = EXACT_UP_TO
    connection = connections[rows.db]
    if connection.vendor != "postgresql":
        return RowCount(rows.count())
    unordered = rows.order_by()
    capped = unordered.values("pk")[: exact_up_to + 1].count()
    if capped <= exact_up_to:
        return RowCount(capped)
    return RowCount(max(_planner_rows(unordered), exact_up_to + 1), estimated=True)


def _planner_rows(rows: QuerySet[Any]) -> int:
    """The planner's estimate of the rows the query returns (EXPLAIN: no row is read)."""
    sql, params = rows.values("pk").query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class CountedPaginator(Paginator):
    """A Paginator taking its count from row_count: page numbers past the estimate's end
    show an empty page, never an error."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, total: RowCount) -> None:
        super().__init__(object_list, per_page)
        self.total = total

    @cached_property
    def count(self) -> int:
        return self.total.value
