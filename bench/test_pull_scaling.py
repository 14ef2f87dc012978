"""Pull throughput against the number of worker processes (issue 21), printed beside the
expectation that it grows with them.

A backlog of due YouTube posts is claimed by the beat's sweep (schedule_pulls) and pulled by
real Celery workers (`celery -A kolhub worker -c N`, prefork) from an I/O-bound stand-in: a
loopback server speaking videos.list that takes CALL_SECONDS to answer each call (50 ids), as
a platform far away does. The platform's call budget is lifted (YOUTUBE_CALLS_PER_MINUTE), so
what limits throughput is how many calls are in flight: one per worker process, when every
process has a task (PULL_TASK_POSTS).

Run it with Redis and PostgreSQL (the workers and this process share both):

    REDIS_URL=redis://127.0.0.1:6379/9 DATABASE_URL=postgres://postgres@127.0.0.1:5432/kolhub \\
        .venv/bin/pytest bench/test_pull_scaling.py -p no:randomly -s

PULL_BENCH_POSTS (default 2,000) sets the backlog, PULL_BENCH_WORKERS ("1,2,4") the worker
counts, PULL_BENCH_CALL_MS (500) the stand-in's time per call; PULL_TASK_POSTS=1000 shows the
tasks as they were before issue 21 (2,000 posts were 2 tasks: a third process had nothing to
do). It purges the broker's queue first: use a Redis database of its own.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from kolhub.celery import app
from tests.factories import CollaborationFactory, PostFactory
from tests.tracking.worker_process import answer_videos_list, start_celery_worker
from tracking.ingest.pulls import task_size
from tracking.models import Post
from tracking.tasks import schedule_pulls

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "tests" / "tracking" / "recorded"
CALL_SECONDS = int(os.environ.get("PULL_BENCH_CALL_MS", 500)) / 1000
POSTS = int(os.environ.get("PULL_BENCH_POSTS", 2_000))
WORKERS = [int(n) for n in os.environ.get("PULL_BENCH_WORKERS", "1,2,4").split(",")]

pytestmark = pytest.mark.skipif(
    not settings.REDIS_URL or connection.vendor != "postgresql",
    reason="several worker processes need Redis and a database they share with this one",
)


class SlowYouTube(BaseHTTPRequestHandler):
    """videos.list for any ids, after CALL_SECONDS; no thumbnails (nothing leaves 127.0.0.1)."""

    template: dict = {}
    calls = 0

    def do_GET(self):
        type(self).calls += 1
        time.sleep(CALL_SECONDS)
        answer_videos_list(self, self.template)

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_youtube():
    item = json.loads((RECORDED / "youtube/videos.json").read_text())["items"][0]
    item["snippet"] = {key: value for key, value in item["snippet"].items() if key != "thumbnails"}
    SlowYouTube.template = item
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowYouTube)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/youtube/v3"
    server.shutdown()


def start_workers(processes: int, **extra_env: str) -> subprocess.Popen:
    """`celery worker -c processes` (prefork) on this test's database and broker."""
    return start_celery_worker("--concurrency", str(processes), "--pool", "prefork", **extra_env)


def stop(workers: subprocess.Popen) -> None:
    if workers.poll() is None:
        os.killpg(workers.pid, signal.SIGTERM)
        workers.wait(timeout=60)


def pulled_since(ids: list[int], moment) -> int:
    return Post.objects.filter(pk__in=ids, last_pulled_at__gte=moment).count()


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def pull_rate(processes: int, base_url: str, ids: list[int]) -> float:
    """Posts a second the workers pull the backlog at, from the sweep to the last post."""
    app.control.purge()
    workers = start_workers(
        processes,
        YOUTUBE_API_URL=base_url,
        YOUTUBE_API_KEY="AIzaSyA-bench-key",
        YOUTUBE_CALLS_PER_MINUTE="1000000",  # the platform's limit lifted
        YOUTUBE_DAILY_QUOTA="1000000",
    )
    try:
        # Warm up: the processes have started and loaded Django once a first post is read.
        started = timezone.now()
        Post.objects.filter(pk=ids[0]).update(next_pull_at=started - timedelta(minutes=1))
        schedule_pulls()
        assert wait_until(lambda: pulled_since(ids[:1], started) == 1, 120), "no worker started"
        moment = timezone.now()
        Post.objects.filter(pk__in=ids).update(next_pull_at=moment - timedelta(minutes=1))
        began = time.perf_counter()
        schedule_pulls()
        assert wait_until(lambda: pulled_since(ids, moment) == len(ids), 600), "pulls stalled"
        return len(ids) / (time.perf_counter() - began)
    finally:
        stop(workers)


@pytest.mark.scale
@pytest.mark.django_db(transaction=True)
def test_pull_throughput_grows_with_worker_processes(slow_youtube):
    app.conf.task_always_eager = False
    collaboration = CollaborationFactory()
    ids = [
        post.pk
        for post in PostFactory.create_batch(POSTS, collaboration=collaboration, next_pull_at=None)
    ]
    rates = {processes: pull_rate(processes, slow_youtube, ids) for processes in WORKERS}
    per_call = 50 / CALL_SECONDS
    print(
        f"\npulls of {POSTS:,} due YouTube posts in tasks of {task_size('youtube')}, "
        f"{CALL_SECONDS * 1000:.0f} ms a call of 50 ids (at most {per_call:.0f} posts/s a "
        "process), platform limit lifted:"
    )
    for processes, rate in rates.items():
        print(f"  {processes} worker process{'es' if processes > 1 else ''}: {rate:6.0f} posts/s")
    smallest, largest = min(rates), max(rates)
    grows = rates[largest] >= 1.5 * rates[smallest]
    print(
        f"  expected to grow with the processes: {largest} give "
        f"{rates[largest] / rates[smallest]:.1f}× {smallest} (budget ≥ 1.5×) "
        f"{'within budget' if grows else 'OVER BUDGET'}"
    )
    assert grows
