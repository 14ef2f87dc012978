"""How the API's endpoints are written down (OpenAPI) and its docs pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.serializers import PROBLEM_SCHEMA

PROBLEM_TEXT = {
    400: "Invalid input: `errors` names each field and what is wrong with it.",
    401: "No credentials, or a token that is unknown, expired or revoked.",
    403: "The token lacks the scope this endpoint needs.",
    404: "No such object in this workspace (or a workspace the caller may not reach).",
    409: "The object's state refuses the change; `detail` says why.",
    429: "Too many requests: retry after `Retry-After` seconds.",
}

CURSOR = OpenApiParameter("cursor", str, description="The `next` or `previous` link's cursor.")
PAGE_SIZE = OpenApiParameter(
    "page_size",
    {"type": "integer", "minimum": 1},
    description="Rows per page, at most 200 (50).",
)


def documented(
    scope: str,
    *,
    summary: str,
    responses: Any,
    request: Any = None,
    problems: tuple[int, ...] = (400, 401, 403, 404, 429),
    parameters: list | None = None,
    tags: list[str] | None = None,
    operation_id: str | None = None,
    method: str | None = None,
):
    """extend_schema with the scope the endpoint needs and the problems it answers."""
    answers = dict(responses) if isinstance(responses, dict) else {200: responses}
    for status in problems:
        answers[status] = OpenApiResponse(response=PROBLEM_SCHEMA, description=PROBLEM_TEXT[status])
    return extend_schema(
        summary=summary,
        description=f"Scope: `{scope}` (a token without it gets 403).",
        request=request,
        responses=answers,
        parameters=parameters,
        tags=tags,
        operation_id=operation_id,
        methods=[method] if method else None,
    )


class SchemaView(SpectacularAPIView):
    # Public (no tenant data); throttled per client address like any anonymous caller.
    authentication_classes: list = []


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the installed sidecar, its start-up script a separate file (no inline
    script, so it runs under the site's CSP)."""

    template_name = "api/swagger_ui.html"
