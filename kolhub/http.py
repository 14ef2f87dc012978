"""Small request helpers shared by the apps' views."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme


def posted(request: HttpRequest) -> QueryDict | None:
    """The POST data to bind a form to, even when empty (so it shows "required" errors)."""
    return request.POST if request.method == "POST" else None


def local_url(request: HttpRequest, url: str | None, fallback: str) -> str:
    """Where a form's `next` may send the browser back to: a path on this site, else the
    fallback. Never another site, and never a bare word (redirect() would look it up as a URL
    name and fail)."""
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return fallback


def whole_number(value: str | None, *, at_most: int) -> int | None:
    """A whole number written in ASCII digits, no larger than `at_most`; None for anything
    else. A query string may carry thirty digits, or digits of another script that int()
    reads too ("١٢٣"), and the database refuses an OFFSET past its integer range."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value[:20])
    return number if len(value) <= 20 and number <= at_most else None


# The largest id a row can have: a signed 64-bit integer (PostgreSQL's bigint, SQLite's INTEGER).
MAX_ID = 2**63 - 1


def record_id(value: str | None) -> int | None:
    """A row id a query string or a form sent, or None for what cannot be one: "²" passes
    str.isdigit() but not int(), and past MAX_ID SQLite raises OverflowError in a foreign key
    or IN lookup (an id lookup it answers "none")."""
    return whole_number(value, at_most=MAX_ID)
