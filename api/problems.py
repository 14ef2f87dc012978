"""One error format for every failure of the API: RFC 9457 problem details
(application/problem+json), `detail` in the request's language, `errors` per field."""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from api.renderers import PROBLEM_CONTENT_TYPE

logger = logging.getLogger(__name__)


class Conflict(exceptions.APIException):
    """The request is valid but the object's state refuses it (a stage the rules forbid)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class TooLarge(exceptions.APIException):
    """A body larger than the API reads (DATA_UPLOAD_MAX_MEMORY_SIZE)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too-large"


def _titles() -> dict[int, str]:
    return {
        400: _("Invalid request"),
        401: _("Not authenticated"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        409: _("Conflict"),
        413: _("Content too large"),
        415: _("Unsupported media type"),
        422: _("Unprocessable content"),
        429: _("Too many requests"),
        500: _("Server error"),
    }


def problem(
    status_code: int,
    detail: str,
    *,
    code: str = "",
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem details response."""
    body: dict[str, Any] = {
        "type": f"urn:kolhub:problem:{code}" if code else "about:blank",
        "title": _titles().get(status_code, _("Error")),
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def field_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation errors as {"field" or "field.sub": [messages]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            flat |= field_errors(value, f"{prefix}.{name}".strip(".") if name else prefix)
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or "__all__": [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            flat |= field_errors(item, f"{prefix}.{index}".strip("."))
        return flat
    return {prefix or "__all__": [str(detail)]}


def problem_exception_handler(exc: Exception, context: dict) -> Response:
    """DRF's exception handler: every error, expected or not, as a problem."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        # No trace leaks out: the log has it, the client a plain 500.
        request = context.get("request")
        logger.exception("API error at %s", getattr(request, "path", "?"), exc_info=exc)
        set_rollback()
        return problem(500, _("Something went wrong on our side; try again later."), code="")
    headers: dict[str, str] = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    if (wait := getattr(exc, "wait", None)) is not None:
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
    set_rollback()
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            exc.status_code,
            _("Some fields are not valid; see errors."),
            code="validation",
            errors=field_errors(exc.detail),
            headers=headers,
        )
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if isinstance(exc, exceptions.Throttled):
        detail = _("Too many requests with this token; retry after %(seconds)s seconds.") % {
            "seconds": headers.get("Retry-After", "1")
        }
    code = getattr(exc.detail, "code", "") if isinstance(exc, Conflict) else ""
    return problem(exc.status_code, str(detail), code=code, headers=headers)


@csrf_exempt  # it changes nothing; a POST to a wrong address is a 404 too, not a CSRF page
def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any):
    """Any path under /api/v1/ that names no endpoint: a 404 problem, not the HTML page."""
    response = problem(404, _("No API endpoint at this address."))
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = PROBLEM_CONTENT_TYPE
    response.renderer_context = {}
    return response


# It reads no parameter: a NUL in the query of a wrong address is a 404 problem too.
not_found_view.nul_tolerant = True  # type: ignore[attr-defined]
