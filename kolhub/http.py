"""Small request helpers shared by the apps' views."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme


def posted(request: HttpRequest) -> QueryDict | None:
    """The POST data to bind a form to, even when empty (so it shows "required" errors)."""
    return request.POST if request.method == "POST" else None


# The largest primary key (a bigint): an id parameter past it is no row, not a database error.
MAX_ID = 2**63 - 1
# The most ids one bulk action takes: a page of checkboxes holds far fewer, and Django refuses
# a form of more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields anyway.
MAX_IDS = 1000


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


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind AXES_IPWARE_PROXY_COUNT = N trusted
    proxies the N-th address from the right in X-Forwarded-For (each proxy appends the
    address it was reached from; what a client wrote itself stays to the left)."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",") if a]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def row_id(value: str | None) -> int | None:
    """An id from a query string or form, or None when it cannot be one."""
    return whole_number(value, at_most=MAX_ID)


def row_ids(values: list[str]) -> list[int]:
    """The ids among a list of posted values (the first MAX_IDS), the rest left out."""
    return [pk for value in values[:MAX_IDS] if (pk := row_id(value)) is not None]
