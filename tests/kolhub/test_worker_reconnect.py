"""A worker lives through a restart of Redis: it reconnects, finishes the task it was running
when the server went away (its acknowledgement reaches the restarted server, so it does not
come back after the visibility timeout) and goes on with the tasks sent afterwards.

Real processes: a redis-server this test starts on a free port (append-only file in a
temporary folder, as docker-compose.yml runs it), and a Celery worker of the kolhub app
started as production starts it (two processes, no gossip, no mingle).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from celery import Celery
from kombu import Connection

from kolhub import broker
from tests.kolhub.reconnect_tasks import GATE, RUNS

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "kolhub-reconnect-test"  # the worker consumes this queue only: no heartbeat, no DB
TASK = "tests.kolhub.reconnect_tasks.gated"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition: Callable[[], bool], seconds: float, check: Callable[[], None]) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        check()
        if condition():
            return True
        time.sleep(0.05)
    return False


class RedisServer:
    """A redis-server of this test's own, stopped and started again on the same port and data."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.args = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
                     "--dir", str(folder), "--appendonly", "yes", "--save", ""]  # fmt: skip
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.args, stdout=subprocess.DEVNULL)
        assert wait_for(self.pings, 10, lambda: None), "redis-server did not start"

    def pings(self) -> bool:
        try:
            with redis.Redis(port=self.port, socket_connect_timeout=1) as client:
                return bool(client.ping())
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: a clean shutdown that syncs the AOF
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server on PATH, to start and restart a Redis of its own")
    (tmp_path / "redis").mkdir()
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(
    request: pytest.FixtureRequest, redis_server: RedisServer, tmp_path: Path
) -> Iterator[subprocess.Popen]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"REDIS_URL": redis_server.url, "KOLHUB_VAR_DIR": str(tmp_path / "var")}
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kolhub", "worker",
         "--include", "tests.kolhub.reconnect_tasks", "--queues", QUEUE,
         "--pool", request.param, "--concurrency", "2", "--without-gossip", "--without-mingle",
         "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    yield process
    if process.poll() is None:
        # At once: everything it ran is checked by now, and its Redis and folders die with it.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    log.close()


def send(url: str, folder: Path, label: str) -> None:
    # An app of its own: the session's app may be eager or on another broker.
    with Connection(url) as connection:
        Celery(set_as_current=False).send_task(
            TASK, args=[str(folder), label], queue=QUEUE, connection=connection
        )


# Production's pool (docker-compose.yml) and `make run`'s; with the solo pool the task blocks
# the worker, which notices the lost connection only once the task is done.
@pytest.mark.parametrize("worker", ["prefork", "threads"], indirect=True)
def test_it_finishes_its_task_and_takes_new_ones_after_redis_restarts(
    redis_server: RedisServer, worker: subprocess.Popen, tmp_path: Path
):
    folder = tmp_path / "runs"
    folder.mkdir()
    server = redis.Redis(port=redis_server.port)
    log = tmp_path / "worker.log"

    def lines() -> list[str]:
        runs = folder / RUNS
        return runs.read_text().splitlines() if runs.exists() else []

    def alive() -> None:
        assert worker.poll() is None, "the worker exited:\n" + log.read_text()[-3000:]

    def all_done(*labels: str) -> Callable[[], bool]:
        # Finished at least once (acks_late: the worker gives a task in hand back to Redis if
        # Redis is up again before it notices the loss), and acknowledged on the restarted
        # server: nothing comes back after the visibility timeout.
        return lambda: (
            {f"finished {label}" for label in labels} <= set(lines())
            and server.hlen("unacked") == 0
            and server.llen(QUEUE) == 0
        )

    send(redis_server.url, folder, "in-flight")
    assert wait_for(lambda: "started in-flight" in lines(), 60, alive), log.read_text()[-3000:]
    # The task runs in a pool process, its message unacknowledged, and the worker waits on
    # Redis for the next one (a BRPOP in flight) when the server goes away.
    redis_server.restart()
    send(redis_server.url, folder, "sent-after")
    (folder / GATE).touch()
    finished = wait_for(all_done("in-flight", "sent-after"), 30, alive)
    assert finished, f"runs: {lines()}, unacked: {server.hkeys('unacked')}\n" + log.read_text()

    # Between tasks: nothing in hand.
    redis_server.restart()
    send(redis_server.url, folder, "idle")
    assert wait_for(all_done("idle"), 30, alive), f"runs: {lines()}\n" + log.read_text()
    alive()


def test_a_channel_whose_connection_was_dropped_fails_as_a_lost_connection(
    redis_server: RedisServer,
):
    # What a late acknowledgement meets once the worker has dropped a lost connection: a
    # connection error, which Celery logs, never an AttributeError, which ends the worker.
    connection = Connection(redis_server.url)
    channel = connection.default_channel
    connection.collect()  # what the worker does with a connection it lost
    with pytest.raises(redis.ConnectionError):
        channel.qos.ack("a-delivery-tag")


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://127.0.0.1:6380/0"])
def test_broker_urls_use_the_transport_whose_channels_finish_closing(url):
    connection = Connection(url)  # not connected: only the transport is resolved
    assert connection.get_transport_cls() is broker.Transport
    assert connection.transport.Channel is broker.Channel
