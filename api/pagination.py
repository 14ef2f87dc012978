"""Cursor pagination: pages that stay right while rows are added (newest first by id, which
grows with creation; the cursor holds a position, not an offset)."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
