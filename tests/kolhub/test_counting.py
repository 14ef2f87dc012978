"""Lists count exactly up to 10,000 rows and show PostgreSQL's estimate above ("about 12,000",
"約 1.2萬"): the count of a big list costs a plan, not a scan. SQLite counts exactly."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import translation

from creators.models import Creator
from kolhub import counting
from kolhub.counting import CountedPaginator, RowCount, row_count
from kolhub.formatting import approximate
from tests.factories import CreatorFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the row estimate is PostgreSQL's"
)


def test_it_counts_exactly_up_to_the_threshold(workspace):
    CreatorFactory.create_batch(4, workspace=workspace)
    rows = Creator.objects.for_workspace(workspace)
    assert row_count(rows, exact_up_to=4) == RowCount(4)
    assert row_count(rows.filter(display_name="nobody"), exact_up_to=4) == RowCount(0)


@postgres_only
def test_it_estimates_above_the_threshold_on_postgres(workspace):
    CreatorFactory.create_batch(6, workspace=workspace)
    total = row_count(Creator.objects.for_workspace(workspace), exact_up_to=3)
    # Known to be more than the threshold; the figure is the planner's, never below it.
    assert total.estimated and total.value >= 4


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no estimate")
def test_it_counts_exactly_on_sqlite_whatever_the_size(workspace):
    CreatorFactory.create_batch(6, workspace=workspace)
    assert row_count(Creator.objects.for_workspace(workspace), exact_up_to=3) == RowCount(6)


def test_the_paginator_takes_its_count_from_the_row_count(workspace):
    CreatorFactory.create_batch(3, workspace=workspace)
    rows = Creator.objects.for_workspace(workspace).order_by("pk")
    paginator = CountedPaginator(rows, 2, total=RowCount(12_345, estimated=True))
    assert paginator.count == 12_345 and paginator.num_pages == 6_173
    # A page past the rows (the estimate was high) is empty, not an error.
    assert list(paginator.get_page(5).object_list) == []


@pytest.mark.parametrize(
    ("language", "figures"),
    [("en", ["12,000", "120,000", "1,200,000"]), ("zh-hant", ["1.2萬", "12萬", "120萬"])],
)
def test_an_estimate_reads_to_two_significant_figures(language, figures):
    with translation.override(language):
        assert [approximate(n) for n in (12_345, 123_456, 1_234_567)] == figures


@postgres_only
def test_the_directory_says_about_above_the_threshold(alice_client, workspace, monkeypatch):
    monkeypatch.setattr(counting, "EXACT_UP_TO", 20)
    CreatorFactory.create_batch(30, workspace=workspace)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE creators_creator")  # the planner's figure: about 30
    response = alice_client.get(f"/w/{workspace.slug}/creators/", {"page": "2"})
    page = response.content.decode()
    assert response.context["total"].estimated
    assert "about " in page and "Page 2 of about " in page
