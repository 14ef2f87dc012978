"""Account scores stored for a whole workspace, rolled up to the directory, and shown on the
creator's profile with every signal explained."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from creators.models import Creator
from creators.services import comment_sample_add
from tests.campaigns import url
from tests.factories import (
    AccountSnapshotFactory,
    AudienceProfileFactory,
    CollaborationFactory,
    CreatorFactory,
    PostFactory,
    SocialAccountFactory,
    WorkspaceFactory,
)
from tracking.ingest.accounts import account_posts_record
from tracking.ingest.providers.base import RecentPost
from tracking.models import AccountScore, EngagementBenchmark
from tracking.results import account_scores
from tracking.results.figures import campaign_result_compute


def test_home_country_is_read_from_the_region():
    assert account_scores.home_country("台中市西屯區") == "TW"
    assert account_scores.home_country("my") == "MY"
    assert account_scores.home_country("Somewhere") == ""


def test_scores_are_stored_and_rolled_up_to_the_creator(workspace):
    creator = CreatorFactory(workspace=workspace, region="台北市")
    big = SocialAccountFactory(
        creator=creator, platform="youtube", tier="micro", followers=10_000, following=100
    )
    SocialAccountFactory(creator=creator, platform="instagram", followers=500)
    collab = CollaborationFactory(campaign__brand__workspace=workspace, creator=creator)
    for day in range(3):  # engagements 300, 200, 100 → rates 0.03, 0.02, 0.01
        PostFactory(
            collaboration=collab,
            platform="youtube",
            likes=100 * (day + 1),
            comments=0,
            published_at=timezone.now() - timedelta(days=day),
        )
    AudienceProfileFactory(account=big, countries={"TW": 0.2, "JP": 0.8})
    EngagementBenchmark.objects.create(
        workspace=workspace, platform="youtube", tier="micro", rate="0.08"
    )
    assert account_scores.account_scores_compute(workspace.pk) == 2
    score = AccountScore.objects.get(account=big)
    assert score.engagement_rate == 0.02 and score.posts_used == 3
    assert score.benchmark == 0.08
    # 0.02 / 0.08 = 0.25: not below a quarter. No comments (−15), 20 % at home (−15).
    assert score.signals["low_engagement"] == {
        "available": True,
        "fired": False,
        "value": 0.25,
        "penalty": 25,
    }
    assert score.signals["comment_like_ratio"]["fired"]
    assert score.signals["audience_geography"]["fired"]
    assert score.authenticity == 70
    creator.refresh_from_db()
    assert float(creator.engagement_rate) == 0.02 and creator.authenticity_score == 70
    assert float(creator.engagement_vs_tier) == 0.25
    # Rates 0.03, 0.02, 0.01: mean 0.02, standard deviation √(0.0002 / 3) ≈ 0.00816.
    assert float(creator.engagement_stability) == 0.41
    assert creator.red_flags == 2  # no comments, audience abroad
    assert creator.sponsored_vs_organic is None  # no own posts read: no baseline


def test_a_follower_spike_in_the_history_costs_points(workspace):
    account = SocialAccountFactory(workspace=workspace, followers=20_000, following=10)
    today = timezone.localdate()
    total = 10_000
    for n in range(20):
        total += 5_000 if n == 10 else 50 + n % 3
        AccountSnapshotFactory(
            account=account, captured_on=today - timedelta(days=20 - n), followers=total
        )
    account_scores.account_scores_compute(workspace.pk)
    score = AccountScore.objects.get(account=account)
    assert score.signals["growth_spike"]["fired"]
    assert score.authenticity == 75  # read: growth (−25) and following; nothing else


def test_the_inputs_take_the_same_queries_for_few_and_many_accounts(workspace):
    other_workspace = WorkspaceFactory()
    SocialAccountFactory.create_batch(3, workspace=workspace, creator__workspace=workspace)
    SocialAccountFactory.create_batch(
        60, workspace=other_workspace, creator__workspace=other_workspace
    )

    def queries(ws):
        with CaptureQueriesContext(connection) as captured:
            account_scores.account_scores_compute(ws.pk)
        return len(captured.captured_queries)

    assert 0 < queries(workspace) == queries(other_workspace)


def test_the_profile_shows_each_signal_and_the_results_across_campaigns(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace)
    account = SocialAccountFactory(creator=creator, following=50_000, followers=20_000)
    collab = CollaborationFactory(
        campaign__brand__workspace=workspace, creator=creator, stage="published", fee=900
    )
    PostFactory(collaboration=collab, platform="instagram", likes=300, comments=30, views=9_000)
    account_scores.account_scores_compute(workspace.pk)
    campaign_result_compute(collab.campaign)
    panel = alice_client.get(url("creator_scores", workspace, creator.pk))
    assert panel.status_code == 200
    assert f"@{account.handle}" in panel.text
    assert "Following against followers" in panel.text and "−10" in panel.text
    assert "No comment sample yet." in panel.text
    assert collab.campaign.name in panel.text and "TWD 900" in panel.text


def test_an_unscored_creator_says_so(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace)
    panel = alice_client.get(url("creator_scores", workspace, creator.pk))
    assert "Not scored yet" in panel.text and "No campaign results yet." in panel.text
    assert Creator.objects.filter(pk=creator.pk, authenticity_score__isnull=True).exists()


def test_the_directory_filters_and_sorts_on_engagement_against_the_tier(alice_client, workspace):
    strong, weak = (CreatorFactory(workspace=workspace, display_name=n) for n in ("Strong", "Weak"))
    for creator, likes in ((strong, 500), (weak, 10)):
        account = SocialAccountFactory(
            creator=creator, platform="instagram", tier="micro", followers=10_000
        )
        collab = CollaborationFactory(campaign__brand__workspace=workspace, creator=creator)
        PostFactory(collaboration=collab, platform="instagram", likes=likes, comments=0)
        assert account.pk
    account_scores.account_scores_compute(workspace.pk)  # micro benchmark 2.4 %
    page = alice_client.get(url("creator_list", workspace) + "?vs_tier_min=1&sort=-vs_tier")
    assert "Strong" in page.text and "Weak" not in page.text
    assert "2.08×" in page.text  # 5 % over 2.4 %


def test_the_accounts_own_posts_make_its_baseline_and_campaign_posts_count_once(workspace):
    account = SocialAccountFactory(
        creator__workspace=workspace, platform="youtube", followers=10_000
    )
    collab = CollaborationFactory(campaign__brand__workspace=workspace, creator=account.creator)
    campaign_post = PostFactory(collaboration=collab, platform="youtube", likes=100, comments=0)
    now = timezone.now()
    recent = [
        RecentPost(f"own{n}", now - timedelta(days=n + 1), {"likes": 400, "comments": 0})
        for n in range(4)
    ]
    # The profile lists the campaign post too: it is sponsored, not part of the baseline.
    recent.append(RecentPost(campaign_post.platform_id, now, {"likes": 100, "comments": 0}))
    account_posts_record(workspace_id=workspace.pk, recent={account.pk: tuple(recent)})
    account_scores.account_scores_compute(workspace.pk)
    score = AccountScore.objects.get(account=account)
    assert score.organic_posts == 4 and score.organic_rate == pytest.approx(0.04)
    assert score.sponsored_vs_organic == pytest.approx(0.25)  # 0.01 / 0.04
    assert score.posts_used == 5  # four own posts and the campaign post, once
    account.creator.refresh_from_db()
    assert float(account.creator.sponsored_vs_organic) == 0.25


def scored_creator(workspace, name: str, likes: list[int], own_likes: int, following: int):
    """A creator whose Instagram account (10,000 followers) has campaign posts with these
    likes, four own posts with own_likes each, and follows this many accounts."""
    account = SocialAccountFactory(
        creator__workspace=workspace,
        creator__display_name=name,
        platform="instagram",
        tier="micro",
        followers=10_000,
        following=following,
    )
    collab = CollaborationFactory(campaign__brand__workspace=workspace, creator=account.creator)
    now = timezone.now()
    for n, count in enumerate(likes):
        PostFactory(
            collaboration=collab,
            platform="instagram",
            likes=count,
            comments=count // 20,
            published_at=now - timedelta(days=n),
        )
    own = [
        RecentPost(f"{name}-{n}", now - timedelta(days=30 + n), {"likes": own_likes, "comments": 9})
        for n in range(4)
    ]
    account_posts_record(workspace_id=workspace.pk, recent={account.pk: tuple(own)})
    return account.creator


def test_the_directory_filters_and_sorts_on_stability_red_flags_and_sponsored(
    alice_client, workspace
):
    # Steady: campaign posts at 3.15 %, like its own posts. Erratic: about 1 % and 9 % against
    # own posts at 20 %, and it follows 60,000 accounts (a red flag).
    steady = scored_creator(workspace, "Steady", [300, 300, 300], 306, following=100)
    erratic = scored_creator(workspace, "Erratic", [100, 900], 1_991, following=60_000)
    account_scores.account_scores_compute(workspace.pk)
    steady.refresh_from_db(), erratic.refresh_from_db()
    assert float(steady.sponsored_vs_organic) == 1.0 and steady.red_flags == 0
    assert erratic.red_flags == 1 and float(erratic.sponsored_vs_organic) < 0.5
    assert steady.engagement_stability < erratic.engagement_stability

    def names(query: str) -> list[str]:
        page = alice_client.get(url("creator_list", workspace) + query)
        assert page.status_code == 200
        return [c.display_name for c in page.context["page"].object_list]

    assert names("?stability_max=0.1") == ["Steady"]
    assert names("?red_flags_max=0") == ["Steady"]
    assert names("?sponsored_min=0.9") == ["Steady"]
    assert names("?sort=stability") == ["Steady", "Erratic"]
    assert names("?sort=red_flags") == ["Steady", "Erratic"]
    assert names("?sort=-sponsored") == ["Steady", "Erratic"]
    unscored = CreatorFactory(workspace=workspace, display_name="Unscored")
    assert unscored.red_flags is None
    assert names("?sort=red_flags") == ["Steady", "Erratic", "Unscored"]
    assert names("?red_flags_max=5") == ["Steady", "Erratic"]
    page = alice_client.get(url("creator_list", workspace) + "?red_flags_max=-1&sort=name")
    assert "Ensure this value is greater than or equal to 0." in page.text
    assert "1 red flag" in page.text and "1.00×" in page.text


def test_a_comment_sample_feeds_the_generic_comments_signal_and_the_profile_shows_it(
    alice_client, workspace, django_capture_on_commit_callbacks
):
    account = SocialAccountFactory(creator__workspace=workspace, followers=10_000, following=50)
    creator = account.creator
    account_scores.account_scores_compute(workspace.pk)
    before = alice_client.get(url("creator_scores", workspace, creator.pk))
    assert "No comment sample yet." in before.text
    real = [f"請問第 {n} 集提到的產品在哪買" for n in range(20)]
    comment_sample_add(
        account=account, comments=real + ["好美😍"] * 15 + ["快去買 👍"] * 5, source="pasted"
    )
    stale = alice_client.get(url("creator_scores", workspace, creator.pk))
    assert "Comments were stored after these scores were computed." in stale.text
    with django_capture_on_commit_callbacks(execute=True):
        queued = alice_client.post(url("creator_scores_recompute", workspace, creator.pk))
    assert queued.status_code == 200 and "Recomputing the scores" in queued.text
    score = AccountScore.objects.get(account=account)
    signal = score.signals["generic_comments"]
    # 15 stock praise and 5 copies of one line out of 40: half the sample.
    assert signal["available"] and signal["fired"] and signal["value"] == 0.5
    assert signal["comments_read"] == 40
    assert signal["examples"] == [["好美😍", 15], ["快去買 👍", 5]]
    panel = alice_client.get(url("creator_scores", workspace, creator.pk))
    assert "Comments were stored after" not in panel.text
    assert "read: 50.0% · of 40 comments" in panel.text
    assert "<q>好美😍</q> × 15" in panel.text
    creator.refresh_from_db()
    assert creator.red_flags == 1


def test_too_small_a_comment_sample_is_reported_not_read(alice_client, workspace):
    account = SocialAccountFactory(creator__workspace=workspace, followers=10_000, following=50)
    comment_sample_add(account=account, comments=["好美"] * 12, source="pasted")
    account_scores.account_scores_compute(workspace.pk)
    assert not AccountScore.objects.get(account=account).signals["generic_comments"]["available"]
    panel = alice_client.get(url("creator_scores", workspace, account.creator_id))
    assert "The latest comment sample holds 12 comments; the signal needs 30." in panel.text
