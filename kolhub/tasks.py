from __future__ import annotations

import socket

from celery import shared_task

from kolhub import services


@shared_task(
    name="kolhub.tasks.heartbeat", bind=True, ignore_result=True, soft_time_limit=10, time_limit=20
)
def heartbeat(self) -> None:
    """Record that a worker on this host is consuming tasks."""
    services.heartbeat_record(hostname=self.request.hostname or socket.gethostname())


@shared_task(
    name="kolhub.tasks.send_invitation_email",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def send_invitation_email(invitation_id: int, accept_url: str) -> None:
    """Send an invitation's email; a mail server that is down is retried with backoff."""
    services.invitation_send_email(invitation_id=invitation_id, accept_url=accept_url)
