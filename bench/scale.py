"""`make bench-scale`: every page and fragment a user reaches from the navigation, timed on a
busy agency's workspace (bench/agency.py) beside the small demo workspace.

Pages are found by walking the demo workspace from its home page as its owner would: every
link and every hx-get inside /w/<workspace>/, a few levels deep, one URL per URL name and set
of query keys. Each is then asked for in both workspaces (each id swapped for its twin in the
agency, which began as a copy of the demo: see bench/agency.py), 20 times, single client, the
way production serves it (DEBUG off, cached templates, Redis cache). Printed per page: median
and p95 beside 200/400 ms, the HTML size beside 150 KB, and the query count beside the demo's,
which it must equal.

Runs against its own PostgreSQL database (SCALE_DATABASE_URL, default kolhub_scale), created,
migrated and filled on the first run and reused afterwards.
"""

from __future__ import annotations

import logging
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

DATABASE_URL = os.environ.get(
    "SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kolhub_scale"
)
PRODUCTION_LIKE = {
    "DJANGO_SETTINGS_MODULE": "kolhub.settings",
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "0",
    "SECRET_KEY": "bench-scale-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "TOKEN_ENCRYPTION_KEYS": "8a0wJ3oQnGc7Zl4sYvF1xB2kR6tU9mP0dE5hW3qL7yA=",
    "ALLOWED_HOSTS": "testserver",
    "REDIS_URL": os.environ.get("SCALE_REDIS_URL", "redis://127.0.0.1:6379/8"),
    "CACHE_KEY_PREFIX": "bench-scale",
}

REQUESTS = 20
MEDIAN_BUDGET, P95_BUDGET, SIZE_BUDGET = 0.200, 0.400, 150 * 1024
SLOW = 1.0
MAX_DEPTH = 6
# Pages whose query count differs from the demo's on purpose, not because it grows with rows.
BY_DESIGN = {
    "creator_list": "+1 above 10,000 rows: the planner's estimate instead of a count",
    "creator_export": "a big directory's file is built by the worker, the demo's at once",
    "campaign_results_export": "a big campaign's file is built by the worker, the demo's at once",
}
# Never followed: they change state or leave the signed-in app.
SKIP = re.compile(r"/logout|/delete|/revoke|/export/bank|/signing/")
LINK = re.compile(r'(?:href|hx-get)="(/w/[^"#]+)"')


def database_ensure() -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Measured:
    median: float
    p95: float
    size: int
    queries: int
    status: int
    html: bool


def measure(client, url: str, count: int = REQUESTS) -> Measured:
    from django.db import connection

    response = get(client, url)  # warms the caches a second visitor would find
    queries: list[str] = []
    # Not CaptureQueriesContext: the request_started signal empties the log it reads.
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        response = get(client, url)
    times: list[float] = []
    while len(times) < count:
        started = time.perf_counter()
        get(client, url)
        times.append(time.perf_counter() - started)
        if len(times) == 3 and min(times) > SLOW:
            break  # far over budget already: 20 more would only make the run longer
    return Measured(
        median=statistics.median(times),
        p95=statistics.quantiles(times, n=20)[18] if len(times) >= REQUESTS else max(times),
        size=len(body(response)),
        queries=len(queries),
        status=response.status_code,
        html="html" in response.get("Content-Type", ""),
    )


def get(client, url: str):
    htmx = url.endswith("#htmx")
    path = url.removesuffix("#htmx")
    response = client.get(path, secure=True, headers={"HX-Request": "true"} if htmx else {})
    body(response)  # a streamed file is built while it is read
    return response


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        response._cached = b"".join(response.streaming_content)
        response.streaming = False
    return getattr(response, "_cached", None) or response.content


