"""HTTP plumbing the providers share: the client, network failures, Retry-After, counts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
from django.conf import settings
from django.utils import timezone

from tracking.ingest.providers.base import ErrorCode, TemporaryFailure
from tracking.ingest.ratelimit import throttle

T = TypeVar("T")


# The largest value a counter column (bigint) holds.
MAX_COUNTER = 2**63 - 1
# A platform's quota windows are a day at most (YouTube's resets at midnight Pacific time); a
# later Retry-After is a broken header, and obeying it would stop pulls for good.
LONGEST_RETRY_AFTER = timedelta(days=1)


class BadValue(ValueError):
    """A field the platform documents as a count held something else."""


def client(base_url: str, *, platform: str) -> httpx.Client:
    """A client whose every request first waits for the platform's shared call budget."""
    return httpx.Client(
        base_url=base_url,
        timeout=settings.PROVIDER_TIMEOUT_SECONDS,
        headers={"User-Agent": "KOLHub metrics puller"},
        follow_redirects=False,
        event_hooks={"request": [lambda request: throttle(platform)]},
    )


def send(http: httpx.Client, method: str, path: str, **kwargs: Any) -> httpx.Response:
    try:
        return http.request(method, path, **kwargs)
    except httpx.TransportError as exc:
        # Timeouts, refused connections, resets: the platform may answer on the next try.
        code = ErrorCode.TIMEOUT if isinstance(exc, httpx.TimeoutException) else ErrorCode.NETWORK
        raise TemporaryFailure(
            f"Could not reach {http.base_url.host}: {type(exc).__name__}", code=code
        ) from exc


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The body as a JSON object; anything else is a broken answer worth retrying."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise TemporaryFailure(
            f"{response.request.url.host} answered HTTP {response.status_code} "
            "with a body that is not a JSON object",
            code=ErrorCode.BAD_ANSWER,
        )
    return body


def retry_after(response: httpx.Response, *, default: timedelta) -> datetime:
    """When the platform says to come back (Retry-After in seconds or as a date), at most
    LONGEST_RETRY_AFTER from now."""
    now = timezone.now()
    header = response.headers.get("Retry-After", "").strip()
    if header.isascii() and header.isdigit():
        # Compared as text first: timedelta overflows past 86,400 billion seconds.
        seconds = int(header) if len(header) <= 9 else LONGEST_RETRY_AFTER.total_seconds()
        return now + min(timedelta(seconds=seconds), LONGEST_RETRY_AFTER)
    if header:
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            when = None
        if when is not None and when.tzinfo is not None:
            return min(max(when, now), now + LONGEST_RETRY_AFTER)
    return now + default


def as_count(value: Any) -> int | None:
    """A counter from a JSON value: missing stays None (unknown, never 0); junk is BadValue.

    YouTube sends counts as strings ("12345"), the Graph APIs and TikTok as numbers.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise BadValue(f"expected a count, got {value!r}")
    if isinstance(value, int):
        count = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        # A counter column holds 19 digits; int() of a longer text takes time and past 4,300
        # digits raises a ValueError of its own.
        count = int(value.strip()) if len(value.strip()) <= 19 else MAX_COUNTER + 1
    elif isinstance(value, float) and value.is_integer():
        count = int(value)
    else:
        raise BadValue(f"expected a count, got {value!r}")
    if not 0 <= count <= MAX_COUNTER:
        raise BadValue(f"expected a count, got {str(value)[:40]!r}")
    return count


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def https_url(value: Any) -> str:
    """An https address from a JSON value, else "" (the worker fetches nothing else)."""
    if isinstance(value, str) and value.startswith("https://") and len(value) <= 2000:
        return value
    return ""
