from __future__ import annotations

import socket

from celery import shared_task

from kolhub import services


@shared_task(bind=True, ignore_result=True, soft_time_limit=10, time_limit=20)
def heartbeat(self) -> None:
    """Record that a worker on this host is consuming tasks."""
    services.heartbeat_record(hostname=self.request.hostname or socket.gethostname())
