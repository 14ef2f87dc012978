"""The event types a workspace can subscribe an endpoint to (payloads: docs/webhooks.md)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Also the order of the checkboxes on the form.
EVENTS: dict[str, Promise] = {
    "collaboration.stage_changed": _("A collaboration moved to another stage"),
    "draft.submitted": _("A draft was submitted for review"),
    "draft.approved": _("A draft was approved"),
    "post.published": _("A live post was recorded"),
    "post.taken_down": _("A post went offline before its agreed live period"),
    "post.metrics_updated": _("Post metrics were pulled (one message per pull)"),
    "conversion.recorded": _("A conversion (order) was recorded"),
    "campaign.closed": _("A campaign was closed"),
    "payout.approved": _("A payout installment was approved"),
    "payout.paid": _("A payout installment was paid"),
}
# Sent by "Send a test event" only; no endpoint subscribes to it.
TEST_EVENT = "webhook.test"


def event_choices() -> list[tuple[str, str]]:
    return [(name, f"{name}: {label}") for name, label in EVENTS.items()]