def discover(client, home: str) -> dict[str, str]:
    """One URL per page or fragment kind reachable from `home`, keyed by what it is."""
    from django.urls import Resolver404, resolve

    found: dict[str, str] = {}
    frontier = [home]
    for _depth in range(MAX_DEPTH):
        following = []
        for url in frontier:
            response = get(client, url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for match in LINK.finditer(body(response).decode()):
                link, htmx = unescape(match.group(1)), "hx-get" in match.group(0)
                if SKIP.search(link):
                    continue
                parts = urlsplit(link)
                try:
                    match = resolve(parts.path)
                except Resolver404:
                    continue
                # Words in the path name different pages (results/<fragment>/, export.<format>).
                words = [
                    str(value)
                    for key, value in match.kwargs.items()
                    if key != "workspace_slug" and not str(value).isdigit()
                ]
                keys = sorted({key for key, _value in parse_qsl(parts.query)} - {"page"})
                kind = " ".join(
                    [match.url_name or "", *words, *(["?" + "&".join(keys)] if keys else [])]
                ) + (" (htmx)" if htmx else "")
                address = link + ("#htmx" if htmx else "")
                if kind not in found:
                    found[kind] = address
                    following.append(address)
                elif ids(address) < ids(found[kind]):
                    # The demo's first rows have the biggest twins (bench/agency.py): their
                    # pages are the ones measured, and the ones whose links are followed.
                    found[kind] = address
                    following.append(address)
        frontier = following
    return found


def ids(url: str) -> list[int]:
    return [int(number) for number in re.findall(r"/(\d+)/", url)]


def agency_url(url: str, swap: Callable[[str, str], str | None]) -> str | None:
    """The demo URL with the agency's slug and the agency's rows in place of the demo's."""
    from django.urls import resolve, reverse

    htmx = url.endswith("#htmx")
    parts = urlsplit(url.removesuffix("#htmx"))
    match = resolve(parts.path)
    kwargs = {}
    for key, value in match.kwargs.items():
        kwargs[key] = swap(key, str(value))
        if kwargs[key] is None:
            return None
    query = [(key, swap(key, value) or value) for key, value in parse_qsl(parts.query)]
    path = reverse(match.view_name, kwargs=kwargs)
    return path + (f"?{urlencode(query)}" if query else "") + ("#htmx" if htmx else "")


# The models behind the ids in URLs and query strings.
ID_MODELS = {
    "campaign_id": "campaigns.Campaign",
    "campaign": "campaigns.Campaign",
    "collaboration_id": "campaigns.Collaboration",
    "deliverable_id": "campaigns.Deliverable",
    "draft_id": "campaigns.Draft",
    "media_id": "campaigns.DraftMedia",
    "asset_id": "campaigns.BriefAsset",
    "shipment_id": "campaigns.Shipment",
    "installment_id": "campaigns.Installment",
    "template_id": "campaigns.ContractTemplate",
    "creator_id": "creators.Creator",
    "creator": "creators.Creator",
    "account_id": "creators.SocialAccount",
    "shortlist_id": "creators.Shortlist",
    "import_id": "creators.CreatorImport",
    "brand_id": "kolhub.Brand",
    "brand": "kolhub.Brand",
    "membership_id": "kolhub.Membership",
    "endpoint_id": "kolhub.OutgoingWebhookEndpoint",
    "post_id": "tracking.Post",
    "link_id": "tracking.TrackedLink",
    "connection_id": "tracking.PlatformConnection",
    "feed_id": "tracking.SalesFeed",
    "share_id": "tracking.SharedReport",
}


def twins(demo, agency) -> Callable[[str, str], str | None]:
    """A demo id's twin in the agency workspace: the row at the same place in creation order
    (bench/agency.py copies the demo first, with the demo's own seeders)."""
    from django.apps import apps

    ranks: dict[str, tuple[list[int], list[int]]] = {}

    def pks(model, workspace) -> list[int]:
        return list(
            model.objects.filter(workspace=workspace).order_by("pk").values_list("pk", flat=True)
        )

    def swap(key: str, value: str) -> str | None:
        if key == "workspace_slug":
            return agency.slug
        if key not in ID_MODELS or not value.isdigit():
            return None if key.endswith("_id") else value
        if key not in ranks:
            model = apps.get_model(ID_MODELS[key])
            ranks[key] = (pks(model, demo), pks(model, agency))
        demo_pks, agency_pks = ranks[key]
        place = demo_pks.index(int(value)) if int(value) in demo_pks else len(agency_pks)
        return str(agency_pks[place]) if place < len(agency_pks) else None

    return swap


def main() -> int:
    for key, value in PRODUCTION_LIKE.items():
        os.environ.setdefault(key, value)
    database_ensure()
    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench.agency import agency as agency_workspace
    from kolhub.management.commands.seed_demo import DEMO_SLUG, DEMO_USERS
    from kolhub.models import User, Workspace

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum keeps them on a live database: a table a migration
        # just filled would otherwise be planned as empty.
        cursor.execute("ANALYZE")
    if not Workspace.objects.filter(slug=DEMO_SLUG).exists():
        call_command("seed_demo", verbosity=0)
    started = time.perf_counter()
    agency = agency_workspace()
    print(f"agency workspace ready in {time.perf_counter() - started:.0f} s")
    demo_client, agency_client = Client(), Client()
    demo_client.force_login(User.objects.get(email=DEMO_USERS[0][0]))
    agency_client.force_login(agency.owner)
    demo_home = f"/w/{DEMO_SLUG}/"
    pages = discover(demo_client, demo_home)
    swap = twins(Workspace.objects.get(slug=DEMO_SLUG), agency.workspace)

    failures = 0
    print(
        f"\n{len(pages)} pages and fragments, {REQUESTS} requests each, single client"
        f"\n{'page':<58} {'median':>8} {'p95':>8} {'KB':>6} {'queries':>12}  verdict"
    )
    for kind, demo_url in sorted(pages.items()):
        name = kind.split()[0]
        url = agency_url(demo_url, swap)
        if url is None:
            print(f"{kind:<58} skipped: no agency row for it")
            continue
        demo = measure(demo_client, demo_url, count=3)
        big = measure(agency_client, url)
        problems = [
            *(["median"] if big.median > MEDIAN_BUDGET else []),
            *(["p95"] if big.p95 > P95_BUDGET else []),
            *(["size"] if big.html and big.size > SIZE_BUDGET else []),
            *(["queries"] if big.queries != demo.queries and name not in BY_DESIGN else []),
            *([f"HTTP {big.status}"] if big.status >= 400 else []),
        ]
        failures += bool(problems)
        print(
            f"{kind[:58]:<58} {big.median * 1000:6.0f}ms {big.p95 * 1000:6.0f}ms "
            f"{big.size / 1024:6.0f} {big.queries:>5} (demo {demo.queries:>2})  "
            f"{'OVER: ' + ', '.join(problems) if problems else 'ok'}"
            + (f" ({BY_DESIGN[name]})" if name in BY_DESIGN and big.queries != demo.queries else "")
        )
    print(
        f"\nbudgets: median ≤ {MEDIAN_BUDGET * 1000:.0f} ms, p95 ≤ {P95_BUDGET * 1000:.0f} ms, "
        f"≤ {SIZE_BUDGET // 1024} KB of HTML, queries equal to the demo's: "
        f"{len(pages) - failures} of {len(pages)} within budget"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
