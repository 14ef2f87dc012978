"""Drafts and their review: submission with the automatic brief check, decisions, approval."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import numpy as np
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import brief_check, webhooks
from campaigns.models import (
    Asset,
    BriefVersion,
    Decision,
    Deliverable,
    DeliverableStatus,
    Draft,
    DraftMedia,
    DraftStatus,
    EventKind,
    ReviewComment,
    Stage,
)
from campaigns.services.plan import latest_brief
from campaigns.services.roster import collaboration_advance, event_log
from kolhub.models import User
from kolhub.uploads import upload_facts


class ReviewRefused(Exception):
    """A decision that does not fit the draft's state (e.g. deciding on a superseded draft)."""


def rules_for(brief: BriefVersion | None, deliverable: Deliverable) -> brief_check.BriefRules:
    """The brief's requirements as the checker's rules for this deliverable."""
    if brief is None:
        return brief_check.BriefRules(platform=deliverable.platform, format=deliverable.format)
    # The brief form refuses longer lists; a brief saved before it did is cut to them, since
    # every entry is a search through the caption.
    limit = brief_check.MAX_BRIEF_ENTRIES
    return brief_check.BriefRules(
        hashtags=tuple(brief.hashtag_list[: limit["hashtags"]]),
        mentions=tuple(brief.mention_list[: limit["mentions"]]),
        disclosure=brief.disclosure,
        required_link=brief.required_link,
        promo_code=brief.promo_code,
        forbidden_words=tuple(brief.forbidden_list[: limit["forbidden_words"]]),
        platform=deliverable.platform,
        format=deliverable.format,
    )


@transaction.atomic
def draft_submit(
    *,
    deliverable: Deliverable,
    caption: str,
    files: Iterable[UploadedFile] = (),
    user: User | None = None,
    by_creator: bool = False,
) -> Draft:
    """A new draft version, checked against the brief the creator was sent."""
    locked = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    collaboration = locked.collaboration
    brief = collaboration.brief_sent or latest_brief(collaboration.campaign)
    # An undecided earlier version is replaced by this one, not reviewed separately.
    Draft.objects.filter(
        deliverable=locked, status__in=[DraftStatus.SUBMITTED, DraftStatus.AWAITING_BRAND]
    ).update(status=DraftStatus.SUPERSEDED)
    number = (locked.drafts.aggregate(n=Max("version"))["n"] or 0) + 1
    draft = Draft.objects.create(
        workspace_id=locked.workspace_id,
        deliverable=locked,
        version=number,
        caption=caption,
        brief_version=brief,
        brief_checks=brief_check.findings_to_json(
            brief_check.check_caption(caption, rules_for(brief, locked))
        ),
        submitted_by=user,
        by_creator=by_creator,
    )
    for upload in files:
        media = DraftMedia(workspace_id=locked.workspace_id, draft=draft, **upload_facts(upload))
        media.file.save(media.name, upload, save=True)
    now = timezone.now()
    locked.status = DeliverableStatus.IN_REVIEW
    locked.draft_submitted_at = locked.draft_submitted_at or now
    locked.save(update_fields=["status", "draft_submitted_at"])
    deliverable.status, deliverable.draft_submitted_at = locked.status, locked.draft_submitted_at
    event_log(
        collaboration=collaboration,
        kind=EventKind.DRAFT,
        actor=user,
        by_creator=by_creator,
        data={"format": locked.format, "version": number},
    )
    webhooks.draft_submitted(draft)
    # A contracted creator who sends a draft is drafting; a draft waiting is "in review".
    collaboration_advance(
        collaboration=collaboration,
        target=Stage.DRAFTING,
        only_from=[Stage.CONTRACTED, Stage.GHOSTED],
        user=user,
        by_creator=by_creator,
    )
    collaboration_advance(
        collaboration=collaboration,
        target=Stage.IN_REVIEW,
        only_from=[Stage.DRAFTING, Stage.PRODUCT_RECEIVED, Stage.APPROVED],
        user=user,
        by_creator=by_creator,
    )
    return draft


AGENCY_DECISIONS = {Decision.COMMENT, Decision.CHANGES, Decision.APPROVE}
BRAND_DECISIONS = {Decision.COMMENT, Decision.BRAND_CHANGES, Decision.BRAND_APPROVE}


