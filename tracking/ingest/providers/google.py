"""What the Google APIs we read share (YouTube Data API v3, YouTube Analytics API v2): how the
credentials are sent, and the error envelope `{"error": {"code", "message", "errors": [{"reason",
"domain", …}]}}` sorted into the batch-level errors (PLATFORMS.md 1.5)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import httpx

from tracking.ingest.providers.base import (
    AuthExpired,
    Credentials,
    ErrorCode,
    ProviderError,
    RateLimited,
    TemporaryFailure,
)
from tracking.ingest.providers.http import retry_after

QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
THROTTLE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
KEY_REASONS = {"keyInvalid", "keyExpired", "accessNotConfigured", "ipRefererBlocked"}
FORBIDDEN_REASONS = {"forbidden", "insufficientPermissions"}
NOT_FOUND_REASONS = {"videoNotFound", "channelNotFound", "playlistNotFound", "notFound"}
THROTTLE_WAIT = timedelta(minutes=1)


def auth_header(credentials: Credentials) -> dict[str, str]:
    # A creator's Google grant is a Bearer token; a key goes in a header, not in `key=`:
    # request URLs are logged (httpx, at INFO).
    if credentials.bearer:
        return {"Authorization": f"Bearer {credentials.token}"}
    return {"X-Goog-Api-Key": credentials.token}


def google_failure(
    response: httpx.Response,
    *,
    service: str,
    credentials: Credentials,
    quota_reset: Callable[[], datetime],
) -> ProviderError:
    """The batch-level error a failed call means; `quota_reset` books the day's quota as spent
    (where we count it) and says when it comes back."""
    reasons, message = error_reasons(response)
    detail = f"{service} HTTP {response.status_code} {','.join(sorted(reasons))}: {message}"
    if reasons & QUOTA_REASONS:
        return RateLimited(detail, retry_at=quota_reset(), code=ErrorCode.QUOTA_EXCEEDED)
    if reasons & THROTTLE_REASONS or response.status_code == 429:
        return RateLimited(detail, retry_at=retry_after(response, default=THROTTLE_WAIT))
    if reasons & FORBIDDEN_REASONS:
        return AuthExpired(detail, code=ErrorCode.FORBIDDEN)
    if reasons & KEY_REASONS or response.status_code == 401:
        # A 401 to a creator's grant is its token expired or revoked; to a key, the key.
        code = ErrorCode.AUTH_EXPIRED if credentials.bearer else ErrorCode.KEY_INVALID
        return AuthExpired(detail, code=code)
    if response.status_code >= 500:
        return TemporaryFailure(detail)
    if reasons & NOT_FOUND_REASONS or response.status_code == 404:
        return ProviderError(detail, code=ErrorCode.NOT_FOUND)
    return ProviderError(detail)


def error_reasons(response: httpx.Response) -> tuple[set[str], str]:
    """The reasons and message of Google's error envelope; empty when it has none."""
    try:
        error = response.json()["error"]
        reasons = {str(item["reason"]) for item in error.get("errors", []) if "reason" in item}
        return reasons, str(error.get("message", ""))[:300]
    except (ValueError, KeyError, AttributeError, TypeError):
        return set(), ""
