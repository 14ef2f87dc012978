"""Tasks that ingest asks for, sent by their registered names (tracking.tasks): the task
module imports ingest, so ingest must not import it back."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from kolhub.celery import app


def pull_posts_now(batch_kwargs: dict, progress: str) -> None:
    """Send one batch of a “Refresh now” to the workers."""
    app.signature(
        "tracking.tasks.pull_posts", kwargs={**batch_kwargs, "progress": progress}
    ).delay()


def thumbnails_fetch_after_commit(post_ids: list[int]) -> None:
    """Copy these posts' covers once the pull that found them is committed."""
    task = app.signature("tracking.tasks.fetch_thumbnails", args=[post_ids])
    transaction.on_commit(partial(task.delay))
