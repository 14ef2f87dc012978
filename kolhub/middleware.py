from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the cookie and the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = getattr(request.user, "language", "") if hasattr(request, "user") else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def nul_tolerant(view: Callable) -> Callable:
    """Mark a view that reads its query string itself and answers whatever it gets (a
    shop's thank-you-page pixel must never fail the page it sits on)."""
    view.nul_tolerant = True  # type: ignore[attr-defined]
    return view


class RefuseNulMiddleware:
    """A NUL byte in the path or the query string is answered 400 before any view reads it:
    no text field can hold one (PostgreSQL refuses it in a query), so a view that looked up a
    token from the path (%00 in a URL), or searched or filtered by a parameter, would fail.
    Forms refuse it in posted fields already (Django's own validator)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:  # before the URL is resolved: no view takes one
            raise BadRequest("NUL byte in the path")
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> None:
        if getattr(view_func, "nul_tolerant", False):
            return  # the view reads its query itself
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            raise BadRequest("NUL byte in the query string")
