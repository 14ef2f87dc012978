"""Every platform's path through the stand-in (tests/standin.py) with the creator's own
connection: reads, a revoked grant, throttling, and a deletion asserted after a second look."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PostFactory
from tests.tracking.portal_flow import (
    account,
    connect,
    pull,
)
from tracking.ingest.providers.base import ErrorCode
from tracking.ingest.pulls import RECHECK_AFTER
from tracking.models import ConnectionStatus, MetricSnapshot, PlatformConnection, Post, PostStatus


@dataclass(frozen=True)
class Door:
    """One platform's whole path through the stand-in: who signs in, which post is read."""

    platform: str
    login: str
    handle: str
    post_id: str
    object_id: str  # what the platform calls the post when it answers it is gone
    revoked: str  # the stand-in's name for the grant the reads use
    throttled: str
    throttled_code: str = ErrorCode.RATE_LIMITED
    roster_id: str = ""


DOORS = [
    Door(
        "instagram",
        "instagram",
        "xiaoan.daily",
        "DCx7kQmPa1Z",
        "18045678901234567",
        "instagram",
        "instagram",
    ),
    Door(
        "facebook",
        "facebook",
        "mountainmist",
        "104567890123456_872345678901234",
        "104567890123456_872345678901234",
        "facebook",
        "facebook",
        roster_id="104857600000001",
    ),
    Door(
        "threads",
        "threads",
        "xiaoan.daily",
        "DCw3kP9zq1X",
        "18067788990011223",
        "threads",
        "threads",
    ),
    Door(
        "tiktok", "tiktok", "anan", "7441234567890123456", "7441234567890123456", "tiktok", "tiktok"
    ),
    Door(
        "youtube",
        "google",
        "@xiaoan.daily",
        "dQw4w9WgXcQ",
        "dQw4w9WgXcQ",
        "google",
        "youtube",
        throttled_code=ErrorCode.QUOTA_EXCEEDED,
    ),
]


def connected_post(client, standin, link, collaboration, door: Door):
    standin.people["threads"] = {"id": "17841400000000123", "username": "xiaoan.daily"}
    roster = account(collaboration, door.platform, door.handle, platform_id=door.roster_id)
    connect(client, link, roster, door.login)
    return PostFactory(
        collaboration=collaboration,
        platform=door.platform,
        platform_id=door.post_id,
        url=f"https://example.com/{door.post_id}",
    )


@pytest.mark.parametrize("door", DOORS, ids=[door.platform for door in DOORS])
def test_every_platform_reads_a_creators_post_with_their_own_token(
    client, standin, link, collaboration, door
):
    post = connected_post(client, standin, link, collaboration, door)
    batch, report = pull(post)
    assert report.error is None, report.error
    assert batch.connection_id == PlatformConnection.objects.get().pk
    assert MetricSnapshot.objects.filter(post=post).exists()
    assert standin.tokens_in_queries() == []


@pytest.mark.parametrize("door", DOORS, ids=[door.platform for door in DOORS])
def test_every_platform_deletes_a_revoked_grant_at_the_next_read(
    client, standin, link, collaboration, door
):
    post = connected_post(client, standin, link, collaboration, door)
    standin.revoked.add(door.revoked)
    _batch, report = pull(post)
    assert report.error.code in (ErrorCode.AUTH_EXPIRED, ErrorCode.KEY_INVALID)
    connection = PlatformConnection.objects.get()
    assert connection.status == ConnectionStatus.NEEDS_RECONNECT
    assert (connection.token, connection.refresh_token) == ("", "")


@pytest.mark.parametrize("door", DOORS, ids=[door.platform for door in DOORS])
def test_every_platform_waits_out_its_throttling(client, standin, link, collaboration, door):
    post = connected_post(client, standin, link, collaboration, door)
    standin.throttled.add(door.throttled)
    _batch, report = pull(post)
    assert report.error.code == door.throttled_code
    post.refresh_from_db()
    assert post.next_pull_at > timezone.now()
    assert PlatformConnection.objects.get().status == ConnectionStatus.ACTIVE


@pytest.mark.parametrize("door", DOORS, ids=[door.platform for door in DOORS])
def test_every_platform_asserts_a_deletion_only_after_a_second_look(
    client, standin, link, collaboration, door
):
    post = connected_post(client, standin, link, collaboration, door)
    pull(post)
    standin.deleted.add(door.object_id)
    pull(post)
    post.refresh_from_db()
    assert post.status == PostStatus.LIVE and post.gone_suspected_at is not None
    Post.objects.filter(pk=post.pk).update(
        gone_suspected_at=timezone.now() - RECHECK_AFTER - timedelta(minutes=1)
    )
    pull(post)
    post.refresh_from_db()
    assert post.status == PostStatus.DELETED
