"""Pages under load: the creator directory and a campaign's Results tab served by gunicorn
(2 sync workers, as the Procfile starts it, DEBUG off) to wrk's 20 connections, beside a bare
Django view answered by the same processes.

Budgets (issue 21): the directory ≥ 0.25× the bare view's requests per second, the Results
tab ≥ 0.5×; the Results tab's creators fragment is printed beside them. The workspace is an
agency's roster (10,000 creators, 15,000 accounts) and one campaign of 400 collaborations with
800 posts and their stored result, built small and local here (bench/agency.py builds the whole
agency). wrk runs on one core, gunicorn on the other (taskset), as in bench/test_clicks.py.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.scoring_data import posts_for, roster, snapshots_for
from bench.test_clicks import ROOT, gunicorn_serving, server_env, wrk
from bench.test_creators import _big_roster
from kolhub.models import Role
from tests.factories import BrandFactory, CampaignFactory, MembershipFactory, UserFactory
from tracking.results.figures import campaign_result_compute

SECONDS = int(os.environ.get("BENCH_SECONDS", 8))
ROUNDS = 2
CONNECTIONS = 20
TARGETS = {"directory": 0.25, "results": 0.5}
# The checkout gunicorn serves: this one, or another (an export of an older commit) to
# compare before and after on the same data.
SERVED = Path(os.environ.get("BENCH_SERVE_ROOT", str(ROOT)))

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("wrk") or not shutil.which("taskset"),
    reason="needs PostgreSQL shared with gunicorn (run with DATABASE_URL set), wrk and taskset",
)


@pytest.fixture
def agency(transactional_db):
    """A workspace with 10,000 creators and a campaign of 400 collaborations with a stored
    result; its owner signed in (the session cookie wrk sends)."""
    owner = UserFactory(language="en")
    brand = BrandFactory()
    workspace = brand.workspace
    MembershipFactory(workspace=workspace, user=owner, role=Role.OWNER)
    campaign = CampaignFactory(brand=brand, workspace=workspace)
    rng = random.Random(21)
    collaborations = roster(workspace, campaign, 400, rng)
    snapshots_for(workspace.pk, posts_for(collaborations, 2, rng), 10)
    _big_roster(workspace, creators=10_000, accounts=15_000)  # ends with VACUUM ANALYZE
    campaign_result_compute(campaign)
    client = Client()
    client.force_login(owner)
    return workspace, campaign, client.cookies["sessionid"].value


@pytest.fixture
def gunicorn(agency, tmp_path):
    env = server_env(str(tmp_path / "clicks")) | {
        "KOLHUB_VAR_DIR": str(tmp_path / "var"),
        # The session signed in here is checked against the secret key there.
        "SECRET_KEY": settings.SECRET_KEY,
    }
    # DEBUG off serves the hashed static names of the manifest: collect them first.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=SERVED, env=env, check=True,
    )  # fmt: skip
    with gunicorn_serving(env, SERVED, (tmp_path / "gunicorn.log").open("w")) as served:
        yield served


def workers_cpu(master: int) -> float:
    """CPU seconds the gunicorn master's workers have used (user + system), from /proc."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


def idle(master: int) -> None:
    """Wait until the workers have answered what wrk left queued (when wrk stops, slow pages
    still have requests waiting), so the next URL does not pay for them."""
    spent = workers_cpu(master)
    for _ in range(240):
        time.sleep(0.5)
        spent, before = workers_cpu(master), spent
        if spent - before < 0.02:
            return


def measure(base: str, master: int, url: str, cookie: list[str]) -> dict:
    """wrk's figures for one URL, and the CPU the workers spent per request meanwhile (the
    requests still queued when wrk stops included, with their CPU)."""
    idle(master)
    before = workers_cpu(master)
    run = wrk(base + url, SECONDS, connections=CONNECTIONS, headers=cookie)
    idle(master)
    # Those answered after wrk stopped are not in its count: at most one per connection.
    answered = run["requests"] + CONNECTIONS
    return run | {"cpu_ms": (workers_cpu(master) - before) * 1000 / answered}


@pytest.mark.scale
def test_directory_and_results_tab_under_load(agency, gunicorn, benchmark):
    """Each URL twice, interleaved, for SECONDS each; the medians. On a machine whose cores
    other processes share, requests per second follow the scheduler as much as the code, so
    the workers' CPU per request is printed beside them: the bare view's CPU per request over
    a page's is the share of the bare view's throughput that page reaches on a core of its
    own, and that is what the budget checks."""
    workspace, campaign, session = agency
    base, master = gunicorn
    slug = workspace.slug
    urls = {
        "bare": "/bench/bare",
        # The floor of every workspace page: the layout, its menus, the tenancy checks.
        "a plain page (notifications)": reverse("notification_list", args=[slug]),
        "directory": reverse("creator_list", args=[slug]),
        "results": reverse("campaign_results", args=[slug, campaign.pk]),
        "creators fragment": reverse(
            "campaign_results_fragment", args=[slug, campaign.pk, "creators"]
        ),
    }
    # The bare view gets the session cookie too, so it reads the session and the user (the
    # user's language) as every page does: the pages are measured by what they add.
    cookie = ["-H", f"Cookie: sessionid={session}"]
    for name, url in urls.items():
        if name == "bare":
            continue  # a redirect to a shop: not followed (nothing leaves the loopback)
        # Signed in: a page, not the login redirect (which wrk would count as an answer).
        request = urllib.request.Request(base + url, headers={"Cookie": cookie[1][8:]})  # noqa: S310
        with urllib.request.urlopen(request) as response:  # noqa: S310 (loopback)
            assert response.url == base + url and response.status == 200, name
    for url in urls.values():
        wrk(base + url, 2, connections=CONNECTIONS, headers=cookie)  # warm up both workers

    def rounds() -> list[dict[str, dict]]:
        return [
            {name: measure(base, master, url, cookie) for name, url in urls.items()}
            for _ in range(ROUNDS)
        ]

    runs = benchmark.pedantic(rounds, rounds=1, iterations=1)
    measured = {
        name: {
            key: statistics.median(run[name][key] for run in runs)
            for key in ("rps", "p50", "p99", "cpu_ms", "bad")
        }
        for name in urls
    }
    bare = measured["bare"]
    print(
        f"\n{SERVED} under wrk, {CONNECTIONS} connections, gunicorn 2 sync workers, "
        f"medians of {ROUNDS} rounds of {SECONDS} s:"
    )
    for name, run in measured.items():
        target = TARGETS.get(name)
        ratio = run["rps"] / bare["rps"]
        cpu_ratio = bare["cpu_ms"] / max(run["cpu_ms"], 0.001)
        verdict = ""
        if target is not None:
            verdict = f" (budget ≥ {target}×) " + (
                "within budget" if cpu_ratio >= target else "OVER BUDGET"
            )
        print(
            f"  {name}: {run['rps']:,.0f} req/s = {ratio:.2f}× the bare view's, "
            f"p50 {run['p50']:.0f} ms; workers' CPU {run['cpu_ms']:.2f} ms a request "
            f"= {cpu_ratio:.2f}× the bare view's throughput{verdict}"
        )
    assert all(run["bad"] == 0 for run in measured.values())
    for name, target in TARGETS.items():
        cpu_ratio = bare["cpu_ms"] / max(measured[name]["cpu_ms"], 0.001)
        assert cpu_ratio >= target, f"{name} under {target}× the bare view"
