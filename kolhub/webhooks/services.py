"""Outgoing webhooks: storing events, delivering them with retries, managing endpoints.

Retries: a failed attempt schedules the next one RETRY_DELAYS later (5 s, 5 min, 30 min, 2 h,
5 h, 10 h, 14 h, 20 h, 20 h: ten attempts over about three days), each with the same
webhook-id, so a receiver that answered slowly may see a message twice and de-duplicates by
it. The first attempt is sent as soon as the event's transaction commits; later ones by the
beat task `kolhub.tasks.webhooks_send_due`. A message whose last attempt fails counts against
its endpoint; DISABLE_AFTER such messages in a row (any success resets the count) disable the
endpoint and tell the workspace's owners.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kolhub.celery import send_task_now
from kolhub.models import (
    Membership,
    OutgoingWebhookAttempt,
    OutgoingWebhookAttemptStatus,
    OutgoingWebhookEndpoint,
    OutgoingWebhookMessage,
    Role,
    User,
    Workspace,
)
from kolhub.services import notifications_create
from kolhub.webhooks import delivery
from kolhub.webhooks.events import EVENTS, TEST_EVENT

S = OutgoingWebhookAttemptStatus
RETRY_DELAYS = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=20),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
DISABLE_AFTER = 5
# A payload bigger than this is not stored nor sent (logged as an error: a bug of ours, which
# must not fail the stage move or the pull that emitted it).
MAX_PAYLOAD_BYTES = 256 * 1024
# Messages (with their log) are kept this long, then pruned daily.
KEEP_MESSAGES = timedelta(days=30)
PRUNE_BATCH = 5000
# An attempt claimed this long ago and still pending lost its worker: it is retried.
STUCK_AFTER = timedelta(minutes=5)
SEND_DUE_BATCH = 200
DELIVER_TASK = "kolhub.tasks.webhook_deliver"
DISABLED_EMAIL_TASK = "kolhub.tasks.send_webhook_disabled_email"

DISABLED_FAILING = "failing"
DISABLED_BY_USER = "by_user"


logger = logging.getLogger(__name__)


Payload = dict[str, Any] | Callable[[], dict[str, Any] | list[dict[str, Any]]]


def emit(*, workspace_id: int, event_type: str, data: Payload) -> list[OutgoingWebhookMessage]:
    """Store one message for the endpoints of the workspace subscribed to the event, with a
    pending attempt each, sent once the caller's transaction commits.

    `data` may be a function: it is called only when someone is subscribed, so an event nobody
    listens to costs one query. A function may return a list of payloads (a big metrics pull
    is sent as several bounded messages). Nothing is stored when nobody is subscribed.
    """
    if event_type not in EVENTS:
        raise ValueError(f"unknown webhook event {event_type!r}")
    endpoint_ids = [
        pk
        for pk, types in OutgoingWebhookEndpoint.objects.filter(
            workspace_id=workspace_id, enabled=True
        ).values_list("pk", "event_types")
        if event_type in types
    ]
    if not endpoint_ids:
        return []
    built = data() if callable(data) else data
    messages = [
        _message_create(
            workspace_id=workspace_id, event_type=event_type, data=part, endpoint_ids=endpoint_ids
        )
        for part in (built if isinstance(built, list) else [built])
    ]
    return [message for message in messages if message is not None]


def _message_create(
    *, workspace_id: int, event_type: str, data: dict[str, Any], endpoint_ids: Iterable[int]
) -> OutgoingWebhookMessage | None:
    # Stored as the JSON it will be sent as: dates and decimals as strings.
    text = json.dumps(data, cls=DjangoJSONEncoder)
    if len(text.encode()) > MAX_PAYLOAD_BYTES:
        logger.error("%s payload over %s bytes: not sent", event_type, MAX_PAYLOAD_BYTES)
        return None
    payload = json.loads(text)
    message = OutgoingWebhookMessage.objects.create(
        workspace_id=workspace_id, event_type=event_type, payload=payload
    )
    attempts = OutgoingWebhookAttempt.objects.bulk_create(
        OutgoingWebhookAttempt(
            workspace_id=workspace_id, endpoint_id=endpoint_id, message=message, number=1
        )
        for endpoint_id in endpoint_ids
    )
    _send_after_commit([attempt.pk for attempt in attempts])
    return message


def _send_after_commit(attempt_ids: list[int]) -> None:
    def send() -> None:
        for pk in attempt_ids:
            send_task_now(DELIVER_TASK, pk)

    transaction.on_commit(send)


def attempt_deliver(*, attempt_id: int) -> OutgoingWebhookAttempt | None:
    """Send one pending attempt (claimed first, so two workers never send it twice); None
    when it was not pending or someone else has it."""
    now = timezone.now()
    claimed = OutgoingWebhookAttempt.objects.filter(
        pk=attempt_id, status=S.PENDING, attempted_at__isnull=True
    ).update(attempted_at=now)
    if not claimed:
        return None
    attempt = OutgoingWebhookAttempt.objects.select_related("endpoint", "message").get(
        pk=attempt_id
    )
    endpoint, message = attempt.endpoint, attempt.message
    if not endpoint.enabled:
        return _settle(attempt, delivery.Result(ok=False, error=delivery.Error.ENDPOINT_DISABLED))
    content = delivery.body(
        message_id=message.message_id,
        event_type=message.event_type,
        created_at=message.created_at,
        data=message.payload,
    )
    request_headers = delivery.headers(
        secret=endpoint.secret, message_id=message.message_id, sent_at=now, content=content
    )
    result = delivery.post(endpoint.url, content=content, request_headers=request_headers)
    return _settle(attempt, result)


@transaction.atomic
def _settle(attempt: OutgoingWebhookAttempt, result: delivery.Result) -> OutgoingWebhookAttempt:
    attempt.status = S.SUCCEEDED if result.ok else S.FAILED
    attempt.response_code = result.status
    attempt.duration_ms = result.duration_ms
    attempt.error_code = result.error.value if result.error else ""
    attempt.response_excerpt = result.excerpt[:500]
    attempt.save(
        update_fields=[
            "status",
            "response_code",
            "duration_ms",
            "error_code",
            "response_excerpt",
        ]
    )
    endpoint = attempt.endpoint
    if result.ok:
        OutgoingWebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
    elif result.error == delivery.Error.ENDPOINT_DISABLED:
        pass  # nothing to retry: re-enabling the endpoint starts afresh
    elif attempt.is_resend or attempt.message.event_type == TEST_EVENT:
        pass  # asked for by hand: the log shows the outcome, nothing is retried or counted
    elif attempt.number < MAX_ATTEMPTS:
        OutgoingWebhookAttempt.objects.create(
            workspace_id=attempt.workspace_id,
            endpoint_id=endpoint.pk,
            message_id=attempt.message_id,
            number=attempt.number + 1,
            due_at=timezone.now() + RETRY_DELAYS[attempt.number - 1],
        )
    else:
        _message_failed_for_good(endpoint)
    return attempt


def _message_failed_for_good(endpoint: OutgoingWebhookEndpoint) -> None:
    OutgoingWebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    endpoint.refresh_from_db(fields=["consecutive_failures", "enabled"])
    if endpoint.enabled and endpoint.consecutive_failures >= DISABLE_AFTER:
        endpoint_disable_failing(endpoint=endpoint)


def endpoint_disable_failing(*, endpoint: OutgoingWebhookEndpoint) -> None:
    """Disable an endpoint that keeps failing and tell the workspace's owners."""
    now = timezone.now()
    OutgoingWebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        enabled=False, disabled_reason=DISABLED_FAILING, disabled_at=now
    )
    endpoint.enabled, endpoint.disabled_reason, endpoint.disabled_at = False, DISABLED_FAILING, now
    workspace = Workspace.objects.get(pk=endpoint.workspace_id)
    owners = Membership.objects.filter(workspace=workspace, role=Role.OWNER).values_list(
        "user_id", flat=True
    )
    with translation.override(workspace.language):
        message = _(
            "The webhook endpoint %(url)s was disabled after %(count)s messages in a row could "
            "not be delivered. Check it, then enable it again in Settings → Webhooks."
        ) % {"url": endpoint.url, "count": DISABLE_AFTER}
    link = reverse("webhook_endpoint_detail", args=[workspace.slug, endpoint.pk])
    notifications_create(
        workspace_id=workspace.pk, items=[(user_id, message, link) for user_id in owners]
    )
    endpoint_id = endpoint.pk
    transaction.on_commit(lambda: send_task_now(DISABLED_EMAIL_TASK, endpoint_id))


