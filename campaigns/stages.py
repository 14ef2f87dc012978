"""The collaboration pipeline as a small state machine: which moves are allowed, and when.

Everything about stage moves lives here so the board, the table, bulk actions, the review flow
and the creator portal all obey the same rules. `refusal()` is pure: the service gathers the
facts about a collaboration and asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from campaigns.models import Stage

# The happy path, in order (the board's columns).
PIPELINE = [
    Stage.SHORTLISTED,
    Stage.CONTACTED,
    Stage.NEGOTIATING,
    Stage.CONTRACTED,
    Stage.PRODUCT_SHIPPED,
    Stage.PRODUCT_RECEIVED,
    Stage.DRAFTING,
    Stage.IN_REVIEW,
    Stage.APPROVED,
    Stage.PUBLISHED,
    Stage.REPORTED,
]
OUTCOMES = [Stage.DECLINED, Stage.CANCELLED, Stage.GHOSTED]
# Collaborations that no longer need anyone's attention.
FINISHED = {Stage.REPORTED, *OUTCOMES}
# From here on, the creator owes content: deadlines and reminders apply.
COMMITTED = set(PIPELINE[PIPELINE.index(Stage.CONTRACTED) :])
# Whose money counts as spent (the plan's "committed", the results' cost): agreed from the
# contract on, and still spent when the creator later vanishes or the deal is cancelled (the
# product was already sent). Shortlisted, contacted, negotiating and declined cost nothing.
COSTED = COMMITTED | {Stage.CANCELLED, Stage.GHOSTED}

ALLOWED: dict[str, set[str]] = {
    Stage.SHORTLISTED: {Stage.CONTACTED, Stage.NEGOTIATING, Stage.DECLINED, Stage.CANCELLED},
    Stage.CONTACTED: {
        Stage.SHORTLISTED,
        Stage.NEGOTIATING,
        Stage.CONTRACTED,
        Stage.DECLINED,
        Stage.GHOSTED,
        Stage.CANCELLED,
    },
    Stage.NEGOTIATING: {
        Stage.CONTACTED,
        Stage.CONTRACTED,
        Stage.DECLINED,
        Stage.GHOSTED,
        Stage.CANCELLED,
    },
    # Not every deal seeds a product: a contract may go straight to drafting.
    Stage.CONTRACTED: {
        Stage.NEGOTIATING,
        Stage.PRODUCT_SHIPPED,
        Stage.DRAFTING,
        Stage.GHOSTED,
        Stage.CANCELLED,
    },
    Stage.PRODUCT_SHIPPED: {
        Stage.CONTRACTED,
        Stage.PRODUCT_RECEIVED,
        Stage.GHOSTED,
        Stage.CANCELLED,
    },
    Stage.PRODUCT_RECEIVED: {Stage.DRAFTING, Stage.IN_REVIEW, Stage.GHOSTED, Stage.CANCELLED},
    Stage.DRAFTING: {Stage.IN_REVIEW, Stage.GHOSTED, Stage.CANCELLED},
    Stage.IN_REVIEW: {Stage.DRAFTING, Stage.APPROVED, Stage.CANCELLED},
    Stage.APPROVED: {Stage.IN_REVIEW, Stage.PUBLISHED, Stage.GHOSTED, Stage.CANCELLED},
    Stage.PUBLISHED: {Stage.REPORTED},
    Stage.REPORTED: {Stage.PUBLISHED},
    # A creator who comes back, or a deal revived, starts over from the shortlist…
    Stage.DECLINED: {Stage.SHORTLISTED},
    Stage.CANCELLED: {Stage.SHORTLISTED},
    # …except a ghost who resurfaces with the work: they go back to where the work is.
    Stage.GHOSTED: {Stage.SHORTLISTED, Stage.DRAFTING, Stage.IN_REVIEW},
}


@dataclass(frozen=True)
class StageFacts:
    """What the rules need to know about a collaboration."""

    fee_set: bool
    deliverables: int  # not cancelled
    shipped: int  # shipments with a shipping date
    drafts_waiting: int  # drafts submitted and not yet decided
    deliverables_approved: int  # approved or published
    deliverables_live: int  # with a live post URL
    deliverables_reported: int  # live, with insights reported
    # The workspace asks for a signed contract before "Contracted" (Settings → General), and
    # whether the contract in force is signed by both parties.
    contract_required: bool = False
    contract_signed: bool = False


def allowed_moves(stage: str) -> list[str]:
    """The stages one move away, in pipeline order then the outcomes."""
    targets = ALLOWED.get(stage, set())
    return [s for s in [*PIPELINE, *OUTCOMES] if s in targets]


def refusal(current: str, target: str, facts: StageFacts) -> str | None:
    """Why the move is not allowed, or None when it is."""
    if target == current:
        return _("The collaboration is already in this stage.")
    if target not in ALLOWED.get(current, set()):
        return _("A collaboration cannot move from “%(current)s” to “%(target)s”.") % {
            "current": Stage(current).label,
            "target": Stage(target).label,
        }
    return requirement_missing(target, facts)


def requirement_missing(target: str, facts: StageFacts) -> str | None:
    """What the target stage needs that the collaboration does not have yet."""
    if target == Stage.CONTRACTED:
        if not facts.fee_set:
            return _("Set the fee before moving to “Contracted” (0 for an unpaid deal).")
        if not facts.deliverables:
            return _("Add at least one deliverable before moving to “Contracted”.")
        if facts.contract_required and not facts.contract_signed:
            return _(
                "This workspace needs a contract signed by the creator and the brand before "
                "“Contracted”: issue the contract for signing and have both parties sign it."
            )
    if target == Stage.PRODUCT_SHIPPED and not facts.shipped:
        return _("Record a shipment with its shipping date first.")
    if target == Stage.IN_REVIEW and not facts.drafts_waiting:
        return _("There is no draft waiting for review.")
    if target == Stage.APPROVED and facts.deliverables_approved < facts.deliverables:
        return _("Every deliverable needs an approved draft first.")
    if target == Stage.PUBLISHED and (
        not facts.deliverables or facts.deliverables_live < facts.deliverables
    ):
        return _("Every deliverable needs its live post URL first.")
    if target == Stage.REPORTED and (
        not facts.deliverables or facts.deliverables_reported < facts.deliverables
    ):
        return _("Every published deliverable needs its insights reported first.")
    return None
