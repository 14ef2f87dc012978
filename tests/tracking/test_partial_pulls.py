"""A batch read in several calls keeps what each call read: a quota running out or a 5xx
part-way through loses nothing that was read, and a retry asks only for what was not."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import httpx
import pytest
import respx
import time_machine

from tests.factories import CollaborationFactory, PostFactory
from tests.tracking.conftest import LOOPBACK, recorded
from tracking.ingest.providers.base import ErrorCode
from tracking.ingest.pulls import Batch, pull_batch
from tracking.models import MetricSnapshot, Post
from tracking.tasks import pull_posts

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
VIDEOS = f"{LOOPBACK}/youtube/videos"
RESET = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # midnight in California


@pytest.fixture(autouse=True)
def _clock(db, settings):
    settings.YOUTUBE_API_KEY = "AIzaSyA-recorded-test-key"
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def posts():
    """126 YouTube posts: three calls of at most 50 ids."""
    return PostFactory.create_batch(126, collaboration=CollaborationFactory())


def videos_answer(request: httpx.Request) -> httpx.Response:
    """The recorded videos.list answer, with one item for each id asked for."""
    body = recorded("youtube/videos.json")
    item = body["items"][0]
    ids = request.url.params["id"].split(",")
    body["items"] = [{**copy.deepcopy(item), "id": video} for video in ids]
    return httpx.Response(200, json=body)


def failing(n: int, status: int, fixture: str):
    """Answer every call with videos, except the n-th (1-based), which fails once."""
    calls = {"count": 0}

    def answer(request: httpx.Request) -> httpx.Response:
        calls["count"] += 1
        if calls["count"] == n:
            return httpx.Response(status, json=recorded(fixture))
        return videos_answer(request)

    return answer


def asked_ids(route: respx.Route) -> list[list[str]]:
    return [call.request.url.params["id"].split(",") for call in route.calls]


@respx.mock
def test_it_stores_what_the_first_calls_read_when_the_quota_runs_out_on_the_third(posts):
    route = respx.get(VIDEOS).mock(side_effect=failing(3, 403, "youtube/error_quota_exceeded.json"))
    report = pull_batch(Batch("youtube", posts[0].workspace_id, None, tuple(p.pk for p in posts)))
    assert route.call_count == 3
    assert report.error is not None and report.error.code == ErrorCode.QUOTA_EXCEEDED
    read = [p.pk for p in posts[:100]]
    assert MetricSnapshot.objects.filter(post_id__in=read).count() == 100
    assert not Post.objects.filter(pk__in=read).exclude(views=48213).exists()
    unread = Post.objects.filter(pk__in=[p.pk for p in posts[100:]])
    assert {(p.next_pull_at, p.error_code, p.views) for p in unread} == {
        (RESET, ErrorCode.QUOTA_EXCEEDED, None)
    }
    assert not Post.objects.filter(pk__in=read).exclude(error_code="").exists()


@respx.mock
def test_a_5xx_retry_asks_only_for_the_posts_left_unread(posts):
    route = respx.get(VIDEOS).mock(side_effect=failing(2, 503, "youtube/error_backend.json"))
    pull_posts.delay(
        provider="youtube",
        workspace_id=posts[0].workspace_id,
        connection_id=None,
        post_ids=[p.pk for p in posts],
    )
    calls = asked_ids(route)
    platform_ids = [p.platform_id for p in posts]
    # First try: chunk 1 read, chunk 2 failed; the retry starts at chunk 2, never chunk 1 again.
    assert calls == [
        platform_ids[:50],
        platform_ids[50:100],
        platform_ids[50:100],
        platform_ids[100:],
    ]
    assert MetricSnapshot.objects.count() == 126
    assert not Post.objects.exclude(error_code="").exists()


@respx.mock
def test_the_retry_carries_only_the_unread_post_ids(posts, monkeypatch):
    retried: list[list[int]] = []
    original = pull_posts.retry

    def spy(*args, **kwargs):
        retried.append(kwargs["kwargs"]["post_ids"])
        return original(*args, **kwargs)

    monkeypatch.setattr(pull_posts, "retry", spy)
    respx.get(VIDEOS).mock(side_effect=failing(3, 503, "youtube/error_backend.json"))
    pull_posts.delay(
        provider="youtube",
        workspace_id=posts[0].workspace_id,
        connection_id=None,
        post_ids=[p.pk for p in posts],
    )
    assert retried == [[p.pk for p in posts[100:]]]


@respx.mock
def test_posts_given_up_on_after_the_retries_are_only_the_unread_ones(posts):
    respx.get(VIDEOS).mock(
        side_effect=lambda request: (
            videos_answer(request)
            if request.url.params["id"].startswith(posts[0].platform_id)
            else httpx.Response(503, json=recorded("youtube/error_backend.json"))
        )
    )
    pull_posts.delay(
        provider="youtube",
        workspace_id=posts[0].workspace_id,
        connection_id=None,
        post_ids=[p.pk for p in posts],
    )
    read = Post.objects.filter(pk__in=[p.pk for p in posts[:50]])
    assert {(p.failures, p.error_code) for p in read} == {(0, "")}
    unread = Post.objects.filter(pk__in=[p.pk for p in posts[50:]])
    assert {(p.failures, p.error_code) for p in unread} == {(1, ErrorCode.PLATFORM_DOWN)}
