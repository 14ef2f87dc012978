"""The payee of a collaboration: saved from the portal or by staff, revealed only to owners."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from campaigns.models import PAYEE_SECRETS, Collaboration, EventKind, Payee, PayeeSource
from campaigns.services.roster import event_log
from kolhub.models import Membership, Role, User

# What the form may set; the event names which of these changed, never their values.
PAYEE_FIELDS = ("kind", "legal_name", *PAYEE_SECRETS, "nhi_exempt", "nhi_proof")


class PayeeRevealRefused(Exception):
    """Only the workspace's owners may see a payee's identifiers and bank details in full."""


@transaction.atomic
def payee_save(
    *,
    collaboration: Collaboration,
    data: dict[str, Any],
    via: PayeeSource,
    actor: User | None = None,
) -> Payee:
    """Create or update the collaboration's payee from cleaned form data; log which fields
    changed (by name only: the log is read by every member)."""
    payee = Payee.objects.filter(collaboration=collaboration).first() or Payee(
        workspace_id=collaboration.workspace_id, collaboration=collaboration
    )
    changed = []
    for name in PAYEE_FIELDS:
        value = data.get(name)
        if name == "nhi_proof" and not value:
            continue  # No new file: keep the one on file.
        if getattr(payee, name) != value:
            changed.append(name)
            setattr(payee, name, value)
    payee.updated_via = via
    payee.save()
    event_log(
        collaboration=collaboration,
        kind=EventKind.PAYEE,
        data={"fields": changed, "via": str(via)},
        actor=actor,
        by_creator=via == PayeeSource.PORTAL,
    )
    return payee


def payee_reveal(*, user: User, payee: Payee, field: str) -> str:
    """One secret field in full, for an owner of the payee's workspace; the reveal is logged
    (who, when, which field; never the value)."""
    if field not in PAYEE_SECRETS:
        raise ValueError(f"not a payee secret: {field}")
    is_owner = Membership.objects.filter(
        workspace_id=payee.workspace_id, user=user, role=Role.OWNER
    ).exists()
    if not is_owner:
        raise PayeeRevealRefused
    event_log(
        collaboration=payee.collaboration,
        kind=EventKind.PAYEE,
        data={"revealed": field},
        actor=user,
    )
    return getattr(payee, field)
