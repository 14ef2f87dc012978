"""The audit trail of the payout files that carry payees' identifiers or bank details."""

from __future__ import annotations

from collections.abc import Iterable

from campaigns.models import CollaborationEvent, EventKind
from kolhub.models import User, Workspace

# What each file reveals, for the collaboration log (by name, never the values).
EXPORTED_FIELDS = {
    "bank_batch": ["bank_code", "branch_code", "account_number", "account_holder", "tax_id"],
    "yearly": ["tax_id"],
}


def payee_details_exported(
    *, workspace: Workspace, user: User, export: str, collaboration_ids: Iterable[int]
) -> int:
    """Log, in each collaboration whose payee is in the file, that an owner exported the
    payee's details: the same trail a reveal on the collaboration page leaves. Returns how many
    events were written."""
    fields = EXPORTED_FIELDS[export]
    events = CollaborationEvent.objects.bulk_create(
        CollaborationEvent(
            workspace=workspace,
            collaboration_id=collaboration_id,
            kind=EventKind.PAYEE,
            data={"exported": export, "fields": fields},
            actor=user,
        )
        for collaboration_id in sorted(set(collaboration_ids))
    )
    return len(events)
