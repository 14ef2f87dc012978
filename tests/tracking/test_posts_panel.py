"""The posts panels on the campaign pages, and “Refresh now” with its progress."""

from __future__ import annotations

import re

import pytest
import respx

from kolhub.models import Role
from tests.campaigns import url
from tests.factories import CollaborationFactory, MembershipFactory, PostFactory, UserFactory
from tests.tracking.conftest import LOOPBACK, recorded
from tracking.models import MetricSnapshot, PostStatus


@pytest.fixture
def collaboration(brand):
    return CollaborationFactory(campaign__brand=brand)


@pytest.fixture
def post(collaboration):
    return PostFactory(
        collaboration=collaboration, platform_id="dQw4w9WgXcQ", views=1200, likes=None
    )


def test_the_collaboration_panel_shows_counters_and_what_is_unknown(alice_client, workspace, post):
    panel = alice_client.get(url("collaboration_posts", workspace, post.collaboration_id))
    assert panel.status_code == 200
    assert post.url in panel.text
    assert "1.2K" in panel.text or "1,200" in panel.text
    assert "Not reported by the platform" in panel.text
    assert "Refresh now" in panel.text


def test_the_campaign_panel_names_the_creators(alice_client, workspace, post):
    panel = alice_client.get(url("campaign_posts", workspace, post.collaboration.campaign_id))
    assert post.collaboration.creator.display_name in panel.text


def test_a_client_viewer_sees_the_posts_without_the_refresh_button(workspace, client, post):
    viewer = UserFactory()
    membership = MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT)
    membership.brands.add(post.collaboration.campaign.brand)
    client.force_login(viewer)
    panel = client.get(url("collaboration_posts", workspace, post.collaboration_id))
    assert panel.status_code == 200 and "Refresh now" not in panel.text
    refresh = client.post(url("collaboration_posts_refresh", workspace, post.collaboration_id))
    assert refresh.status_code == 404


@respx.mock
def test_refresh_now_pulls_at_once_and_reports_progress(alice_client, workspace, post, settings):
    settings.YOUTUBE_API_KEY = "AIzaSyA-recorded-test-key"
    respx.get(f"{LOOPBACK}/youtube/videos").respond(json=recorded("youtube/videos.json"))
    response = alice_client.post(
        url("collaboration_posts_refresh", workspace, post.collaboration_id)
    )
    assert response.status_code == 200
    # Tasks run inline in tests, so the refresh is already finished.
    assert "1 post updated." in response.text
    assert MetricSnapshot.objects.filter(post=post).count() == 1
    post.refresh_from_db()
    assert post.views == 48213 and post.status == PostStatus.LIVE


def test_progress_is_polled_until_the_workers_are_done(alice_client, workspace, post):
    from kolhub.celery import app

    app.conf.task_always_eager = False  # nothing runs: the batch waits in the broker
    try:
        response = alice_client.post(
            url("collaboration_posts_refresh", workspace, post.collaboration_id)
        )
    finally:
        app.conf.task_always_eager = True
    assert "0 of 1 posts read" in response.text
    status_url = re.search(r'hx-get="([^"]+/refresh/[0-9a-f]+/[^"]*)"', response.text)[1]
    status_url = status_url.replace("&amp;", "&")
    assert 'hx-trigger="every 2s"' in response.text
    from tracking.ingest import refresh

    refresh.count_done(re.search(r"/refresh/([0-9a-f]+)/", status_url)[1], 1)
    finished = alice_client.get(status_url)
    # Counted done, yet nothing read it (no worker ran): a failure, not an update.
    assert "1 post could not be read:" in finished.text and "every 2s" not in finished.text


def test_another_workspaces_refresh_token_reads_as_unknown_progress(alice_client, workspace, post):
    other = PostFactory()  # another workspace's post, refreshed there
    from tracking.ingest import refresh

    token = refresh.refresh_now(
        workspace_id=other.workspace_id,
        post_ids=[other.pk],
        scope=("collaboration", other.collaboration_id),
    )
    panel = alice_client.get(url("refresh_status", workspace, token))
    assert panel.status_code == 200
    assert "The refresh's progress is no longer known" in panel.text
    assert other.url not in panel.text


def test_a_refresh_whose_progress_is_gone_says_so_and_offers_a_reload(
    alice_client, workspace, post
):
    status = url("refresh_status", workspace, "0" * 32)
    scope = {"scope": "collaboration", "scope_id": post.collaboration_id}
    panel = alice_client.get(status, scope, headers={"HX-Request": "true"})
    assert panel.status_code == 200
    assert "The refresh's progress is no longer known" in panel.text
    assert "Reload" in panel.text
    assert "every 2s" not in panel.text  # the polling stops
    assert post.url in panel.text  # the panel it replaced, with its posts
    assert "<html" not in panel.text


def test_an_outsider_asking_for_a_refresh_s_progress_gets_404(charlie_client, workspace, post):
    from tracking.ingest import refresh

    token = refresh.refresh_now(
        workspace_id=workspace.pk,
        post_ids=[post.pk],
        scope=("collaboration", post.collaboration_id),
    )
    assert charlie_client.get(url("refresh_status", workspace, token)).status_code == 404
    scope = {"scope": "collaboration", "scope_id": post.collaboration_id}
    assert charlie_client.get(url("refresh_status", workspace, "0" * 32), scope).status_code == 404


def test_a_gone_refresh_asked_about_with_another_workspaces_scope_is_404(
    alice_client, workspace, post
):
    stranger = PostFactory()
    scope = {"scope": "collaboration", "scope_id": stranger.collaboration_id}
    assert alice_client.get(url("refresh_status", workspace, "0" * 32), scope).status_code == 404


@respx.mock
def test_one_post_can_be_refreshed_from_the_campaign_panel(alice_client, workspace, post, settings):
    settings.YOUTUBE_API_KEY = "AIzaSyA-recorded-test-key"
    route = respx.get(f"{LOOPBACK}/youtube/videos").respond(json=recorded("youtube/videos.json"))
    other = PostFactory(collaboration=post.collaboration, platform_id="9bZkp7q19f0")
    campaign = post.collaboration.campaign_id
    response = alice_client.post(
        url("post_refresh", workspace, post.pk), {"scope": "campaign", "scope_id": campaign}
    )
    assert response.status_code == 200 and "1 post updated." in response.text
    assert route.calls.last.request.url.params["id"] == "dQw4w9WgXcQ"
    assert f"/campaigns/{campaign}/posts/refresh/" in response.text  # the campaign's panel
    other.refresh_from_db()
    assert other.last_pulled_at is None


def test_a_post_outside_the_panel_or_a_forged_scope_is_404(alice_client, workspace, post):
    stranger = PostFactory()  # another workspace
    cases = [
        (stranger.pk, {"scope": "collaboration", "scope_id": post.collaboration_id}),
        (post.pk, {"scope": "workspace", "scope_id": 1}),
        (post.pk, {"scope": "campaign", "scope_id": "x"}),
        (post.pk, {"scope": "collaboration", "scope_id": stranger.collaboration_id}),
    ]
    for post_id, data in cases:
        assert alice_client.post(url("post_refresh", workspace, post_id), data).status_code == 404
