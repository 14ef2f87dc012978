"""Cursor pagination: pages that stay right while rows are added (newest first by id, which
grows with creation; the cursor holds a position, not an offset)."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class SeriesCursorPagination(CursorPagination):
    """A time series, oldest first (one row per post and hour: the hour is unique)."""

    ordering = "bucket"
    page_size = 500
    page_size_query_param = "page_size"
    max_page_size = 1000
