"""Secrets kept out of logs and stored error texts: API keys, tokens, passwords, codes.

Platform calls send their credentials in headers, but some places must still carry one in a
URL (Meta's OAuth code exchange is documented as a GET with client_secret and code in the
query), httpx logs every request URL at INFO, and a platform's error message may quote what it
was sent. So every log record passes through RedactSecrets (settings.LOGGING puts it on the
handlers; kolhub.celery on the worker's), and error texts that are stored or shown go through
redact() first.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

REDACTED = "[redacted]"
# Names whose values are secrets in a query string, a form, a JSON body or a dict's repr.
SECRET_NAMES = (
    "access_token",
    "refresh_token",
    "id_token",
    "fb_exchange_token",
    "client_secret",
    "app_secret",
    "api_key",
    "apikey",
    "key",
    "token",
    "code",
    "password",
    "passwd",
    "secret",
    "signature",
    "sig",
    "sessionid",
    "csrftoken",
    "csrfmiddlewaretoken",
)
# Also with a prefix: my_api_key, x-api-key, page_access_token.
_NAMES = "(?:[\\w-]*[_-])?(?:" + "|".join(sorted(SECRET_NAMES, key=len, reverse=True)) + ")"
# Headers whose values are credentials.
_HEADERS = "authorization|proxy-authorization|x-goog-api-key|x-api-key|cookie|set-cookie"

_PATTERNS = (
    # name=value in a URL or a form (also URL-encoded inside another URL: name%3Dvalue).
    (
        re.compile(rf"(?i)(?:(?<![\w.%-])|(?<=%3F)|(?<=%26))({_NAMES})(=|%3D)[^&\s\"'<>#,;)\]}}]+"),
        rf"\1\2{REDACTED}",
    ),
    # "name": "value" or 'name': 'value' (JSON, a dict's repr).
    (
        re.compile(rf"(?i)([\"'])({_NAMES})\1(\s*[:=]\s*)([\"'])[^\"']*\4"),
        rf"\1\2\1\3\4{REDACTED}\4",
    ),
    # Authorization: Bearer value, X-Goog-Api-Key: value, and their dict forms.
    (
        re.compile(
            rf"(?i)\b({_HEADERS})([\"']?\s*[:=]\s*[\"']?)((?:bearer|basic|oauth|token)\s+)?"
            r"[^\s\"',;]+"
        ),
        rf"\1\2\3{REDACTED}",
    ),
    # A bearer token quoted on its own.
    (re.compile(r"(?i)\bbearer\s+[\w.~+/=-]{8,}"), f"Bearer {REDACTED}"),
)
# Shorter values are no secret worth hiding, and replacing them would garble the text.
MIN_SECRET_LENGTH = 8


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """The text with credential values replaced, and each of `secrets` wherever it appears."""
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_LENGTH:
            text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_json(value: Any, secrets: Iterable[str] = ()) -> Any:
    """A JSON value with every string redacted (a platform's paging URL may carry a token)."""
    secrets = tuple(secrets)
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, list):
        return [redact_json(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: redact_json(item, secrets) for key, item in value.items()}
    return value


class RedactSecrets(logging.Filter):
    """Redacts the message, the traceback and the stack of every record a handler emits.

    A filter on a handler (not on a logger) sees the records of every logger that propagate
    to it: httpx's, celery's, Django's and ours.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install_on(logger: logging.Logger) -> None:
    """Add the filter to each of the logger's handlers that lacks it."""
    for handler in logger.handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())
