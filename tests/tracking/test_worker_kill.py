"""A worker killed with SIGKILL in the middle of a batch loses nothing and duplicates nothing.

A real Celery worker process pulls a batch from a loopback server speaking the YouTube
protocol. The server holds the first request open while the test kills the worker; a second
worker gets the unacknowledged batch back from Redis and finishes it. Postgres then holds one
snapshot per post.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import redis
from django.conf import settings
from django.db import connection

from kolhub.celery import app
from tests.factories import CollaborationFactory, PostFactory
from tests.tracking.conftest import RECORDED
from tests.tracking.worker_process import answer_videos_list, start_celery_worker
from tracking.ingest.pulls import Batch
from tracking.models import MetricSnapshot, Post, PostStatus
from tracking.tasks import pull_posts

VISIBILITY_SECONDS = 3

pytestmark = pytest.mark.skipif(
    not settings.REDIS_URL or connection.vendor != "postgresql",
    reason="redelivery needs the production broker (Redis) and a database both processes share",
)


class YouTubeLike(BaseHTTPRequestHandler):
    """Answers videos.list for any ids; holds requests open while `hold` is set."""

    hold = threading.Event()
    arrived = threading.Event()
    requests = 0

    def do_GET(self):
        type(self).requests += 1
        type(self).arrived.set()
        while type(self).hold.is_set():
            time.sleep(0.05)
        template = json.loads((RECORDED / "youtube/videos.json").read_text())["items"][0]
        answer_videos_list(self, template)

    def log_message(self, *args):
        pass


@pytest.fixture
def youtube_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), YouTubeLike)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/youtube/v3"
    YouTubeLike.hold.clear()
    server.shutdown()


def start_worker(base_url: str) -> subprocess.Popen:
    return start_celery_worker(
        "--pool",
        "solo",
        YOUTUBE_API_URL=base_url,
        YOUTUBE_API_KEY="AIzaSyA-recorded-test-key",
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS),
    )


def stop(worker: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=30)


def lost_messages() -> int:
    """Messages delivered to a worker, never acknowledged, and past the visibility timeout."""
    broker = redis.Redis.from_url(settings.REDIS_URL)
    return broker.zcount("unacked_index", 0, time.time() - VISIBILITY_SECONDS)


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_batch_survives_its_worker_being_killed(youtube_server):
    app.conf.task_always_eager = False
    app.control.purge()
    collaboration = CollaborationFactory()
    posts = PostFactory.create_batch(120, collaboration=collaboration)
    YouTubeLike.requests = 0
    YouTubeLike.arrived.clear()
    YouTubeLike.hold.set()
    batch = Batch("youtube", collaboration.workspace_id, None, tuple(p.pk for p in posts))
    pull_posts.delay(**batch.as_task_kwargs())

    first = start_worker(youtube_server)
    try:
        assert YouTubeLike.arrived.wait(60), "the worker never called the platform"
        stop(first, signal.SIGKILL)  # mid-batch: the first of three calls is still open
    finally:
        stop(first, signal.SIGKILL)
    assert not MetricSnapshot.objects.exists()

    # A worker looks for lost messages as it starts, then only every tenth restore interval
    # (kombu's throttle, 100 s): it must start once the batch is past its visibility timeout.
    assert wait_for(lambda: lost_messages() >= 1, seconds=30), "the killed batch is not unacked"
    YouTubeLike.hold.clear()
    second = start_worker(youtube_server)
    try:
        finished = wait_for(
            lambda: (
                MetricSnapshot.objects.count() == len(posts)
                and not Post.objects.exclude(status=PostStatus.LIVE).exists()
            ),
            seconds=90,
        )
        assert finished, f"{MetricSnapshot.objects.count()} snapshots after redelivery"
        time.sleep(VISIBILITY_SECONDS + 2)  # nothing else arrives later
    finally:
        stop(second)
    assert MetricSnapshot.objects.count() == len(posts)
    assert set(MetricSnapshot.objects.values_list("post_id", flat=True)) == {p.pk for p in posts}
    assert YouTubeLike.requests == 1 + 3  # the killed call, then ceil(120 / 50) calls
