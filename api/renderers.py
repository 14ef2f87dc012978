from __future__ import annotations

from rest_framework.renderers import JSONRenderer

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemJSONRenderer(JSONRenderer):
    """Lets the API answer application/problem+json to clients that accept only that."""

    media_type = PROBLEM_CONTENT_TYPE
