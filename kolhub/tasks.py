from __future__ import annotations

import logging
import socket
from typing import Any

from celery import shared_task
from celery.signals import task_failure

from kolhub import services
from kolhub.webhooks import services as webhooks


@shared_task(
    name="kolhub.tasks.heartbeat", bind=True, ignore_result=True, soft_time_limit=10, time_limit=20
)
def heartbeat(self) -> None:
    """Record that a worker on this host is consuming tasks."""
    services.heartbeat_record(hostname=self.request.hostname or socket.gethostname())


@task_failure.connect
def keep_task_failure(sender=None, exception: BaseException | None = None, **kwargs: Any) -> None:
    # Celery keeps no failure when results are ignored; the admin's operations page shows the
    # last ones of each periodic task. Sent once a task has failed for good, not per retry.
    # Connected here, a module every process loads (kolhub.apps), next to the services.
    if sender is None or exception is None:
        return
    try:
        services.task_failure_record(task=sender.name, error=exception)
    except Exception:  # a database that is down must not hide the task's own failure
        logging.getLogger(__name__).exception("could not store the failure of %s", sender.name)


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


@shared_task(
    name="kolhub.tasks.webhook_deliver", ignore_result=True, soft_time_limit=30, time_limit=60
)
def webhook_deliver(attempt_id: int) -> None:
    """Send one attempt of an outgoing webhook; a failure schedules the next (no Celery retry)."""
    webhooks.attempt_deliver(attempt_id=attempt_id)


@shared_task(
    name="kolhub.tasks.webhooks_send_due", ignore_result=True, soft_time_limit=60, time_limit=90
)
def webhooks_send_due() -> None:
    """Send the outgoing webhook retries that are due."""
    webhooks.attempts_send_due()


@shared_task(
    name="kolhub.tasks.webhooks_prune", ignore_result=True, soft_time_limit=120, time_limit=180
)
def webhooks_prune() -> None:
    """Delete outgoing webhook messages past their keeping time."""
    webhooks.messages_prune()


@shared_task(
    name="kolhub.tasks.send_webhook_disabled_email",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def send_webhook_disabled_email(endpoint_id: int) -> None:
    """Tell the owners by e-mail that a failing webhook endpoint was disabled."""
    webhooks.endpoint_disabled_email_send(endpoint_id=endpoint_id)
