"""Every write to campaigns goes through here (one module per part of the work).

The demo seeder (campaigns/demo.py) is the one exception: it also writes some rows directly, to
give the demo a history that happened in the past.
"""

from campaigns.services.liveness import post_taken_down
from campaigns.services.payee import PayeeRevealRefused, payee_reveal, payee_save
from campaigns.services.plan import (
    brief_publish,
    campaign_save,
    campaign_target_audience_set,
    kpi_targets_set,
    latest_brief,
    tier_budgets_set,
)
from campaigns.services.portal import (
    PortalLinkUnusable,
    insights_submit,
    live_post_submit,
    portal_link_by_token_unscoped,
    portal_link_create,
    portal_link_revoke,
    portal_visit,
)
from campaigns.services.review import (
    ReviewRefused,
    draft_auto_approve,
    draft_review,
    draft_submit,
    revision_rounds,
)
from campaigns.services.roster import (
    StageRefused,
    collaboration_advance,
    collaboration_move,
    collaboration_update,
    collaborations_add,
    collaborations_assign,
    collaborations_move,
    collaborations_remove,
    deliverable_save,
    event_log,
    product_received_confirm,
    shipment_save,
    stage_facts,
)

__all__ = [
    "PayeeRevealRefused",
    "PortalLinkUnusable",
    "ReviewRefused",
    "StageRefused",
    "brief_publish",
    "campaign_save",
    "campaign_target_audience_set",
    "collaboration_advance",
    "collaboration_move",
    "collaboration_update",
    "collaborations_add",
    "collaborations_assign",
    "collaborations_move",
    "collaborations_remove",
    "deliverable_save",
    "draft_auto_approve",
    "draft_review",
    "draft_submit",
    "event_log",
    "insights_submit",
    "kpi_targets_set",
    "latest_brief",
    "live_post_submit",
    "payee_reveal",
    "payee_save",
    "portal_link_by_token_unscoped",
    "portal_link_create",
    "portal_link_revoke",
    "portal_visit",
    "post_taken_down",
    "product_received_confirm",
    "revision_rounds",
    "shipment_save",
    "stage_facts",
    "tier_budgets_set",
]
