"""The reads of campaigns that pages need, one module per subject, all re-exported here.

Access helpers (`access`) answer 404 for what does not exist and what you may not see; the
other selectors read from what an access helper returned, or from the member or workspace.
"""

from campaigns.selectors.access import (
    get_campaign,
    get_collaboration,
    get_deliverable,
    get_draft,
    get_shipment,
    visible_campaigns,
)
from campaigns.selectors.collaborations import (
    ROSTER_COLUMNS,
    BoardColumn,
    board,
    board_column,
    collaboration_page,
    money_text,
    roster_table,
)
from campaigns.selectors.deadlines import (
    Task,
    TimelineRow,
    is_late,
    task_groups,
    timeline,
)
from campaigns.selectors.history import (
    Scorecard,
    creator_history,
)
from campaigns.selectors.plan import (
    TierLine,
    TierPlan,
    brief_versions,
    campaign_events,
    campaign_list,
    stage_counts,
    tier_plan,
)
from campaigns.selectors.review import (
    campaign_assets,
    draft_page,
)

__all__ = [
    "ROSTER_COLUMNS",
    "BoardColumn",
    "Scorecard",
    "Task",
    "TierLine",
    "TierPlan",
    "TimelineRow",
    "board",
    "board_column",
    "brief_versions",
    "campaign_assets",
    "campaign_events",
    "campaign_list",
    "collaboration_page",
    "creator_history",
    "draft_page",
    "get_campaign",
    "get_collaboration",
    "get_deliverable",
    "get_draft",
    "get_shipment",
    "is_late",
    "money_text",
    "roster_table",
    "stage_counts",
    "task_groups",
    "tier_plan",
    "timeline",
    "visible_campaigns",
]
