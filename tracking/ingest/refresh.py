"""“Refresh now”: pull a collaboration's or campaign's posts at once, and follow the progress.

The posts are claimed like the scheduler claims them and sent to the workers in the usual
batches; each batch adds its size to a counter in the cache when it finishes, which the page
polls until every post is done. Then the page says what happened to each post, read from the
posts themselves (selectors.refresh_outcome): updated, gone, failed and why, or waiting for a
connection.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kolhub.celery import send_task_now
from tracking.ingest.pulls import CLAIM_LEASE, route
from tracking.models import Post

JOB_SECONDS = 3600


def _job_key(token: str) -> str:
    return f"tracking:refresh:{token}"


def _done_key(token: str) -> str:
    return f"tracking:refresh:{token}:done"


def refresh_now(*, workspace_id: int, post_ids: Iterable[int], scope: tuple[str, int]) -> str:
    """Send these posts to the workers now; returns the token to follow the progress with."""
    token = secrets.token_hex(16)
    with transaction.atomic():
        rows = list(
            Post.objects.filter(workspace_id=workspace_id, pk__in=list(post_ids))
            .exclude(platform_id="", workspace__is_demo=False)
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", "workspace_id", "platform", "collaboration__creator_id")
        )
        Post.objects.filter(pk__in=[row[0] for row in rows]).update(
            next_pull_at=timezone.now() + CLAIM_LEASE
        )
    job = {
        "workspace": workspace_id,
        "total": len(rows),
        "scope": list(scope),
        "posts": [row[0] for row in rows],
        "started": timezone.now().isoformat(),
    }
    cache.set(_job_key(token), job, JOB_SECONDS)
    cache.set(_done_key(token), 0, JOB_SECONDS)
    for batch in route(rows):
        send_task_now("tracking.tasks.pull_posts", **batch.as_task_kwargs(), progress=token)
    return token


def refresh_progress(token: str, *, workspace_id: int) -> dict | None:
    """{"done", "total", "scope", "posts", "started"} of a refresh of this workspace, or None
    when it is unknown here: expired, the cache cleared, or another workspace's."""
    job = cache.get(_job_key(token))
    if not job or job["workspace"] != workspace_id:
        return None
    done = min(cache.get(_done_key(token), 0), job["total"])
    return {
        "done": done,
        "total": job["total"],
        "scope": tuple(job["scope"]),
        "posts": job.get("posts", []),
        "started": parse_datetime(job.get("started", "")) or timezone.now(),
    }


def count_done(token: str, posts: int) -> None:
    """A batch of the refresh finished (pulled, or given up on for now)."""
    with contextlib.suppress(ValueError):  # the job expired meanwhile: nobody is waiting
        cache.incr(_done_key(token), posts)
