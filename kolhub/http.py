"""Small request helpers shared by the apps' views."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """The POST data to bind a form to, even when empty (so it shows "required" errors)."""
    return request.POST if request.method == "POST" else None


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
