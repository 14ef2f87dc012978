"""The content gallery: covers copied by the worker from the platform's CDN (recorded at the
HTTP boundary), served by us to members and to a share link, and the gallery's tiles."""

from __future__ import annotations

import io
from datetime import timedelta

import httpx
import pytest
import respx
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from kolhub.models import Role
from tests.campaigns import url
from tests.factories import CampaignFactory, MembershipFactory, PostFactory, UserFactory
from tests.tracking.conftest import cdn_route
from tracking.ingest import pulls, thumbnails
from tracking.ingest.providers.base import Fetched, Gone
from tracking.models import PostStatus, SharedReport

CDN = "https://i.ytimg.com/vi/abc/mqdefault.jpg"


def image_bytes(size=(1280, 720), fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 90)).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def campaign(brand):
    return CampaignFactory(brand=brand, name="Winter Serum")


@pytest.fixture
def post(campaign):
    return PostFactory(collaboration__campaign=campaign, thumbnail_source=CDN)


@respx.mock
def test_a_pull_that_names_a_cover_gets_it_copied_and_shrunk(
    campaign, dns, django_capture_on_commit_callbacks
):
    cdn_route(CDN, dns).respond(200, content=image_bytes(), headers={"Content-Type": "image/png"})
    post = PostFactory(collaboration__campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True):
        pulls.outcomes_apply(
            [post], {post.pk: Fetched(counters={"views": 10}, thumbnail_url=CDN)}, source="api"
        )
    post.refresh_from_db()
    assert post.thumbnail_source == CDN
    assert post.thumbnail.name.startswith("thumbnails/") and post.thumbnail.name.endswith(".jpg")
    with Image.open(post.thumbnail.open("rb")) as tile:
        assert tile.format == "JPEG" and tile.size == (640, 360)


@respx.mock
def test_a_cover_already_copied_is_not_downloaded_again(
    post, dns, django_capture_on_commit_callbacks
):
    route = cdn_route(CDN, dns).respond(
        200, content=image_bytes(), headers={"Content-Type": "image/png"}
    )
    assert thumbnails.thumbnails_fetch([post.pk]) == 1
    assert thumbnails.thumbnails_fetch([post.pk]) == 0
    post.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pulls.outcomes_apply(
            [post], {post.pk: Fetched(counters={"views": 10}, thumbnail_url=CDN)}, source="api"
        )
    assert route.call_count == 1
    assert not any("fetch_thumbnails" in repr(callback) for callback in callbacks)


@respx.mock
@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(404),
        httpx.Response(200, content=b"<html>login</html>", headers={"Content-Type": "text/html"}),
        httpx.Response(200, content=b"not really a png", headers={"Content-Type": "image/png"}),
        httpx.Response(
            200, content=b"x" * (thumbnails.MAX_BYTES + 1), headers={"Content-Type": "image/jpeg"}
        ),
    ],
    ids=["missing", "not-an-image", "corrupt", "too-large"],
)
def test_a_bad_cover_is_counted_as_a_failure_and_stores_nothing(post, dns, answer):
    cdn_route(CDN, dns).mock(return_value=answer)
    assert thumbnails.thumbnails_fetch([post.pk]) == 0
    post.refresh_from_db()
    assert not post.thumbnail and post.thumbnail_failures == 1


@respx.mock
def test_a_network_failure_is_a_failure_too(post, dns):
    cdn_route(CDN, dns).mock(side_effect=httpx.ConnectTimeout("slow CDN"))
    thumbnails.thumbnails_fetch([post.pk])
    post.refresh_from_db()
    assert post.thumbnail_failures == 1


def test_after_three_failures_the_worker_stops_asking(post):
    post.thumbnail_failures = thumbnails.MAX_FAILURES
    assert thumbnails.posts_wanting_cover([post]) == []
    post.thumbnail_failures = thumbnails.MAX_FAILURES - 1
    assert thumbnails.posts_wanting_cover([post]) == [post.pk]


def test_a_tile_says_when_the_worker_gave_up_on_its_cover(alice_client, workspace, post):
    fragment = url(
        "campaign_results_fragment", workspace, post.collaboration.campaign.pk, "gallery"
    )
    assert "Cover not copied yet" in alice_client.get(fragment).text
    post.thumbnail_failures = thumbnails.MAX_FAILURES
    post.save()
    text = alice_client.get(fragment).text
    assert "The cover could not be copied" in text and "Cover not copied yet" not in text


def test_only_https_addresses_are_fetched(campaign):
    post = PostFactory(collaboration__campaign=campaign, thumbnail_source="http://10.0.0.1/a.jpg")
    assert thumbnails.thumbnails_fetch([post.pk]) == 0  # no request is made (respx is off)
    post.refresh_from_db()
    assert post.thumbnail_failures == 1


def test_a_demo_post_gets_a_drawn_cover_without_network(campaign):
    post = PostFactory(collaboration__campaign=campaign, thumbnail_source="demo:v123")
    assert thumbnails.thumbnails_fetch([post.pk]) == 1
    post.refresh_from_db()
    with Image.open(post.thumbnail.open("rb")) as tile:
        assert tile.size == (640, 400)


def test_a_decompression_bomb_is_refused():
    with pytest.raises(thumbnails.CoverUnavailable):
        thumbnails.cover_tile(image_bytes(size=(8000, 6000), fmt="PNG"))


