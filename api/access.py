"""The API's tenancy: /api/v1/w/<workspace_slug>/… resolved into request.workspace and
request.membership, as kolhub.tenancy.workspace_member does for the pages.

- A token reaches only its own workspace: another slug is 404, like an unknown one. It acts
  as a manager of that workspace (its events name the person who created it), limited to its
  scopes (403 for a scope it lacks).
- A signed-in user reaches the workspaces they are a member or more of (client viewers and
  outsiders get 404), with every scope: the same person on the pages.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.middleware.http import ConditionalGetMiddleware
from django.utils import timezone, translation
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request

from api.models import ApiToken
from api.problems import TooLarge
from kolhub.http import MAX_ID
from kolhub.models import Membership, Role
from kolhub.tenancy import membership_for_slug, memberships_of

# ETag from the body of a 200 GET; If-None-Match answered 304 (Django's middleware, as a
# decorator on the API's views only).
conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


def _resolve(request: Request, slug: str, scope: str, role: str) -> Membership:
    token = request.auth if isinstance(request.auth, ApiToken) else None
    if token is not None:
        if token.workspace.slug != slug:
            raise Http404
        if not token.has_scope(scope):
            raise PermissionDenied(_("This token lacks the “%(scope)s” scope.") % {"scope": scope})
        user = token.created_by if token.created_by_id else None
        # Not saved: the token's standing in its workspace, whoever created it.
        return Membership(workspace=token.workspace, user=user, role=Role.MANAGER)
    membership = membership_for_slug(memberships_of(request.user), slug)
    if not membership.has_role(role):
        raise Http404
    return membership


def _check_size(request: Request) -> None:
    """Bounded work: a JSON body past DATA_UPLOAD_MAX_MEMORY_SIZE is refused before it is read
    (DRF reads the stream itself, past Django's own check); uploads are bounded by the import."""
    if (request.content_type or "").startswith("multipart/"):
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        raise TooLarge(
            _("The body is larger than %(size)s bytes: send less at once.") % {"size": limit}
        )


def workspace_endpoint(
    methods: dict[str, str], role: str = Role.MEMBER, parsers: list | None = None
) -> Callable:
    """An API view under /api/v1/w/<workspace_slug>/: `methods` maps each HTTP method to the
    scope it needs. Sets request.workspace, request.membership and request.actor (the user
    events name, or None); object ids past the largest key are 404; GETs answer ETag/304."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def inner(request: Request, workspace_slug: str, **kwargs: Any):
            for name, value in kwargs.items():
                if name.endswith("_id") and isinstance(value, int) and value > MAX_ID:
                    raise Http404
            _check_size(request)
            for name, values in request.query_params.lists():
                if "\x00" in name or "\x00" in "".join(values):
                    raise ValidationError({name: [_("Null characters are not allowed.")]})
            scope = methods.get(request.method or "GET", methods.get("GET", ""))
            membership = _resolve(request, workspace_slug, scope, role)
            request.membership = membership
            request.workspace = membership.workspace
            user = membership.user if membership.user_id else None
            request.actor = None if isinstance(user, AnonymousUser) else user
            language = None
            if isinstance(request.auth, ApiToken) and "HTTP_ACCEPT_LANGUAGE" not in request.META:
                language = membership.workspace.language
            with (
                timezone.override(zoneinfo.ZoneInfo(membership.workspace.timezone)),
                translation.override(language or translation.get_language()),
            ):
                return view(request, **kwargs)

        if parsers is not None:
            inner.parser_classes = parsers  # type: ignore[attr-defined]  # read by api_view
        wrapped = api_view(list(methods))(inner)
        # DRF's view calls `inner`; saying so lets tools that unwrap views (the request fuzz
        # reads the role from the closure, as for workspace_member) find it.
        wrapped.__wrapped__ = inner
        endpoint = vary_on_headers("Authorization", "Cookie", "Accept-Language")(
            conditional_get(wrapped)
        )
        # A NUL in the query is refused above as a problem, not by kolhub's middleware as HTML.
        endpoint.nul_tolerant = True  # type: ignore[attr-defined]
        return endpoint

    return decorator
