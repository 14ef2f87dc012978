"""GET /r/<code>: the tracked link's redirect, on the hot path of every click."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from tracking.sales import clicks


@require_safe
def tracked_redirect(request: HttpRequest, code: str) -> HttpResponse:
    """302 to the link's own destination (never one from the request), with a click id."""
    link = clicks.link_for_code(code)
    if link is None:
        raise Http404
    click_id = clicks.click_record(link, request)
    response = HttpResponseRedirect(clicks.with_click_id(link.target, click_id))
    # Every visit must reach us to be counted: no browser or proxy may reuse this answer.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer-when-downgrade"
    return response
