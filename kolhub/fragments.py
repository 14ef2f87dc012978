"""Rendered HTML kept in Django's cache (Redis with REDIS_URL, else the file cache under
var/, which every process of the machine shares), so a busy page renders less.

A key is made of everything the fragment shows: the version of the stored data it reads
(e.g. a campaign result's pk and computed_at), the workspace, the reader's role, the
language, the timezone, the query string. A change to any of them is a new key, so nothing
has to be deleted when data changes; stale entries expire after FRAGMENT_SECONDS. Keys never
name a user or a workspace in clear text, and never mix two workspaces: the workspace is a
part of every key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

FRAGMENT_SECONDS = 3600


def fragment_key(name: str, *parts: object) -> str:
    """The cache key of fragment `name` for these parts, the language and the timezone."""
    text = repr((parts, get_language(), timezone.get_current_timezone_name()))
    return f"fragment:{name}:{hashlib.sha256(text.encode()).hexdigest()}"


def cached_fragment(key: str, render: Callable[[], str]) -> str:
    """The HTML stored under `key`, or `render()`'s, stored for next time."""
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_SECONDS)
    return html
