"""The Celery app: configured from Django settings (CELERY_*), tasks found in each app."""

from __future__ import annotations

import logging
import os
from functools import partial
from typing import Any

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger, worker_ready
from django.db import transaction

from kolhub.broker import use_redis_transport
from kolhub.redaction import install_on

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kolhub.settings")

use_redis_transport()  # before the first connection resolves the redis:// scheme
app = Celery("kolhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def redact_worker_logs(logger: logging.Logger | None = None, **kwargs: Any) -> None:
    # The worker replaces the root logger's handlers (and gives task loggers their own), so
    # settings.LOGGING's filter is gone from them: it is put back on the new ones.
    if logger is not None:
        install_on(logger)


@worker_ready.connect
def announce_worker(sender=None, **kwargs) -> None:
    # Beat may be minutes from its next tick; a heartbeat through the broker at start-up
    # lets /healthz see a fresh worker at once.
    send_task_now("kolhub.tasks.heartbeat")


def send_task_now(name: str, *args: Any, **kwargs: Any) -> None:
    """Send the task registered under `name` (its explicit, stable name).

    A module that a task module imports asks for work this way instead of importing the task
    module back, which would be an import cycle; every task is registered in every process
    (kolhub.apps), so eager mode still runs it at once.
    """
    app.signature(name, args=args, kwargs=kwargs).delay()


def send_task_after_commit(name: str, *args: Any, **kwargs: Any) -> None:
    """send_task_now once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(send_task_now, name, *args, **kwargs))
