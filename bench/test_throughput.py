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
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.scoring_data import posts_for, roster, snapshots_for
from bench.test_clicks import ROOT, free_port, server_env, wrk
from bench.test_creators import _big_roster
from kolhub.models import Role
from tests.factories import BrandFactory, CampaignFactory, MembershipFactory, UserFactory
from tracking.results.figures import campaign_result_compute

SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
CONNECTIONS = 20
TARGETS = {"directory": 0.25, "results": 0.5}

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
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
    port = free_port()
    env = server_env(str(tmp_path / "clicks")) | {
        "KOLHUB_VAR_DIR": str(tmp_path / "var"),
        # The session signed in here is checked against the secret key there.
        "SECRET_KEY": settings.SECRET_KEY,
    }
    # DEBUG off serves the hashed static names of the manifest: collect them first.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    process = subprocess.Popen(
        ["taskset", "-c", "1", sys.executable, "-m", "gunicorn", "kolhub.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=(tmp_path / "gunicorn.log").open("w"),
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def test_directory_and_results_tab_under_load(agency, gunicorn, benchmark):
    workspace, campaign, session = agency
    slug = workspace.slug
    urls = {
        "bare": "/bench/bare",
        "directory": reverse("creator_list", args=[slug]),
        "results": reverse("campaign_results", args=[slug, campaign.pk]),
        "creators fragment": reverse(
            "campaign_results_fragment", args=[slug, campaign.pk, "creators"]
        ),
    }
    cookie = ["-H", f"Cookie: sessionid={session}"]
    for name, url in urls.items():
        if name == "bare":
            continue  # a redirect to a shop: not followed (nothing leaves the loopback)
        # Signed in: a page, not the login redirect (which wrk would count as an answer).
        request = urllib.request.Request(gunicorn + url, headers={"Cookie": cookie[1][8:]})  # noqa: S310 (loopback)
        with urllib.request.urlopen(request) as response:  # noqa: S310
            assert response.url == gunicorn + url and response.status == 200, name
    for url in urls.values():
        wrk(gunicorn + url, 2, connections=CONNECTIONS, headers=cookie)  # warm up both workers
    measured = benchmark.pedantic(
        lambda: {
            name: wrk(gunicorn + url, SECONDS, connections=CONNECTIONS, headers=cookie)
            for name, url in urls.items()
        },
        rounds=1,
        iterations=1,
    )
    bare = measured["bare"]["rps"]
    print(f"\nunder wrk, {CONNECTIONS} connections, gunicorn 2 sync workers, {SECONDS} s each:")
    for name, run in measured.items():
        target = TARGETS.get(name)
        ratio = run["rps"] / bare
        verdict = ""
        if target is not None:
            verdict = f" (budget ≥ {target}×) " + ("within budget" if ratio >= target else "OVER")
        print(
            f"  {name}: {run['rps']:,.0f} req/s = {ratio:.2f}× the bare view, "
            f"p50 {run['p50']:.1f} ms, p99 {run['p99']:.1f} ms{verdict}"
        )
    assert all(run["bad"] == 0 for run in measured.values())
    for name, target in TARGETS.items():
        assert measured[name]["rps"] / bare >= target, f"{name} under {target}× the bare view"
