"""Every process's own copy of the tracked links, and the version that makes it stale.

The redirect answers from a table in its process (no query, no cache round trip). Any write
to a tracked link (the service, the admin, a queryset update or delete, a cascade from a
deleted collaboration or workspace) moves a version kept in the shared cache: Redis with
REDIS_URL, otherwise the file cache every process of the host shares. Each process reads
that version at most once every CHECK_SECONDS and empties its table when it moved, so a
deactivated link stops redirecting everywhere within about a second.

The shared cache's copies of links are keyed by the version too: a copy read from the
database just before a change committed lands under a version nobody reads any more. The
version moves twice for a write inside a transaction, at once and again on commit, because
between the two another process may read and keep the uncommitted (old) state.

No model imports here: tracking.models uses this module (TrackedLinkQuerySet).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

CHECK_SECONDS = 1.0  # how often a process looks at the shared version
LOCAL_SECONDS = 60.0  # a bound for changes no code sees (raw SQL)
LOCAL_LIMIT = 10_000
VERSION_KEY = "tracking:links:version"


@dataclass(frozen=True)
class LiveLink:
    """What the redirect needs: ids for the click, and the target with its UTM fields."""

    link_id: int
    workspace_id: int
    target: str


class LinkTable:
    """One process's copies: a code's link, or None for "no such active link"."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[float, LiveLink | None]] = {}
        self._version = ""
        self._checked_at = float("-inf")

    def get(self, code: str, now: float) -> tuple[bool, LiveLink | None]:
        """(found, link) for a monotonic time `now`."""
        hit = self._rows.get(code)
        if hit is not None and hit[0] > now:
            return True, hit[1]
        return False, None

    def put(self, code: str, link: LiveLink | None, now: float) -> None:
        if len(self._rows) >= LOCAL_LIMIT:
            self._rows.clear()  # random codes must not grow a process without bound
        self._rows[code] = (now + LOCAL_SECONDS, link)

    def version(self, now: float) -> str:
        """The shared version, read at most once every CHECK_SECONDS; the table is emptied
        when it moved."""
        if now >= self._checked_at + CHECK_SECONDS:
            self._checked_at = now
            current = _shared_version()
            if current != self._version:
                self._rows.clear()
                self._version = current
        return self._version

    def clear(self) -> None:
        """Forget every copy and look at the shared version again on the next request."""
        self._rows.clear()
        self._checked_at = float("-inf")


table = LinkTable()


def _shared_version() -> str:
    try:
        version = cache.get(VERSION_KEY)
        if version is None:  # never set, or the cache was emptied: start a new one
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:  # the cache server restarting: trust no copy until it is back
        version = None
    return version if isinstance(version, str) else uuid.uuid4().hex


def links_changed() -> None:
    """After any write to tracked links: this process forgets its copies now, every other
    within CHECK_SECONDS; in a transaction, again once it commits."""
    _move_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_move_version, robust=True)


def link_written(sender: type, **kwargs: Any) -> None:
    """post_save and post_delete receiver of TrackedLink (see TrackingConfig.ready)."""
    links_changed()


def _move_version() -> None:
    table.clear()
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("Tracked link cache unavailable: other processes keep their copies")
