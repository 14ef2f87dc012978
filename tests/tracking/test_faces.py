"""Faces on the roster, from the worker's side: the account refresh names the profile picture
and the latest posts' covers, the worker copies them (public https only, bytes, pixels and
count capped), shrinks them and keeps them. Platform answers are recorded at the HTTP
boundary (respx) and names resolve through the test's DNS table."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx
import time_machine
from PIL import Image

from campaigns.models import CampaignStatus
from creators.models import AVATAR_ATTEMPTS, SocialAccount
from tests.factories import (
    AccountPostFactory,
    CollaborationFactory,
    SocialAccountFactory,
    WorkspaceFactory,
)
from tests.tracking.conftest import LOOPBACK, cdn_route, recorded
from tracking.ingest import faces, thumbnails
from tracking.ingest.accounts import account_posts_record
from tracking.ingest.providers.base import RecentPost
from tracking.ingest.sweeps import accounts_refresh
from tracking.models import AccountPost

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
YOUTUBE = f"{LOOPBACK}/youtube"
# What the recorded answers name: the channel's 240 px picture and an upload's cover.
PICTURE = (
    "https://yt3.ggpht.com/ytc/AIdro_kX4qJz9mR2vWb7nP1sT0yLcQ5fHa8uE3dG6iK"
    "=s240-c-k-c0x00ffffff-no-rj"
)
COVER = "https://i.ytimg.com/vi/dQw4w9WgXcQ/mqdefault.jpg"
CDN = "https://scontent-tpe1-1.cdninstagram.com/v/t51.2885-19/441_n.jpg?oh=00_A&oe=6750"


@pytest.fixture(autouse=True)
def _clock(db):
    with time_machine.travel(NOW, tick=False):
        yield


def image_bytes(size=(320, 240), fmt="PNG", colour=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def image_answer(content: bytes | None = None) -> httpx.Response:
    return httpx.Response(
        200, content=content or image_bytes(), headers={"Content-Type": "image/png"}
    )


@pytest.fixture
def channel(workspace, settings):
    settings.YOUTUBE_API_KEY = "AIzaSyA-recorded-test-key"
    account = SocialAccountFactory(
        creator__workspace=workspace,
        platform="youtube",
        handle="anan",
        platform_id="UCuAXFkgsw1L7xaCfnd5JJOw",
    )
    CollaborationFactory(
        campaign__workspace=workspace,
        campaign__status=CampaignStatus.RUNNING,
        creator=account.creator,
    )
    return account


@pytest.fixture
def account(workspace):
    return SocialAccountFactory(creator__workspace=workspace, avatar_source=CDN)


def stored(account: SocialAccount) -> Image.Image:
    account.refresh_from_db()
    return Image.open(account.avatar.open("rb"))


def youtube_answers() -> None:
    respx.get(f"{YOUTUBE}/channels").respond(json=recorded("youtube/channels.json"))
    respx.get(f"{YOUTUBE}/playlistItems").respond(json=recorded("youtube/playlist_items.json"))
    # The refresh samples the uploads' comments too (test_platform_comments.py).
    respx.get(f"{YOUTUBE}/commentThreads").respond(json=recorded("youtube/comment_threads.json"))
    respx.get(f"{YOUTUBE}/videos").respond(json=recorded("youtube/videos.json"))


@respx.mock
def test_a_refresh_copies_the_picture_and_the_covers_once_it_is_committed(
    channel, dns, django_capture_on_commit_callbacks
):
    youtube_answers()
    picture = cdn_route(PICTURE, dns).mock(return_value=image_answer(image_bytes((800, 800))))
    cover = cdn_route(COVER, dns).mock(return_value=image_answer(image_bytes((320, 180))))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        accounts_refresh()
    sent = [c for c in callbacks if "tracking.tasks.fetch_faces" in repr(c)]
    assert len(sent) == 2  # one task for the picture, one for the covers
    assert picture.call_count == 1 and cover.call_count == 1
    channel.refresh_from_db()
    assert channel.avatar_source == PICTURE and channel.avatar_copied_at == NOW
    assert channel.avatar.name.startswith("avatars/") and channel.avatar.name.endswith(".jpg")
    with stored(channel) as picture_file:
        assert picture_file.format == "JPEG" and picture_file.size == (160, 160)
    covered = AccountPost.objects.get(account=channel, platform_id="dQw4w9WgXcQ")
    assert covered.url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    with Image.open(covered.thumbnail.open("rb")) as tile:
        assert tile.format == "JPEG" and tile.size == (320, 180)  # never enlarged
    # The upload the answer gave no thumbnail has none to copy, and is not asked for.
    assert not AccountPost.objects.get(account=channel, platform_id="9bZkp7q19f0").thumbnail


def test_a_wide_picture_is_cut_to_its_centred_square_and_a_small_one_is_not_enlarged():
    wide = Image.new("RGB", (400, 200), (255, 0, 0))
    wide.paste((0, 0, 255), (100, 0, 300, 200))  # blue in the middle, red at the sides
    out = io.BytesIO()
    wide.save(out, "PNG")
    with Image.open(io.BytesIO(thumbnails.avatar_tile(out.getvalue()))) as square:
        assert square.size == (160, 160)
        red, _green, blue = square.getpixel((5, 80))
        assert blue > 200 and red < 60  # the sides were cut away
    with Image.open(io.BytesIO(thumbnails.avatar_tile(image_bytes((88, 88))))) as small:
        assert small.size == (88, 88)


@respx.mock
def test_the_same_picture_under_a_new_signature_is_not_copied_again_for_a_week(account, dns):
    route = cdn_route(CDN, dns).mock(return_value=image_answer())
    assert faces.avatars_fetch([account.pk]) == 1
    account.refresh_from_db()
    first = account.avatar.name
    # The next day's read names the same file with a fresh signature.
    resigned = CDN.replace("oh=00_A", "oh=00_B")
    _record_picture(account, resigned)
    assert faces.accounts_wanting_avatar([account.pk]) == []
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        assert faces.accounts_wanting_avatar([account.pk]) == [account.pk]
        cdn_route(resigned, dns).mock(return_value=image_answer())
        assert faces.avatars_fetch([account.pk]) == 1
    account.refresh_from_db()
    assert account.avatar.name != first
    assert route.call_count == 1


def _record_picture(account: SocialAccount, url: str) -> None:
    from creators.services import AccountFigures, accounts_figures_record

    accounts_figures_record(
        workspace=account.workspace,
        figures={account.pk: AccountFigures(followers=None, avatar_url=url)},
        audience_source="platform",
    )


@respx.mock
def test_a_new_picture_is_due_at_once_with_fresh_attempts_and_the_old_file_goes(
    account, dns, django_capture_on_commit_callbacks
):
    cdn_route(CDN, dns).mock(return_value=image_answer())
    faces.avatars_fetch([account.pk])
    account.refresh_from_db()
    old = account.avatar.name
    SocialAccount.objects.filter(pk=account.pk).update(avatar_failures=AVATAR_ATTEMPTS)
    new = "https://scontent-tpe1-1.cdninstagram.com/v/t51.2885-19/999_n.jpg?oh=00_C"
    _record_picture(account, new)
    account.refresh_from_db()
    assert (account.avatar_failures, account.avatar_copied_at) == (0, None)
    assert faces.accounts_wanting_avatar([account.pk]) == [account.pk]
    cdn_route(new, dns).mock(return_value=image_answer(image_bytes(colour=(250, 200, 0))))
    with django_capture_on_commit_callbacks(execute=True):
        assert faces.avatars_fetch([account.pk]) == 1
    account.refresh_from_db()
    assert account.avatar.name != old
    assert not account.avatar.storage.exists(old)  # the replaced copy is deleted


def test_a_read_that_names_no_picture_keeps_the_one_we_have(account):
    _record_picture(account, "")
    account.refresh_from_db()
    assert account.avatar_source == CDN


# Hostile pictures: each is refused, counted, and stores nothing. ----------------------------


@respx.mock
@pytest.mark.parametrize(
    "answer, code",
    [
        (image_answer(image_bytes((8000, 6000))), thumbnails.TOO_MANY_PIXELS),
        (
            httpx.Response(
                200, content=b"<html>login</html>", headers={"Content-Type": "text/html"}
            ),
            "not_an_image",
        ),
        (
            httpx.Response(
                200, content=b"GIF89a not really", headers={"Content-Type": "image/gif"}
            ),
            thumbnails.UNREADABLE_IMAGE,
        ),
        (
            httpx.Response(
                200,
                content=b"\xff" * (faces.AVATAR_MAX_BYTES + 1),
                headers={"Content-Type": "image/jpeg"},
            ),
            "too_large",
        ),
    ],
    ids=["huge-dimensions", "not-an-image", "corrupt", "too-many-bytes"],
)
def test_a_hostile_picture_is_refused_counted_and_logged_by_its_code(
    account, dns, answer, code, caplog
):
    cdn_route(CDN, dns).mock(return_value=answer)
    with caplog.at_level(logging.INFO, logger="tracking.ingest.faces"):
        assert faces.avatars_fetch([account.pk]) == 0
    account.refresh_from_db()
    assert not account.avatar and account.avatar_failures == 1
    # The code only: never the address, which carries the CDN's signature.
    logged = [r.getMessage() for r in caplog.records if r.name == "tracking.ingest.faces"]
    assert logged == [f"No picture for account {account.pk}: {code}"]


@pytest.mark.parametrize(
    "source",
    [
        "https://10.0.0.5/me.jpg",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::ffff:127.0.0.1]/me.jpg",
        "http://scontent.cdninstagram.com/me.jpg",
    ],
)
def test_a_picture_at_a_private_address_is_refused_without_a_request(workspace, source):
    account = SocialAccountFactory(creator__workspace=workspace, avatar_source=source)
    with respx.mock:  # any request would fail the test: respx has no route
        assert faces.avatars_fetch([account.pk]) == 0
    account.refresh_from_db()
    assert account.avatar_failures == 1


@respx.mock
def test_a_name_that_resolves_inside_and_a_redirect_inside_are_refused(account, dns):
    dns["pictures.example"] = ["192.168.1.20"]
    SocialAccount.objects.filter(pk=account.pk).update(
        avatar_source="https://pictures.example/me.jpg"
    )
    assert faces.avatars_fetch([account.pk]) == 0
    SocialAccount.objects.filter(pk=account.pk).update(avatar_source=CDN)
    cdn_route(CDN, dns).respond(302, headers={"Location": "https://127.0.0.1/admin.jpg"})
    assert faces.avatars_fetch([account.pk]) == 0
    account.refresh_from_db()
    assert account.avatar_failures == 2 and not account.avatar


def test_after_three_failures_the_picture_waits_for_another(account):
    SocialAccount.objects.filter(pk=account.pk).update(avatar_failures=AVATAR_ATTEMPTS)
    assert faces.accounts_wanting_avatar([account.pk]) == []
    with respx.mock:
        assert faces.avatars_fetch([account.pk]) == 0


# Covers of the accounts' own posts. ------------------------------------------------------


@respx.mock
def test_a_post_still_listed_keeps_its_cover_and_a_dropped_posts_cover_is_deleted(
    account, dns, django_capture_on_commit_callbacks
):
    cover = "https://scontent.cdninstagram.com/v/t51/post-a.jpg?oe=1"
    first = (RecentPost("a", NOW, {}, cover_url=cover), RecentPost("b", NOW, {}))
    account_posts_record(workspace_id=account.workspace_id, recent={account.pk: first})
    route = cdn_route(cover, dns).mock(return_value=image_answer())
    wanted = faces.account_posts_wanting_cover([account.pk])
    assert len(wanted) == 1
    assert faces.faces_fetch(account_post_ids=wanted) == (0, 1)
    kept = AccountPost.objects.get(account=account, platform_id="a")
    name = kept.thumbnail.name
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        resigned = (RecentPost("a", NOW, {}, cover_url=cover + "&sig=2"),)
        account_posts_record(workspace_id=account.workspace_id, recent={account.pk: resigned})
    kept.refresh_from_db()
    assert kept.thumbnail.name == name and kept.thumbnail_source.endswith("&sig=2")
    assert faces.account_posts_wanting_cover([account.pk]) == []
    later = time_machine.travel(NOW + timedelta(days=2), tick=False)
    with later, django_capture_on_commit_callbacks(execute=True):
        account_posts_record(
            workspace_id=account.workspace_id, recent={account.pk: (RecentPost("c", NOW, {}),)}
        )
    assert not AccountPost.objects.filter(platform_id="a").exists()
    assert not kept.thumbnail.storage.exists(name)
    assert route.call_count == 1


def test_a_refresh_asks_for_a_task_per_chunk_of_images(
    account, django_capture_on_commit_callbacks, monkeypatch
):
    AccountPostFactory.create_batch(
        faces.PER_TASK + 1, account=account, thumbnail_source="https://cdn.example/a.jpg"
    )
    sent = []
    monkeypatch.setattr(
        faces, "send_task_after_commit", lambda name, **kwargs: sent.append((name, kwargs))
    )
    faces.faces_fetch_soon([account.pk])
    assert [sorted(kwargs) for _name, kwargs in sent] == [
        ["account_ids"],
        ["account_post_ids"],
        ["account_post_ids"],
    ]
    assert [len(next(iter(kwargs.values()))) for _name, kwargs in sent] == [
        1,
        faces.PER_TASK,
        1,
    ]
    assert {name for name, _kwargs in sent} == {"tracking.tasks.fetch_faces"}


def test_a_task_given_too_many_ids_copies_no_more_than_its_share(account):
    posts = AccountPostFactory.create_batch(
        faces.PER_TASK + 2, account=account, thumbnail_source="demo:many"
    )
    assert faces.faces_fetch(account_post_ids=[p.pk for p in posts]) == (0, faces.PER_TASK)


def test_demo_accounts_get_drawn_covers_stamped_demo_and_no_made_up_face():
    demo = WorkspaceFactory(is_demo=True)
    account = SocialAccountFactory(creator__workspace=demo, platform="instagram")
    CollaborationFactory(
        campaign__workspace=demo, campaign__status=CampaignStatus.RUNNING, creator=account.creator
    )
    with respx.mock:  # drawn here, never downloaded
        accounts_refresh()
        wanted = faces.account_posts_wanting_cover([account.pk])
        assert len(wanted) == 12
        assert faces.faces_fetch(account_post_ids=wanted) == (0, 12)
    account.refresh_from_db()
    assert not account.avatar_source  # the initials stand for a made-up creator
    post = AccountPost.objects.filter(account=account).first()
    assert post.thumbnail and post.url == ""  # a made-up post links nowhere
    with Image.open(io.BytesIO(thumbnails.demo_cover("seed"))) as drawn:
        # The stamp's dark pill sits at the bottom's centre, inside a square crop.
        assert max(drawn.convert("RGB").getpixel((drawn.width // 2, drawn.height - 24))) < 60
