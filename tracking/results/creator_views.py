"""The scores panel of a creator's profile (the roster's page pulls it with htmx)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from creators.models import CommentSample, Creator
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member
from tracking import tasks
from tracking.models import AccountScore, CampaignResult
from tracking.results import gallery, selectors
from tracking.results.dashboards import format_figure
from tracking.results.recent_posts import creator_recent_posts
from tracking.results.scoring import comments as comment_rules
from tracking.results.scoring import creator as rules

SIGNAL_TEXT = {
    "growth_spike": (
        _("Follower growth spikes"),
        _(
            "A day's follower gain far above the account's usual (a robust z-score over 4): "
            "bought followers arrive in bursts."
        ),
    ),
    "low_engagement": (
        _("Engagement far below the tier"),
        _(
            "An engagement rate under a quarter of the tier's benchmark: followers who never "
            "engage may not be real."
        ),
    ),
    "comment_like_ratio": (
        _("Comments per like"),
        _(
            "Fewer than 0.2 or more than 50 comments per 100 likes: bought likes bring no "
            "comments, engagement pods too many."
        ),
    ),
    "follow_ratio": (
        _("Following against followers"),
        _(
            "Follows more accounts than follow it (past 1,000 followers), or more than 5,000: "
            "follow-for-follow growth."
        ),
    ),
    "generic_comments": (
        _("Duplicate or generic comments"),
        _(
            "Two fifths or more of the latest comment sample is emoji only, stock praise "
            "(“nice pic”, “好讚”) or copy-pasted: what bots and engagement pods leave."
        ),
    ),
    "audience_geography": (
        _("Audience in the creator's country"),
        _("Less than two fifths of the audience in the country the creator is based in."),
    ),
}
SIGNAL_VALUE_KIND = {
    "growth_spike": "z",
    "low_engagement": "ratio",
    "comment_like_ratio": "rate",
    "follow_ratio": "rate",
    "generic_comments": "rate",
    "audience_geography": "rate",
}


def signal_rows(signals: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name, (label, explanation) in SIGNAL_TEXT.items():
        read = signals.get(name, {})
        value, kind = read.get("value"), SIGNAL_VALUE_KIND.get(name, "")
        shown = (
            f"{value:.1f}"
            if kind == "z" and value is not None
            else (format_figure(value, kind) if kind and value is not None else "")
        )
        rows.append(
            {
                "name": name,
                "label": label,
                "explanation": explanation,
                "available": read.get("available", False),
                "fired": read.get("fired", False),
                "value": shown,
                "penalty": rules.SIGNALS[name].penalty,
                "comments_read": read.get("comments_read", 0),
                "examples": read.get("examples", []),
                "sample_source": read.get("sample_source", ""),
                "sample_at": parse_datetime(read.get("sample_at") or ""),
            }
        )
    return rows


@require_GET
@workspace_member(role=Role.MEMBER)  # the roster is the agency's, not a client viewer's
def creator_scores(request: WorkspaceRequest, creator_id: int) -> HttpResponse:
    creator = get_object_or_404(Creator.objects.for_workspace(request.workspace), pk=creator_id)
    return render_scores(request, creator)


@require_POST
@workspace_member(role=Role.MEMBER)
def creator_scores_recompute(request: WorkspaceRequest, creator_id: int) -> HttpResponse:
    """Queue the workspace's account scores now, for data stored since the last run; the
    panel reloads itself a few seconds later."""
    creator = get_object_or_404(Creator.objects.for_workspace(request.workspace), pk=creator_id)
    # As soon as a worker is free, once the request's transaction is committed.
    transaction.on_commit(partial(tasks.recompute_account_scores.delay, request.workspace.pk))
    return render_scores(request, creator, recomputing=True)


@require_GET
@workspace_member(role=Role.MEMBER)
def creator_posts(request: WorkspaceRequest, creator_id: int) -> HttpResponse:
    """The grid of the creator's accounts' own latest posts."""
    creator = get_object_or_404(Creator.objects.for_workspace(request.workspace), pk=creator_id)
    return render(
        request,
        "tracking/creator_posts.html",
        {
            "creator": creator,
            "posts": creator_recent_posts(creator),
            "demo": request.workspace.is_demo,
        },
    )


@require_GET
@workspace_member(role=Role.MEMBER)
def account_post_cover(request: WorkspaceRequest, account_post_id: int) -> HttpResponseBase:
    post = selectors.get_account_post_with_cover(request.membership, account_post_id)
    return gallery.cover_response(post, name="account-post")


def render_scores(request: WorkspaceRequest, creator: Creator, *, recomputing: bool = False):
    scores = list(
        AccountScore.objects.filter(account__creator=creator)
        .select_related("account")
        .order_by("-account__followers")
    )
    newest_comments = CommentSample.objects.filter(account__creator=creator).aggregate(
        newest=Max("created_at")
    )["newest"]
    return render(
        request,
        "tracking/creator_scores.html",
        {
            "creator": creator,
            "scores": [
                {
                    "score": score,
                    "signals": signal_rows(score.signals),
                    "read": sum(1 for s in score.signals.values() if s.get("available")),
                    "versus": score.engagement_rate / score.benchmark
                    if score.engagement_rate is not None and score.benchmark
                    else None,
                }
                for score in scores
            ],
            "new_comments": newest_comments is not None
            and (not scores or newest_comments > min(s.computed_at for s in scores)),
            "recomputing": recomputing,
            "signal_count": len(rules.SIGNALS),
            "min_signals": rules.MIN_SIGNALS,
            "min_organic": rules.MIN_ORGANIC_POSTS,
            "min_comments": comment_rules.MIN_COMMENTS,
            "history": campaign_history(creator),
            "history_limit": HISTORY_CAMPAIGNS,
        },
    )


# The scores panel shows the creator's results in this many campaigns at most, the latest:
# each stored report read is the whole campaign's (every creator of it).
HISTORY_CAMPAIGNS = 10


def campaign_history(creator: Creator) -> list[dict[str, Any]]:
    """The creator's results in the latest HISTORY_CAMPAIGNS campaigns with stored figures
    (two queries)."""
    collaborations = dict(creator.collaborations.values_list("pk", "campaign_id"))
    results = (
        CampaignResult.objects.filter(
            workspace_id=creator.workspace_id, campaign_id__in=set(collaborations.values())
        )
        .select_related("campaign")
        .order_by("-campaign__starts_on", "-campaign_id")[:HISTORY_CAMPAIGNS]
    )
    return [
        {"campaign": result.campaign, "currency": result.report.get("currency", "")} | row
        for result in results
        for row in result.report.get("creators", [])
        if row.get("collaboration") in collaborations
    ]