def endpoint_disabled_email_send(*, endpoint_id: int) -> int:
    """E-mail the workspace's owners that an endpoint was disabled (each in their language);
    the number of e-mails sent. Nothing when it was enabled again meanwhile."""
    endpoint = (
        OutgoingWebhookEndpoint.objects.select_related("workspace").filter(pk=endpoint_id).first()
    )
    if endpoint is None or endpoint.enabled:
        return 0
    workspace = endpoint.workspace
    owners = User.objects.filter(
        is_active=True, memberships__workspace=workspace, memberships__role=Role.OWNER
    )
    url = settings.SITE_URL + reverse("webhook_endpoint_detail", args=[workspace.slug, endpoint.pk])
    for owner in owners:
        with translation.override(owner.language or workspace.language):
            subject = _("A webhook endpoint of %(workspace)s was disabled") % {
                "workspace": workspace.name
            }
            body = render_to_string(
                "kolhub/email/webhook_disabled.txt",
                {"endpoint": endpoint, "workspace": workspace, "url": url, "count": DISABLE_AFTER},
            )
        send_mail(" ".join(subject.splitlines()), body, None, [owner.email])
    return len(owners)


def attempts_send_due(*, now=None) -> int:
    """Send the retries that are due, and retry the attempts a stopped worker left claimed."""
    now = now or timezone.now()
    stuck = list(
        OutgoingWebhookAttempt.objects.filter(
            status=S.PENDING, attempted_at__lt=now - STUCK_AFTER
        ).select_related("endpoint", "message")[:SEND_DUE_BATCH]
    )
    for attempt in stuck:
        _settle(attempt, delivery.Result(ok=False, error=delivery.Error.INTERRUPTED))
    due = list(
        OutgoingWebhookAttempt.objects.filter(
            status=S.PENDING, attempted_at__isnull=True, due_at__lte=now
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:SEND_DUE_BATCH]
    )
    for pk in due:
        send_task_now(DELIVER_TASK, pk)
    return len(due)


