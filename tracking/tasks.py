from __future__ import annotations

from celery import shared_task

from tracking import services


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def register_published_posts() -> None:
    """Turn live post URLs sent through campaigns into followed posts."""
    services.posts_register_published()
