"""Why a post or a connection could not be read, as people read it: each stored error code
(providers.base.ErrorCode) is one translated sentence naming the post's own platform.

The platform's own words stay in `last_error` for staff (a tooltip, the admin); pages show the
sentence. Rows stored before codes existed have only those words: `error_code_of` reads the
code from them the way the providers wrote them, so old rows read like new ones.
"""

from __future__ import annotations

import re
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from creators.models import Platform
from tracking.ingest.providers.base import GONE_CODES, SETUP_CODES, ErrorCode

SENTENCES = {
    ErrorCode.NOT_CONFIGURED: _(
        "No %(platform)s connection in this workspace to read this post with."
    ),
    ErrorCode.CONNECTION_OFF: _("The %(platform)s connection is not working: reconnect it."),
    ErrorCode.AUTH_EXPIRED: _(
        "%(platform)s no longer accepts the connection's sign-in (expired or revoked): "
        "reconnect it."
    ),
    ErrorCode.KEY_INVALID: _("%(platform)s rejected the API key (invalid, expired or restricted)."),
    ErrorCode.FORBIDDEN: _("%(platform)s refused access with this connection's permissions."),
    ErrorCode.QUOTA_EXCEEDED: _(
        "The key's daily %(platform)s quota is used up; reading resumes after the daily reset."
    ),
    ErrorCode.RATE_LIMITED: _("%(platform)s asked us to slow down; the post is read again later."),
    ErrorCode.NO_PERMISSION: _(
        "%(platform)s does not share this post's figures (too few viewers or a missing permission)."
    ),
    ErrorCode.NOT_FOUND: _("%(platform)s cannot find this post."),
    ErrorCode.DELETED: _("%(platform)s no longer shows this post (deleted or removed)."),
    ErrorCode.PRIVATE: _("The post is private on %(platform)s."),
    ErrorCode.NOT_LISTED: _(
        "The post is older than the recent posts %(platform)s lets us look through."
    ),
    ErrorCode.NOT_OWN_ACCOUNT: _(
        "This post is not on the connected %(platform)s account: it is read once its creator "
        "connects their own account."
    ),
    ErrorCode.NOT_DISCOVERABLE: _(
        "%(platform)s does not show this creator's account to other accounts (a personal or "
        "age-restricted account), so not even its public counts can be read: the creator can "
        "connect their own account, or report the post's figures in the creator portal."
    ),
    ErrorCode.NOT_PUBLICLY_LISTED: _(
        "%(platform)s does not show this post among the creator's public posts (removed, "
        "archived, or posted from another account); only the creator's own connection can "
        "tell whether it was taken down."
    ),
    ErrorCode.NO_HANDLE: _(
        "The creator's profile has no %(platform)s handle to find this post by: add it, or "
        "have the creator connect their own account."
    ),
    ErrorCode.UNSUPPORTED_LINK: _(
        "This %(platform)s link cannot be read by its ID (a story or a short link)."
    ),
    ErrorCode.UNSUPPORTED_PLATFORM: _("KOLHub cannot read %(platform)s posts yet."),
    ErrorCode.BAD_ANSWER: _(
        "%(platform)s answered with figures that cannot be trusted; the last good ones are kept."
    ),
    ErrorCode.TIMEOUT: _("%(platform)s did not answer in time; it is tried again later."),
    ErrorCode.NETWORK: _("%(platform)s could not be reached; it is tried again later."),
    ErrorCode.PLATFORM_DOWN: _("%(platform)s had a temporary error; it is tried again later."),
    ErrorCode.FAILED: _("Reading from %(platform)s failed."),
}

# How the providers worded each error before codes were stored, most specific first.
LEGACY_PATTERNS = (
    (re.compile(r"^No \w+ connection"), ErrorCode.NOT_CONFIGURED),
    (re.compile(r"cannot read \w+ posts yet"), ErrorCode.UNSUPPORTED_PLATFORM),
    (
        re.compile(r"connection .* is not working|does not say which account", re.I),
        ErrorCode.CONNECTION_OFF,
    ),
    (re.compile(r"quotaExceeded|dailyLimitExceeded|quota used up", re.I), ErrorCode.QUOTA_EXCEEDED),
    (
        re.compile(r"keyInvalid|keyExpired|accessNotConfigured|ipRefererBlocked"),
        ErrorCode.KEY_INVALID,
    ),
    (re.compile(r" code 190\b|access_token_invalid"), ErrorCode.AUTH_EXPIRED),
    (
        re.compile(
            r"rateLimitExceeded|rate_limit_exceeded|HTTP 429| code (4|17|32|341|613|80002)\b"
        ),
        ErrorCode.RATE_LIMITED,
    ),
    (re.compile(r" code 100/33\b"), ErrorCode.NOT_FOUND),
    (re.compile(r" code 10\b"), ErrorCode.NO_PERMISSION),
    (re.compile(r"no longer (lists|returns)|upload status", re.I), ErrorCode.DELETED),
    (re.compile(r"is private"), ErrorCode.PRIVATE),
    (re.compile(r"not among the account's most recent"), ErrorCode.NOT_LISTED),
    (
        re.compile(r"stories cannot|short link|has no (shortcode|numeric)", re.I),
        ErrorCode.UNSUPPORTED_LINK,
    ),
    (re.compile(r"Timeout"), ErrorCode.TIMEOUT),
    (re.compile(r"Could not reach"), ErrorCode.NETWORK),
    (re.compile(r"HTTP 5\d\d|internal_error|backendError"), ErrorCode.PLATFORM_DOWN),
)


class HasReadError(Protocol):
    """A post or a connection: its platform, its stored code and the platform's words."""

    platform: str
    error_code: str
    last_error: str


def error_code_of(row: HasReadError) -> ErrorCode | None:
    """The row's error code; for a row stored before codes, read from its words."""
    if row.error_code:
        try:
            return ErrorCode(row.error_code)
        except ValueError:
            return ErrorCode.FAILED
    if not row.last_error:
        return None
    return next(
        (code for pattern, code in LEGACY_PATTERNS if pattern.search(row.last_error)),
        ErrorCode.FAILED,
    )


def error_sentence(code: ErrorCode | str, platform: str) -> str:
    """The translated sentence of an error code, naming the platform."""
    try:
        sentence = SENTENCES[ErrorCode(code)]
    except ValueError:
        sentence = SENTENCES[ErrorCode.FAILED]
    return sentence % {"platform": platform_label(platform)}


def platform_label(platform: str) -> str:
    try:
        return str(Platform(platform).label)
    except ValueError:
        return platform


def read_error(row: HasReadError) -> str:
    """The row's last read error as a translated sentence, "" when it has none."""
    code = error_code_of(row)
    return "" if code is None else error_sentence(code, row.platform)


def needs_setup(code: ErrorCode | str) -> bool:
    """Whether a person must fix a connection (Settings → Platform connections) first."""
    return code in SETUP_CODES


def is_gone(code: ErrorCode | str) -> bool:
    return code in GONE_CODES