@transaction.atomic
def draft_review(*, draft: Draft, user: User | None, decision: str, body: str = "") -> Draft:
    """Record a reviewer's comment or decision and apply it to the draft and the deliverable."""
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    waiting_for = {
        DraftStatus.SUBMITTED: AGENCY_DECISIONS,
        DraftStatus.AWAITING_BRAND: BRAND_DECISIONS,
    }.get(DraftStatus(locked.status), {Decision.COMMENT})
    if decision not in waiting_for:
        raise ReviewRefused(_("This draft is not waiting for that decision."))
    if decision in (Decision.CHANGES, Decision.BRAND_CHANGES) and not body.strip():
        raise ReviewRefused(_("Say what should change: the creator reads this note."))
    ReviewComment.objects.create(
        workspace_id=locked.workspace_id, draft=locked, author=user, decision=decision, body=body
    )
    deliverable = locked.deliverable
    collaboration = deliverable.collaboration
    if decision in (Decision.CHANGES, Decision.BRAND_CHANGES):
        _request_changes(locked, deliverable)
        collaboration_advance(
            collaboration=collaboration,
            target=Stage.DRAFTING,
            only_from=[Stage.IN_REVIEW],
            user=user,
        )
    elif decision == Decision.APPROVE and collaboration.campaign.brand_approval:
        locked.status = DraftStatus.AWAITING_BRAND
        locked.agency_approved_at = timezone.now()
        locked.save(update_fields=["status", "agency_approved_at"])
    elif decision in (Decision.APPROVE, Decision.BRAND_APPROVE):
        _approve(locked, user)
    if decision != Decision.COMMENT:
        event_log(
            collaboration=collaboration,
            kind=EventKind.REVIEW,
            actor=user,
            data={"decision": decision, "version": locked.version},
        )
    draft.status = locked.status
    return draft


def _request_changes(draft: Draft, deliverable: Deliverable) -> None:
    draft.status = DraftStatus.CHANGES
    draft.save(update_fields=["status"])
    deliverable.status = DeliverableStatus.CHANGES
    deliverable.save(update_fields=["status"])


def _approve(draft: Draft, user: User | None) -> None:
    """Final approval: the deliverable is approved and its media join the asset library."""
    now = timezone.now()
    draft.status = DraftStatus.APPROVED
    draft.agency_approved_at = draft.agency_approved_at or now
    draft.save(update_fields=["status", "agency_approved_at"])
    deliverable = draft.deliverable
    deliverable.status = DeliverableStatus.APPROVED
    deliverable.approved_at = now
    deliverable.save(update_fields=["status", "approved_at"])
    collaboration = deliverable.collaboration
    Asset.objects.bulk_create(
        Asset(
            workspace_id=draft.workspace_id,
            campaign_id=collaboration.campaign_id,
            collaboration=collaboration,
            media=media,
            approved_at=now,
            # The rights as they stand at approval: a later contract change is not retroactive.
            **{name: getattr(collaboration, name) for name in Asset.RIGHTS_FIELDS},
        )
        for media in draft.media.all()
    )
    webhooks.draft_approved(draft)
    open_left = collaboration.deliverables.exclude(
        status__in=[
            DeliverableStatus.APPROVED,
            DeliverableStatus.PUBLISHED,
            DeliverableStatus.CANCELLED,
        ]
    ).exists()
    if not open_left:
        collaboration_advance(
            collaboration=collaboration,
            target=Stage.APPROVED,
            only_from=[Stage.IN_REVIEW],
            user=user,
        )


def business_days_between(start: datetime, end: datetime) -> int:
    """Business days (Monday to Friday) that have begun after start's day, up to end's day.

    Passed on a Friday, one business day is up on Monday, not on Saturday.
    """
    day = timedelta(days=1)
    return int(np.busday_count(start.date() + day, end.date() + day))


@transaction.atomic
def draft_auto_approve(*, draft: Draft) -> bool:
    """Approve a draft the brand left unanswered; False when the brand has decided meanwhile."""
    # The brand may have decided since the list was read: decide only if it is still waiting.
    if (
        not Draft.objects.select_for_update()
        .filter(pk=draft.pk, status=DraftStatus.AWAITING_BRAND)
        .exists()
    ):
        return False
    ReviewComment.objects.create(
        workspace_id=draft.workspace_id, draft=draft, decision=Decision.AUTO_APPROVE
    )
    _approve(draft, None)
    event_log(
        collaboration=draft.deliverable.collaboration,
        kind=EventKind.REVIEW,
        data={"decision": Decision.AUTO_APPROVE, "version": draft.version},
    )
    return True


def revision_rounds(deliverable: Deliverable) -> int:
    """How many times changes were requested on the deliverable's drafts."""
    return ReviewComment.objects.filter(
        draft__deliverable=deliverable,
        decision__in=[Decision.CHANGES, Decision.BRAND_CHANGES],
    ).count()
