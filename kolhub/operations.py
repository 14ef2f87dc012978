"""The kolhub part of the admin's operations page: the worker, the broker's queues and the
periodic tasks. tracking.ops adds the tracking figures and serves the page (kolhub cannot
import tracking; the project URLconf composes the two)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_datetime
from django_celery_beat.models import PeriodicTask

from kolhub.health import check_worker
from kolhub.models import TaskFailure, WorkerHeartbeat

logger = logging.getLogger(__name__)


def changelist_url(model: type[Model], **filters: Any) -> str | None:
    """The admin changelist of `model` filtered by field lookups, or None if not registered."""
    if not admin.site.is_registered(model):
        return None
    meta = model._meta
    try:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    except NoReverseMatch:
        return None
    query = {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in filters.items()
    }
    return f"{url}?{urlencode(query)}" if query else url


def change_url(obj: Model) -> str | None:
    meta = obj._meta
    if not admin.site.is_registered(type(obj)):
        return None
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@dataclass(frozen=True)
class Worker:
    alive: bool
    last_heartbeat: datetime | None
    hostname: str
    age_seconds: float | None
    max_age_seconds: int
    url: str | None


def worker_status() -> Worker:
    """The newest heartbeat, stale after WORKER_STOPPED_AFTER_SECONDS (sooner than /healthz)."""
    check = check_worker(max_age=settings.WORKER_STOPPED_AFTER_SECONDS)
    beat = check.get("last_heartbeat")
    return Worker(
        alive=check["ok"],
        last_heartbeat=parse_datetime(beat) if beat else None,
        hostname=check.get("hostname", ""),
        age_seconds=check.get("age_seconds"),
        max_age_seconds=settings.WORKER_STOPPED_AFTER_SECONDS,
        url=changelist_url(WorkerHeartbeat),
    )


@dataclass(frozen=True)
class QueueDepth:
    name: str
    waiting: int | None  # None: the broker did not answer
    error: str = ""


def queue_depths() -> list[QueueDepth]:
    """Messages waiting in each Celery queue, counted by the broker without consuming any.

    A passive queue declaration answers the count on both brokers: on Redis the LLEN of the
    queue's lists (one per priority step), on the filesystem broker its message files.
    """
    from kombu.exceptions import ChannelError

    from kolhub.celery import app

    names = sorted(app.amqp.queues.keys())
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            channel = conn.default_channel
            depths = []
            for name in names:
                try:
                    waiting = channel.queue_declare(queue=name, passive=True).message_count
                except ChannelError:  # Redis deletes an emptied list: no key, no message
                    waiting = 0
                depths.append(QueueDepth(name=name, waiting=waiting))
            return depths
    except Exception as exc:  # kombu raises many types; all mean the broker did not answer
        logger.warning("operations: queue depth unavailable", exc_info=exc)
        return [QueueDepth(name=name, waiting=None, error=type(exc).__name__) for name in names]


@dataclass(frozen=True)
class PeriodicStatus:
    name: str
    task: str
    enabled: bool | None  # None: beat has not copied the schedule into its tables yet
    last_run_at: datetime | None
    url: str | None
    last_failure: TaskFailure | None
    failures_url: str | None


def periodic_tasks() -> list[PeriodicStatus]:
    """Each task of CELERY_BEAT_SCHEDULE: its last run (beat's table) and last failure."""
    schedule = settings.CELERY_BEAT_SCHEDULE
    rows = {row.name: row for row in PeriodicTask.objects.filter(name__in=list(schedule))}
    tasks = {entry["task"] for entry in schedule.values()}
    last_failures: dict[str, TaskFailure] = {}
    # Newest first: the first row seen per task is its last failure (at most 20 per task kept).
    for failure in TaskFailure.objects.filter(task__in=tasks).order_by("-failed_at", "-pk"):
        last_failures.setdefault(failure.task, failure)
    statuses = []
    for name, entry in schedule.items():
        row = rows.get(name)
        last = last_failures.get(entry["task"])
        statuses.append(
            PeriodicStatus(
                name=name,
                task=entry["task"],
                enabled=row.enabled if row else None,
                last_run_at=row.last_run_at if row else None,
                url=change_url(row) if row else None,
                last_failure=last,
                failures_url=changelist_url(TaskFailure, task=entry["task"]) if last else None,
            )
        )
    return statuses
