"""Rendered HTML kept in Django's cache (Redis with REDIS_URL, else the file cache under
var/, which every process of the machine shares), so a busy page renders less.

A key is made of everything the fragment shows: the version of the stored data it reads
(e.g. a campaign result's pk and computed_at), the workspace, the reader's role, the
language, the timezone, the query string, and the release (the code and templates that
render it, so a deploy never serves HTML of the version before from Redis). A change to any
of them is a new key, so nothing has to be deleted when data changes; stale entries expire
after FRAGMENT_SECONDS. Keys never name a user or a workspace in clear text, and never mix
two workspaces: the workspace is a part of every key.

A whole page (cached_page) is kept per reader: its key adds everything the layout shows of
them (name, workspaces, role, brands, unread count) and the address. Its CSRF token is a
stand-in, replaced by the reader's own token as the page goes out; a page with a message to
show is rendered afresh and not kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache as django_cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from kolhub.selectors import nav_brands_from, nav_brands_key

if TYPE_CHECKING:
    from kolhub.tenancy import WorkspaceRequest

FRAGMENT_SECONDS = 3600
# The CSRF token a kept page is rendered with. Printed escaped, as every token is
# ("&lt;kolhub-csrf&gt;"): no escaped text renders to that, so nothing else is replaced.
CSRF_STAND_IN = "<kolhub-csrf>"
PRINTED_STAND_IN = "&lt;kolhub-csrf&gt;"


def fragment_key(name: str, *parts: object) -> str:
    """The cache key of fragment `name` for these parts, the language, the timezone and the
    release."""
    text = repr((parts, get_language(), timezone.get_current_timezone_name(), release()))
    return f"fragment:{name}:{hashlib.sha256(text.encode()).hexdigest()}"


@cache
def release() -> str:
    """A digest of the Python and template files this process runs (paths, sizes, times):
    the same for every process of a deploy, another after the next one."""
    digest = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.suffix in (".py", ".html"):
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


SOURCES = ("kolhub", "creators", "campaigns", "tracking", "templates")


def cached_fragment(key: str, render: Callable[[], str]) -> str:
    """The HTML stored under `key`, or `render()`'s, stored for next time."""
    html = django_cache.get(key)
    if html is None:
        html = render()
        django_cache.set(key, html, FRAGMENT_SECONDS)
    return html


def cached_page(
    request: WorkspaceRequest,
    name: str,
    version: object,
    render: Callable[[dict[str, str]], HttpResponse],
) -> HttpResponse:
    """Page `name` as `render(extra_context)` renders it, kept for this reader and address
    while `version` (everything the page shows beyond the layout) stays the same."""
    if _has_messages(request):
        return render({})
    key = fragment_key(
        f"page-{name}",
        request.workspace.pk,
        layout_version(request),
        version,
        request.get_full_path(),
        # A fragment, or a whole page (a boosted link asks for the page, as a plain GET does).
        bool(request.htmx) and not request.htmx.boosted,
        settings.SITE_URL,
    )
    # One round trip for the page and the brand switcher it shows, which the page is kept with.
    nav_key = nav_brands_key(request.membership)
    found = django_cache.get_many([nav_key, key])
    brands = nav_brands_from(request.membership, found.get(nav_key))
    kept = found.get(key)
    if kept is not None and kept[0] == brands:
        html = kept[1]
    else:
        response = render({"csrf_token": CSRF_STAND_IN})
        if response.status_code != 200:
            return _with_token(request, response)
        html = response.content.decode()
        django_cache.set(key, (brands, html), FRAGMENT_SECONDS)
    return _with_token(request, HttpResponse(html))


def layout_version(request: WorkspaceRequest) -> tuple[object, ...]:
    """What base.html shows of the reader but the brand switcher (cached_page compares it):
    their name, their workspaces and role in each, the bell's count."""
    user, membership = request.user, request.membership
    return (
        user.pk,
        user.display_name,
        user.email,
        user.is_staff,
        [
            (m.pk, m.role, m.workspace.name, m.workspace.slug, m.workspace.is_demo)
            for m in request.user_memberships
        ],
        membership.pk,
        request.workspace.timezone,
        request.workspace.currency,
        getattr(membership, "unread_notifications", None),
    )


def _has_messages(request: WorkspaceRequest) -> bool:
    # len() reads the stored messages without marking them shown.
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _with_token(request: WorkspaceRequest, response: HttpResponse) -> HttpResponse:
    response.content = response.content.replace(
        PRINTED_STAND_IN.encode(), get_token(request).encode()
    )
    return response
