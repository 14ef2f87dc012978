"""The project: what are we doing with whom? Campaigns, their roster, deliverables and review.

One module per subject, imported in the order the models were first declared; every name is
re-exported here, so `from campaigns.models import X` works wherever X lives (migrations too:
they name the upload-path and default callables as `campaigns.models.<name>`).
"""

from campaigns.models.campaign import (
    FUNNEL_ORDER,
    KPI_KIND,
    LOWER_IS_BETTER,
    BriefAsset,
    BriefVersion,
    Campaign,
    CampaignEvent,
    CampaignStatus,
    KpiMetric,
    KpiTarget,
    Objective,
    TierBudget,
    brief_asset_path,
    funnel_position,
    kpis_in_funnel_order,
)
from campaigns.models.collaboration import (
    Collaboration,
    CollaborationEvent,
    EventKind,
    PaymentStatus,
    Stage,
    UsageRights,
)
from campaigns.models.contracts import (
    MAX_TEMPLATE_LENGTH,
    ContractTemplate,
)
from campaigns.models.deliverables import (
    OPEN_DELIVERABLE,
    REVISION_DECISIONS,
    Asset,
    Decision,
    Deliverable,
    DeliverableStatus,
    Draft,
    DraftMedia,
    DraftStatus,
    ReviewComment,
    Shipment,
    draft_media_path,
)
from campaigns.models.fields import (
    NOT_NEGATIVE,
    money_field,
    random_upload_path,
)
from campaigns.models.payouts import (
    ChargeKind,
    IncomeType,
    PayeeKind,
    Rounding,
    ThresholdBasis,
    WithholdingRule,
)
from campaigns.models.portal import (
    InsightReport,
    PortalLink,
    insight_screenshot_path,
    portal_expiry,
    portal_token,
)
from campaigns.models.reminders import (
    Reminder,
    ReminderKind,
)

__all__ = [
    "FUNNEL_ORDER",
    "KPI_KIND",
    "LOWER_IS_BETTER",
    "MAX_TEMPLATE_LENGTH",
    "NOT_NEGATIVE",
    "OPEN_DELIVERABLE",
    "REVISION_DECISIONS",
    "Asset",
    "BriefAsset",
    "BriefVersion",
    "Campaign",
    "CampaignEvent",
    "CampaignStatus",
    "ChargeKind",
    "Collaboration",
    "CollaborationEvent",
    "ContractTemplate",
    "Decision",
    "Deliverable",
    "DeliverableStatus",
    "Draft",
    "DraftMedia",
    "DraftStatus",
    "EventKind",
    "IncomeType",
    "InsightReport",
    "KpiMetric",
    "KpiTarget",
    "Objective",
    "PayeeKind",
    "PaymentStatus",
    "PortalLink",
    "Reminder",
    "ReminderKind",
    "ReviewComment",
    "Rounding",
    "Shipment",
    "Stage",
    "ThresholdBasis",
    "TierBudget",
    "UsageRights",
    "WithholdingRule",
    "brief_asset_path",
    "draft_media_path",
    "funnel_position",
    "insight_screenshot_path",
    "kpis_in_funnel_order",
    "money_field",
    "portal_expiry",
    "portal_token",
    "random_upload_path",
]
