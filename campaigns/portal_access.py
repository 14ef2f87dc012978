"""Opening the creator portal: the token in the URL is the credential. Every portal view, in
this app or another (tracking's account connections), starts from portal_view."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache

from campaigns import services

PortalView = Callable[..., HttpResponse]


def portal_view(view: PortalView) -> PortalView:
    """Resolve the token into request.portal, in the link's language; unusable links get a page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            link = services.portal_link_by_token_unscoped(token)
        except services.PortalLinkUnusable as unusable:
            return render(
                request,
                "campaigns/portal/unusable.html",
                {"reason": unusable.reason},
                status=404 if unusable.reason == "unknown" else 410,
            )
        with translation.override(link.language):
            request.LANGUAGE_CODE = link.language
            response = view(request, link, *args, **kwargs)
        # The token is in the URL: never send it to another site (same-origin keeps the
        # Origin header that CSRF checks need; "no-referrer" would make it "null").
        response["Referrer-Policy"] = "same-origin"
        return response

    return never_cache(wrapper)