def messages_prune(*, now=None) -> int:
    """Delete messages (and their attempts) older than KEEP_MESSAGES with nothing pending."""
    cutoff = (now or timezone.now()) - KEEP_MESSAGES
    old = list(
        OutgoingWebhookMessage.objects.filter(created_at__lt=cutoff)
        .exclude(attempts__status=S.PENDING)
        .values_list("pk", flat=True)[:PRUNE_BATCH]
    )
    OutgoingWebhookAttempt.objects.filter(message_id__in=old).delete()
    OutgoingWebhookMessage.objects.filter(pk__in=old).delete()
    return len(old)


# --- Managing endpoints (owners) ---------------------------------------------


def endpoint_create(
    *, workspace: Workspace, url: str, event_types: list[str], description: str, user: User | None
) -> OutgoingWebhookEndpoint:
    """A new endpoint, enabled, with a fresh signing secret."""
    return OutgoingWebhookEndpoint.objects.create(
        workspace=workspace,
        url=url,
        event_types=[name for name in EVENTS if name in event_types],
        description=description,
        created_by=user,
    )


def endpoint_update(
    *, endpoint: OutgoingWebhookEndpoint, url: str, event_types: list[str], description: str
) -> OutgoingWebhookEndpoint:
    endpoint.url = url
    endpoint.event_types = [name for name in EVENTS if name in event_types]
    endpoint.description = description
    endpoint.save(update_fields=["url", "event_types", "description"])
    return endpoint


def endpoint_set_enabled(*, endpoint: OutgoingWebhookEndpoint, enabled: bool) -> None:
    """Enable (the failure count starts afresh) or disable an endpoint by hand."""
    endpoint.enabled = enabled
    endpoint.consecutive_failures = 0 if enabled else endpoint.consecutive_failures
    endpoint.disabled_reason = "" if enabled else DISABLED_BY_USER
    endpoint.disabled_at = None if enabled else timezone.now()
    endpoint.save(
        update_fields=["enabled", "consecutive_failures", "disabled_reason", "disabled_at"]
    )


def endpoint_delete(*, endpoint: OutgoingWebhookEndpoint) -> None:
    """Delete an endpoint and its delivery log (messages of other endpoints stay)."""
    endpoint.delete()


def endpoint_send_test(*, endpoint: OutgoingWebhookEndpoint) -> OutgoingWebhookMessage | None:
    """A `webhook.test` message to this endpoint only (never retried)."""
    return _message_create(
        workspace_id=endpoint.workspace_id,
        event_type=TEST_EVENT,
        data={"endpoint_id": endpoint.pk, "workspace": endpoint.workspace.slug},
        endpoint_ids=[endpoint.pk],
    )


def message_resend(
    *, endpoint: OutgoingWebhookEndpoint, message: OutgoingWebhookMessage
) -> OutgoingWebhookAttempt:
    """One more attempt of a message to an endpoint, now, with the same webhook-id (not
    retried if it fails: the owner asked for this one)."""
    last = (
        OutgoingWebhookAttempt.objects.filter(endpoint=endpoint, message=message)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    attempt = OutgoingWebhookAttempt.objects.create(
        workspace_id=endpoint.workspace_id,
        endpoint=endpoint,
        message=message,
        number=(last or 0) + 1,
        is_resend=True,
    )
    _send_after_commit([attempt.pk])
    return attempt
