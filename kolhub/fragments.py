"""Rendered HTML kept in Django's cache (Redis with REDIS_URL, else the file cache under
var/, which every process of the machine shares), so a busy page renders less.

A key is made of everything the fragment shows: the version of the stored data it reads
(e.g. a campaign result's pk and computed_at), the workspace, the reader's role, the
language, the timezone, the query string, and the release (the code and templates that
render it, so a deploy never serves HTML of the version before from Redis). A change to any
of them is a new key, so nothing has to be deleted when data changes; stale entries expire
after FRAGMENT_SECONDS. Keys never name a user or a workspace in clear text, and never mix
two workspaces: the workspace is a part of every key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.utils import timezone
from django.utils.translation import get_language

FRAGMENT_SECONDS = 3600


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
