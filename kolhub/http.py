"""Small request helpers shared by the apps' views."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """The POST data to bind a form to, even when empty (so it shows "required" errors)."""
    return request.POST if request.method == "POST" else None
