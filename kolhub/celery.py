"""The Celery app: configured from Django settings (CELERY_*), tasks found in each app."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kolhub.settings")

app = Celery("kolhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def announce_worker(sender=None, **kwargs) -> None:
    # Beat may be minutes from its next tick; a heartbeat through the broker at start-up
    # lets /healthz see a fresh worker at once.
    from kolhub.tasks import heartbeat

    heartbeat.delay()
