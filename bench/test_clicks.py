"""/r/<code> under gunicorn against a bare Django 302 from the same gunicorn, side by side.

Budgets (issue 5): ≥ 50 % of the bare view's requests per second; p99 ≤ 5 × p50 at half of
that rate; 0 clicks lost over 100,000 requests. wrk runs on one core, gunicorn on the other
(taskset), so the load generator does not steal the server's CPU.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import TrackedLinkFactory
from tracking.models import Click
from tracking.sales import clicks

ROOT = Path(__file__).resolve().parents[1]
SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
CONNECTIONS = 16
PACED_CONNECTIONS = 4
LOSS_REQUESTS = int(os.environ.get("BENCH_CLICKS", 100_000))
PACED = """
local interval = {interval}
function delay() return interval end
"""

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("wrk") or not shutil.which("taskset"),
    reason="needs PostgreSQL shared with gunicorn, wrk and taskset",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(click_dir: str) -> dict[str, str]:
    db = connection.settings_dict
    login = f"{db['USER']}:{db['PASSWORD']}" if db.get("PASSWORD") else db["USER"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"postgres://{login}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CLICK_LOG_DIR": click_dir,
        # Production mode, as deployed (plain HTTP on loopback).
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "TOKEN_ENCRYPTION_KEYS": "M2Fq1B6bC9v0vY0m3G6oQ4c8h5TjJ8mYw2yq8g3n0aA=",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }


def wrk(
    url: str,
    seconds: int,
    *,
    script: Path | None = None,
    connections=CONNECTIONS,
    headers: list[str] | tuple[str, ...] = (),
) -> dict:
    args = ["taskset", "-c", "0", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    args += headers
    if script is not None:
        args += ["-s", str(script)]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
        "bad": int(errors[1]) if errors else 0,
        "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", out)[1]),
        "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", out)[1]),
    }


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


@contextmanager
def gunicorn_serving(env: dict[str, str], cwd: Path = ROOT, stderr=subprocess.DEVNULL):
    """gunicorn as the Procfile starts it (2 sync workers), on core 1, serving `cwd`'s app on
    a free loopback port: yields its address and the master's pid; stopped after."""
    port = free_port()
    process = subprocess.Popen(
        ["taskset", "-c", "1", sys.executable, "-m", "gunicorn", "kolhub.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=cwd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=stderr,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture
def server(transactional_db, tmp_path):
    link = TrackedLinkFactory(code=secrets.token_urlsafe(8))  # never a code cached earlier
    click_dir = str(tmp_path / "clicks")
    with gunicorn_serving(server_env(click_dir)) as (base, _pid):
        yield base, link, click_dir


def test_redirect_throughput_latency_and_no_lost_click(server, benchmark, tmp_path, settings):
    base, link, click_dir = server
    bare, tracked, inserting = (
        f"{base}/bench/bare",
        f"{base}/r/{link.code}",
        f"{base}/bench/insert/{link.code}",
    )
    for url in (bare, tracked, inserting):
        wrk(url, 3)  # warm up: imports, connections, the link in each process's table
    side_by_side = {name: wrk(url, SECONDS) for name, url in
                    (("bare", bare), ("tracked", tracked), ("insert", inserting))}  # fmt: skip
    ratio = side_by_side["tracked"]["rps"] / side_by_side["bare"]["rps"]
    half = side_by_side["tracked"]["rps"] / 2
    pacing = tmp_path / "paced.lua"
    # Few connections, each pausing between requests: an even rate, not bursts that queue.
    pacing.write_text(PACED.format(interval=max(int(PACED_CONNECTIONS * 1000 / half), 1)))
    paced = benchmark.pedantic(
        lambda: wrk(tracked, SECONDS, script=pacing, connections=PACED_CONNECTIONS),
        rounds=1,
        iterations=1,
    )

    settings.CLICK_LOG_DIR = click_dir
    clicks.clicks_drain_unscoped()
    before = Click.objects.filter(link=link).count()
    duration = int(LOSS_REQUESTS * 1.3 / side_by_side["tracked"]["rps"]) + 2
    run = wrk(tracked, duration)
    time.sleep(1)
    clicks.clicks_drain_unscoped()
    stored = Click.objects.filter(link=link).count() - before

    print(
        f"\n/r/<code> under gunicorn (2 workers on one core, wrk on the other), {SECONDS} s each:"
    )
    for name, label in (("bare", "bare Django 302"), ("tracked", "/r/<code> (click log)"),
                        ("insert", "/r/<code> with an INSERT per click")):  # fmt: skip
        r = side_by_side[name]
        print(f"  {label}: {r['rps']:,.0f} req/s, p50 {r['p50']:.2f} ms, p99 {r['p99']:.2f} ms")
    print(f"  /r/<code> = {ratio:.0%} of the bare 302 (budget ≥ 50 %)")
    print(
        f"  at half that rate ({paced['rps']:,.0f} req/s): p50 {paced['p50']:.2f} ms, "
        f"p99 {paced['p99']:.2f} ms = {paced['p99'] / paced['p50']:.1f}× p50 (budget ≤ 5×)"
    )
    print(
        f"  {run['requests']:,} redirects answered, {stored:,} clicks stored after the drain "
        f"(at most {CONNECTIONS} more: requests still in flight when wrk stopped) (budget: 0 lost)"
    )
    assert all(r["bad"] == 0 for r in (*side_by_side.values(), paced, run))
    assert ratio >= 0.5
    assert paced["p99"] <= 5 * paced["p50"]
    assert run["requests"] >= LOSS_REQUESTS
    assert run["requests"] <= stored <= run["requests"] + CONNECTIONS
