"""The creator profile's view of past work: collaborations across campaigns and a scorecard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from campaigns.models import (
    Collaboration,
    CollaborationEvent,
    Decision,
    Deliverable,
    DeliverableStatus,
    EventKind,
    ReviewComment,
    Stage,
)
from kolhub.models import Workspace


@dataclass
class Scorecard:
    collaborations: int
    completed: int
    ghosted: int
    cancelled: int
    declined: int
    deliverables: int
    drafts_on_time: int
    drafts_judged: int
    posts_on_time: int
    posts_judged: int
    revision_rounds: int
    taken_down_early: int = 0

    @staticmethod
    def rate(part: int, whole: int) -> int | None:
        return round(part / whole * 100) if whole else None

    @property
    def drafts_on_time_rate(self) -> int | None:
        return self.rate(self.drafts_on_time, self.drafts_judged)

    @property
    def posts_on_time_rate(self) -> int | None:
        return self.rate(self.posts_on_time, self.posts_judged)

    @property
    def rounds_per_deliverable(self) -> float | None:
        return round(self.revision_rounds / self.deliverables, 1) if self.deliverables else None


def creator_history(workspace: Workspace, creator_id: int) -> dict[str, Any]:
    """The creator's collaborations across campaigns and the reliability scorecard."""
    collaborations = list(
        Collaboration.objects.for_workspace(workspace)
        .filter(creator_id=creator_id)
        .select_related("campaign__brand")
        .annotate(
            deliverable_count=Count(
                "deliverables",
                filter=~Q(deliverables__status=DeliverableStatus.CANCELLED),
                distinct=True,
            )
        )
        .order_by("-campaign__starts_on")
    )
    deliverables = (
        Deliverable.objects.for_workspace(workspace)
        .filter(collaboration__creator_id=creator_id)
        .exclude(status=DeliverableStatus.CANCELLED)
    )
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in deliverables.values(
            "draft_due", "draft_submitted_at", "publish_due", "published_at"
        )
    ]
    zone = timezone.get_current_timezone()
    drafts_judged = [r for r in rows if r["draft_due"] and r["draft_submitted_at"]]
    posts_judged = [r for r in rows if r["publish_due"] and r["published_at"]]
    rounds = (
        ReviewComment.objects.for_workspace(workspace)
        .filter(
            draft__deliverable__in=deliverables,
            decision__in=[Decision.CHANGES, Decision.BRAND_CHANGES],
        )
        .count()
    )
    stages_seen = [c.stage for c in collaborations]
    card = Scorecard(
        collaborations=len(collaborations),
        completed=sum(s in (Stage.PUBLISHED, Stage.REPORTED) for s in stages_seen),
        ghosted=stages_seen.count(Stage.GHOSTED),
        cancelled=stages_seen.count(Stage.CANCELLED),
        declined=stages_seen.count(Stage.DECLINED),
        deliverables=len(rows),
        drafts_on_time=sum(
            r["draft_submitted_at"].astimezone(zone).date() <= r["draft_due"] for r in drafts_judged
        ),
        drafts_judged=len(drafts_judged),
        posts_on_time=sum(
            r["published_at"].astimezone(zone).date() <= r["publish_due"] for r in posts_judged
        ),
        posts_judged=len(posts_judged),
        revision_rounds=rounds,
        taken_down_early=CollaborationEvent.objects.for_workspace(workspace)
        .filter(collaboration__creator_id=creator_id, kind=EventKind.TAKEN_DOWN)
        .count(),
    )
    return {"collaborations": collaborations, "scorecard": card}