@pytest.fixture
def covered(post):
    post.thumbnail.save("x.jpg", io.BytesIO(image_bytes(fmt="JPEG")), save=True)
    return post


def test_a_member_gets_the_cover_as_a_jpeg_that_cannot_run(alice_client, workspace, covered):
    response = alice_client.get(url("post_cover", workspace, covered.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_client_viewer_sees_covers_of_their_brands_only(client, workspace, brand, covered):
    viewer = UserFactory()
    membership = MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT)
    client.force_login(viewer)
    assert client.get(url("post_cover", workspace, covered.pk)).status_code == 404
    membership.brands.add(brand)
    assert client.get(url("post_cover", workspace, covered.pk)).status_code == 200


def test_a_share_link_serves_covers_of_its_own_campaign_only(client, brand, covered):
    share = SharedReport.objects.create(
        workspace=covered.workspace,
        campaign=covered.collaboration.campaign,
        expires_at=timezone.now() + timedelta(days=3),
    )
    other = PostFactory(collaboration__campaign=CampaignFactory(brand=brand))
    other.thumbnail.save("y.jpg", io.BytesIO(image_bytes(fmt="JPEG")), save=True)
    assert (
        client.get(reverse("shared_post_cover", args=[share.token, covered.pk])).status_code == 200
    )
    assert client.get(reverse("shared_post_cover", args=[share.token, other.pk])).status_code == 404
    share.revoked_at = timezone.now()
    share.save()
    assert (
        client.get(reverse("shared_post_cover", args=[share.token, covered.pk])).status_code == 410
    )


def test_the_gallery_shows_covers_status_and_figures(alice_client, workspace, campaign, covered):
    covered.views, covered.likes, covered.comments = 2000, 90, 10
    covered.status = PostStatus.LIVE
    covered.save()
    gone = PostFactory(collaboration__campaign=campaign, status=PostStatus.DELETED)
    gone.gone_at = timezone.now()
    gone.save()
    page = alice_client.get(url("campaign_results_fragment", workspace, campaign.pk, "gallery"))
    assert page.status_code == 200
    text = page.text
    assert url("post_cover", workspace, covered.pk) in text
    assert "5.0%" in text  # (90 + 10) / 2,000
    assert "gallery__tile--gone" in text and "Deleted" in text
    assert "No cover from the platform" in text  # the deleted post never had one
    assert "Not reported: shares, saves" in text


def test_the_gallery_pages_and_keeps_its_query_count(alice_client, workspace, campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PostFactory.create_batch(thumbnails_page_plus := 30, collaboration__campaign=campaign)
    fragment = url("campaign_results_fragment", workspace, campaign.pk, "gallery")
    with CaptureQueriesContext(connection) as first_page:
        first = alice_client.get(fragment)
    assert first.text.count("gallery__tile") >= 24
    assert f"{fragment}?from=24" in first.text and "24 of 30 shown" in first.text
    with CaptureQueriesContext(connection) as second_page:
        second = alice_client.get(f"{fragment}?from=24")
    assert second.text.count('class="gallery__tile') == thumbnails_page_plus - 24
    assert "gallery-more" not in second.text
    assert len(first_page.captured_queries) == len(second_page.captured_queries) <= 10


@pytest.mark.parametrize("start", ["9" * 30, "١٢", "-1", "1e3", "24 ", "\u00b2"])
def test_a_gallery_page_number_that_is_not_one_shows_the_first_page(
    alice_client, client, workspace, campaign, start
):
    PostFactory.create_batch(3, collaboration__campaign=campaign)
    fragment = url("campaign_results_fragment", workspace, campaign.pk, "gallery")
    page = alice_client.get(fragment, {"from": start})
    assert page.status_code == 200 and page.text.count('class="gallery__tile') == 3
    share = SharedReport.objects.create(
        workspace=workspace, campaign=campaign, expires_at=timezone.now() + timedelta(days=3)
    )
    shared = client.get(reverse("shared_results_fragment", args=[share.token, "gallery"]),
                        {"from": start})  # fmt: skip
    assert shared.status_code == 200 and shared.text.count('class="gallery__tile') == 3


def test_an_empty_campaign_says_where_posts_come_from(alice_client, workspace, campaign):
    page = alice_client.get(url("campaign_results_fragment", workspace, campaign.pk, "gallery"))
    assert "No post registered yet" in page.text


def test_a_gone_post_keeps_the_cover_it_had(post):
    now = timezone.now()
    for read_at in (now, now + pulls.RECHECK_AFTER):  # found gone, and still gone later
        post.refresh_from_db()
        removed = {post.pk: Gone(PostStatus.DELETED, "removed")}
        pulls.outcomes_apply([post], removed, source="api", now=read_at)
    post.refresh_from_db()
    assert post.thumbnail_source == CDN and post.status == PostStatus.DELETED


def test_a_post_not_found_once_is_shown_live_and_being_checked_again(
    alice_client, workspace, campaign, post
):
    post.status = PostStatus.LIVE
    post.save()
    pulls.outcomes_apply([post], {post.pk: Gone(PostStatus.DELETED, "removed")}, source="api")
    page = alice_client.get(url("campaign_results_fragment", workspace, campaign.pk, "gallery"))
    assert "gallery__tile--gone" not in page.text and "Deleted" not in page.text
    assert ">Live</span>" in page.text
    assert "Not found at the last read: checking again before reporting it taken down." in page.text
