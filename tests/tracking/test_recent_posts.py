"""The recent-posts grid of a creator's profile: the accounts' own latest posts, merged with
a platform badge, newest first, twelve at most, covers served by us, in constant queries."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from kolhub.models import Membership, Role
from tests.campaigns import url
from tests.factories import (
    AccountPostFactory,
    BrandFactory,
    CreatorFactory,
    SocialAccountFactory,
    UserFactory,
    WorkspaceFactory,
)
from tracking.ingest import thumbnails

DAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 320), (20, 120, 90)).save(out, "JPEG")
    return out.getvalue()


def covered(post):
    post.thumbnail.save("x.jpg", io.BytesIO(jpeg()), save=True)
    return post


@pytest.fixture
def creator(workspace):
    return CreatorFactory(workspace=workspace, display_name="Mei")


@pytest.fixture
def instagram(creator):
    return SocialAccountFactory(creator=creator, platform="instagram", handle="mei.daily")


@pytest.fixture
def youtube(creator):
    return SocialAccountFactory(creator=creator, platform="youtube", handle="meitube")


def grid(client, workspace, creator):
    return client.get(url("creator_posts", workspace, creator.pk))


def test_it_merges_the_accounts_posts_newest_first_with_links_badges_and_figures(
    alice_client, workspace, creator, instagram, youtube
):
    older = AccountPostFactory(
        account=instagram,
        published_at=DAY,
        url="https://www.instagram.com/p/DCy1aB2cD3e/",
        likes=5210,
        comments=133,
    )
    newer = covered(
        AccountPostFactory(
            account=youtube,
            published_at=DAY + timedelta(days=1),
            url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            views=48213,
            likes=2210,
            comments=187,
        )
    )
    response = grid(alice_client, workspace, creator)
    assert response.status_code == 200
    text = response.text
    assert text.index(newer.url) < text.index(older.url)
    assert 'target="_blank" rel="noopener noreferrer"' in text
    cover = url("account_post_cover", workspace, newer.pk)
    assert f'<img src="{cover}"' in text
    assert 'width="320" height="320" loading="lazy"' in text
    assert 'alt="Cover of @meitube\'s YouTube post"' in text
    assert '<span class="platform platform--youtube post-grid__badge">YouTube</span>' in text
    assert '<span class="platform platform--instagram post-grid__badge">Instagram</span>' in text
    assert "48.2K" in text and "5.2K" in text and "2026-11-21" in text
    # Instagram reports no views of another creator's post: unknown, not 0.
    assert "<dt>Views</dt><dd>—</dd>" in text
    assert "No cover from the platform" in text  # the Instagram post has none


def test_it_shows_twelve_at_most(alice_client, workspace, creator, instagram):
    for day in range(15):
        AccountPostFactory(account=instagram, published_at=DAY - timedelta(days=day))
    text = grid(alice_client, workspace, creator).text
    assert text.count('class="post-grid__item"') == 12
    assert (DAY - timedelta(days=11)).strftime("%Y-%m-%d") in text
    assert (DAY - timedelta(days=12)).strftime("%Y-%m-%d") not in text


def test_a_post_without_a_link_is_not_a_link_and_a_missing_cover_says_why(
    alice_client, workspace, creator, instagram
):
    AccountPostFactory(
        account=instagram,
        thumbnail_source="https://cdn.example/a.jpg",
        thumbnail_failures=thumbnails.MAX_FAILURES,
    )
    AccountPostFactory(account=instagram, thumbnail_source="https://cdn.example/b.jpg")
    text = grid(alice_client, workspace, creator).text
    assert '<div class="post-grid__link">' in text and '<a class="post-grid__link"' not in text
    assert "The cover could not be copied" in text and "Cover not copied yet" in text


def test_a_creator_without_posts_read_says_so(alice_client, workspace, creator):
    assert "No recent posts yet" in grid(alice_client, workspace, creator).text


def test_the_profile_pulls_the_grid(alice_client, workspace, creator):
    text = alice_client.get(url("creator_detail", workspace, creator.pk)).text
    assert f'hx-get="{url("creator_posts", workspace, creator.pk)}"' in text


def test_the_grid_takes_the_same_queries_for_one_account_or_many(alice_client, workspace):
    def queries_for(accounts: int) -> int:
        creator = CreatorFactory(workspace=workspace)
        for n in range(accounts):
            account = SocialAccountFactory(creator=creator)
            for _ in range(4):
                covered(AccountPostFactory(account=account, url=f"https://example.com/{n}"))
        grid(alice_client, workspace, creator)  # warm the session
        with CaptureQueriesContext(connection) as captured:
            grid(alice_client, workspace, creator)
        return len(captured.captured_queries)

    assert queries_for(1) == queries_for(5) <= 6


def test_a_demo_workspace_labels_the_grid(db, client_for):
    demo = WorkspaceFactory(is_demo=True)
    user = UserFactory()
    Membership.objects.create(workspace=demo, user=user, role=Role.OWNER)
    creator = CreatorFactory(workspace=demo)
    AccountPostFactory(account=SocialAccountFactory(creator=creator))
    assert "demo data" in grid(client_for(user), demo, creator).text


def test_a_member_gets_the_cover_as_a_jpeg_that_cannot_run(bob_client, workspace, instagram):
    post = covered(AccountPostFactory(account=instagram))
    response = bob_client.get(url("account_post_cover", workspace, post.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_outsiders_client_viewers_and_missing_covers_get_404(
    charlie_client, alice_client, client_for, workspace, creator, instagram
):
    post = covered(AccountPostFactory(account=instagram))
    bare = AccountPostFactory(account=instagram)
    assert charlie_client.get(url("account_post_cover", workspace, post.pk)).status_code == 404
    assert charlie_client.get(url("creator_posts", workspace, creator.pk)).status_code == 404
    viewer = UserFactory()
    Membership.objects.create(workspace=workspace, user=viewer, role=Role.CLIENT).brands.add(
        BrandFactory(workspace=workspace)
    )
    assert client_for(viewer).get(url("creator_posts", workspace, creator.pk)).status_code == 404
    assert alice_client.get(url("account_post_cover", workspace, bare.pk)).status_code == 404


def test_the_grid_and_the_cover_answer_get_only(alice_client, workspace, creator, instagram):
    post = covered(AccountPostFactory(account=instagram))
    assert alice_client.post(url("creator_posts", workspace, creator.pk)).status_code == 405
    assert alice_client.post(url("account_post_cover", workspace, post.pk)).status_code == 405
