"""Zero clicks lost: bursts of redirects through gunicorn while Redis restarts and the drain
worker is killed; afterwards every redirect's click id is in the database exactly once.

Real processes throughout: gunicorn serving the app, Celery workers draining the click logs
through Redis, this machine's Redis server shut down and started again.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection

from kolhub.celery import app
from tests.factories import TrackedLinkFactory
from tracking.models import Click
from tracking.sales.clicks import clicks_drain_unscoped
from tracking.tasks import drain_clicks

ROOT = Path(__file__).resolve().parents[2]
# How this machine's Redis was started (no persistence: a restart empties it).
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
    "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip

pytestmark = pytest.mark.skipif(
    urlsplit(settings.REDIS_URL).netloc != "127.0.0.1:6379" or connection.vendor != "postgresql",
    reason="restarts the machine's Redis at 127.0.0.1:6379; needs Postgres shared by processes",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(click_dir: Path) -> dict[str, str]:
    db = connection.settings_dict
    login = f"{db['USER']}:{db['PASSWORD']}" if db.get("PASSWORD") else db["USER"]
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{login}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CLICK_LOG_DIR": str(click_dir),
        "DJANGO_ALLOW_ASYNC_UNSAFE": "",
    }


def spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)


def redis_up() -> bool:
    return subprocess.run(["redis-cli", "ping"], capture_output=True, text=True).stdout == "PONG\n"


def restart_redis() -> None:
    subprocess.run(["redis-cli", "shutdown", "nosave"], capture_output=True)
    time.sleep(1.0)
    subprocess.run(REDIS_START, check=True, capture_output=True)
    for _ in range(50):
        if redis_up():
            return
        time.sleep(0.1)


def burst(port: int, code: str, requests: int, connections: int = 4) -> list[str]:
    """Fire requests over keep-alive connections; every one must answer 302. Click ids back."""
    ids: list[str] = []
    lock = threading.Lock()

    def client(count: int) -> None:
        # Generous: the test is about clicks kept, not latency (a loaded machine is slow).
        http = HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(count):
            http.request("GET", f"/r/{code}", headers={"User-Agent": "Mozilla/5.0 burst"})
            response = http.getresponse()
            response.read()
            assert response.status == 302, response.status
            click = parse_qs(urlsplit(response.getheader("Location")).query)["kh_click"][0]
            with lock:
                ids.append(click)
        http.close()

    threads = [
        threading.Thread(target=client, args=(requests // connections,)) for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return ids


@pytest.mark.django_db(transaction=True)
def test_no_click_is_lost_through_redis_restarts_and_a_killed_drain_worker(tmp_path):
    app.conf.task_always_eager = False
    link = TrackedLinkFactory(code=secrets.token_urlsafe(8))  # never a code cached earlier
    env = environment(Path(settings.CLICK_LOG_DIR))  # the same folder as this process
    port = free_port()
    web = spawn(
        [sys.executable, "-m", "gunicorn", "kolhub.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2"], env,
    )  # fmt: skip
    worker_args = [sys.executable, "-m", "celery", "-A", "kolhub", "worker", "--pool", "solo",
                   "--without-gossip", "--without-mingle", "--loglevel", "WARNING"]  # fmt: skip
    worker = spawn(worker_args, env)
    stop = threading.Event()

    def keep_draining() -> None:  # what beat does every few seconds, more often here
        while not stop.is_set():
            # Redis restarting: beat would simply try again at its next tick.
            with contextlib.suppress(Exception):
                drain_clicks.delay()
            time.sleep(0.3)

    drainer = threading.Thread(target=keep_draining, daemon=True)
    ids: list[str] = []
    try:
        for _ in range(100):
            try:
                HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        drainer.start()
        ids += burst(port, link.code, 800)
        restarting = threading.Thread(target=restart_redis)
        restarting.start()
        ids += burst(port, link.code, 2000)  # while Redis is down and coming back
        restarting.join()
        assert redis_up()
        ids += burst(port, link.code, 800)
        kill(worker, signal.SIGKILL)  # the drain worker dies, perhaps mid-transaction
        ids += burst(port, link.code, 1200)
        worker = spawn(worker_args, env)
        ids += burst(port, link.code, 800)
        time.sleep(2)
    finally:
        stop.set()
        if not redis_up():
            restart_redis()
        if drainer.is_alive():
            drainer.join(timeout=60)  # no task may be sent once this test has ended
        kill(web)
        kill(worker, signal.SIGKILL)
    assert Click.objects.filter(link=link).exists(), "the drain workers stored nothing"
    clicks_drain_unscoped()  # whatever the workers had not stored yet
    stored = list(Click.objects.filter(link=link).values_list("click_id", flat=True))
    assert len(ids) == len(set(ids)) == 5600
    assert len(stored) == len(set(stored)), "a click was stored twice"
    assert set(stored) == set(ids), f"{len(set(ids) - set(stored))} clicks lost"
