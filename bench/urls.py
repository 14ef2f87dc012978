"""The app's URLs plus the references /r/<code> is measured against, served side by side."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.utils import timezone

from tracking.models import Click
from tracking.sales import clicks


def bare_redirect(request: HttpRequest) -> HttpResponse:
    """The floor: a Django view answering a fixed 302, through the same middleware."""
    return HttpResponseRedirect("https://shop.example.com/coldbrew")


def insert_redirect(request: HttpRequest, code: str) -> HttpResponse:
    """The alternative design: the same redirect storing each click with an INSERT at once."""
    link = clicks.link_for_code(code)
    if link is None:
        raise Http404
    click_id = uuid.uuid4().hex
    agent = request.headers.get("User-Agent", "")
    Click.objects.create(
        workspace_id=link.workspace_id,
        link_id=link.link_id,
        click_id=click_id,
        occurred_at=timezone.now(),
        visitor=clicks.visitor_hash(clicks.client_ip(request), agent, timezone.now().date()),
        is_bot=clicks.is_bot(agent, request.method),
    )
    return HttpResponseRedirect(clicks.with_click_id(link.target, click_id))


urlpatterns = [
    path("bench/bare", bare_redirect),
    path("bench/insert/<str:code>", insert_redirect),
    path("", include("kolhub.urls")),
]
