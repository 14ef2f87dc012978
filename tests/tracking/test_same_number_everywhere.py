"""The same number everywhere, as a property: for random campaigns (counters missing, costs and
orders in several currencies with one rate sometimes missing, refunds, cancelled orders,
deleted posts, creators not yet costed), the stored report's totals are those of the KPI cards,
the funnel, the sum of the creator rows, the tier and platform breakdowns, the last point of
the series, the XLSX, the PDF, the share link and `campaign_report --format json`, to the cent
and to the count.

Pages and files are read as a person's tools would: the page's exact figures from its data
attributes, the workbook's cells by their column headings, the PDF's text (with `pdftotext`)
within the precision it is printed with (grouping separators, 萬 and K compaction).

FIGURES_EXAMPLES=200 for a longer run; CI runs the same examples every time.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from typing import Any

import openpyxl
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from campaigns.models import KpiTarget
from kolhub.models import ExchangeRate, Role
from tests.factories import (
    BrandFactory,
    CampaignFactory,
    CollaborationFactory,
    MembershipFactory,
    PostFactory,
    SocialAccountFactory,
    TrackedLinkFactory,
    WorkspaceFactory,
)
from tracking.models import ClickDay, Conversion, MetricSnapshot, SharedReport
from tracking.results.dashboards import FIGURES
from tracking.results.figures import campaign_result_compute

EXAMPLES = int(os.environ.get("FIGURES_EXAMPLES", "12"))
SAME_NUMBERS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 12,  # CI: the same examples every run
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
    # Each example builds a campaign and renders every page and file: shrinking one that
    # failed would take minutes; the failing example is printed as it was drawn.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
MONEY = ("cost", "revenue")
COUNTS = ("impressions", "views", "reach", "engagements", "clicks", "conversions", "posts")
TOTALS = MONEY + COUNTS
KPI_METRICS = ("impressions", "views", "engagements", "clicks", "conversions", "revenue")
CENT = Decimal("0.01")

counter = st.none() | st.integers(0, 3_000_000)
amount = st.decimals(0, 150_000, places=2)
post = st.fixed_dictionaries(
    {
        "platform": st.sampled_from(["instagram", "youtube", "tiktok"]),
        "status": st.sampled_from(["live", "live", "deleted"]),
        "snapshots": st.integers(0, 3),
        "last_read_days_ago": st.integers(0, 3),
        **dict.fromkeys(("views", "reach", "impressions", "likes", "comments"), counter),
        **dict.fromkeys(("shares", "saves"), counter),
    }
)
order = st.fixed_dictionaries(
    {
        "amount": amount,
        "refunded": st.sampled_from(["0", "0.5", "1"]),
        "currency": st.sampled_from(["TWD", "USD", "JPY"]),
        "cancelled": st.booleans(),
    }
)
creator = st.fixed_dictionaries(
    {
        "tier": st.sampled_from(["nano", "micro", "mid", ""]),
        "stage": st.sampled_from(["contracted", "published", "cancelled", "negotiating"]),
        "currency": st.sampled_from(["TWD", "TWD", "USD", "JPY"]),
        "fee": st.none() | amount,
        "shipping_cost": amount,
        "avg_views": st.none() | st.integers(1, 500_000),
        "clicks": st.integers(0, 900),
        "posts": st.lists(post, max_size=3),
        "orders": st.lists(order, max_size=2),
    }
)
campaigns = st.fixed_dictionaries(
    {"creators": st.lists(creator, min_size=1, max_size=4), "yen_rate": st.booleans()}
)


def build(spec: dict) -> Any:
    """The campaign of `spec` in a workspace of its own, through the factories."""
    workspace = WorkspaceFactory()
    campaign = CampaignFactory(brand=BrandFactory(workspace=workspace), currency="TWD")
    ExchangeRate.objects.create(workspace=workspace, currency="USD", into="TWD", rate="31.5")
    if spec["yen_rate"]:  # the inverse rate is the one the table holds
        ExchangeRate.objects.create(workspace=workspace, currency="TWD", into="JPY", rate="4.6")
    for metric in KPI_METRICS:
        KpiTarget.objects.create(workspace=workspace, campaign=campaign, metric=metric, target=1)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for c in spec["creators"]:
        collab = CollaborationFactory(
            campaign=campaign,
            **{k: c[k] for k in ("stage", "tier", "currency", "fee", "shipping_cost")},
        )
        SocialAccountFactory(creator=collab.creator, avg_views=c["avg_views"])
        for p in c["posts"]:
            # A post's counters are its latest reading: a post never read has none.
            counters = {
                k: v if p["snapshots"] else None
                for k, v in p.items()
                if k not in ("platform", "status", "snapshots", "last_read_days_ago")
            }
            made = PostFactory(
                collaboration=collab, platform=p["platform"], status=p["status"], **counters
            )
            # A history that grows to the post's latest counters.
            MetricSnapshot.objects.bulk_create(
                MetricSnapshot(
                    workspace=workspace,
                    post=made,
                    captured_at=now - timedelta(days=p["last_read_days_ago"] + p["snapshots"] - n),
                    bucket=now - timedelta(days=p["last_read_days_ago"] + p["snapshots"] - n),
                    source="api",
                    **{
                        k: None if v is None else v * (n + 1) // p["snapshots"]
                        for k, v in counters.items()
                    },
                )
                for n in range(p["snapshots"])
            )
        link = TrackedLinkFactory(collaboration=collab)
        ClickDay.objects.create(workspace=workspace, link=link, day=now.date(), clicks=c["clicks"])
        for n, o in enumerate(c["orders"]):
            Conversion.objects.create(
                workspace=workspace,
                collaboration=collab,
                channel="manual",
                rule="promo",
                order_id=f"{collab.pk}-{n}",
                amount=o["amount"],
                refunded=(o["amount"] * Decimal(o["refunded"])).quantize(CENT),
                currency=o["currency"],
                cancelled=o["cancelled"],
                occurred_at=now,
            )
    return campaign


# Reading figures -----------------------------------------------------------------------------


def number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def totals(row: dict[str, Any]) -> dict[str, Decimal | None]:
    return {name: number(row.get(name)) for name in TOTALS if name in row}


def summed(rows: list[dict[str, Any]]) -> dict[str, Decimal | None]:
    """Rows added up: money unknown when one row's is (a missing rate), a counter unknown
    when no row reported it."""
    result: dict[str, Decimal | None] = {}
    for name in {key for row in rows for key in row}:
        values = [number(row.get(name)) for row in rows]
        known = [value for value in values if value is not None]
        if name in MONEY:
            result[name] = None if len(known) < len(values) else sum(known, Decimal(0))
        else:
            result[name] = sum(known, Decimal(0)) if known else None
    return result


def assert_same(where: str, expected: dict[str, Decimal | None], found: dict) -> None:
    for name, value in found.items():
        want = expected[name]
        if name in MONEY and want is not None and value is not None:
            want, value = Decimal(want).quantize(CENT), Decimal(value).quantize(CENT)
        assert value == want, f"{where}: {name} is {value}, the report says {want}"


def assert_series(where: str, expected: dict[str, Decimal | None], last: dict) -> None:
    """The series' last point against the totals: views, and engagements when the posts
    report them (a campaign without readings has no point at all)."""
    assert_same(where, expected, last)


CELL = re.compile(r'data-figure="([a-z_]+)"[^>]*?data-value="([^"]*)"')


def page_rows(html: str, attribute: str) -> list[dict[str, str]]:
    """The data-figure/data-value pairs of each table row carrying `attribute`."""
    rows = re.findall(rf"<tr {attribute}=[^>]*>(.*?)</tr>", html, flags=re.DOTALL)
    return [{n: v for n, v in CELL.findall(row) if n in TOTALS} for row in rows]


def page_cards(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'data-metric="([a-z_]+)">.*?data-value="([^"]*)"', html, flags=re.DOTALL)
    )


def sheet_rows(book, title: str) -> list[dict[str, Any]]:
    rows = list(book[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]] if rows else []


def by_label(row: dict[str, Any]) -> dict[str, Any]:
    """A workbook row's totals, its columns found by their headings."""
    headings = {str(FIGURES[name].label): name for name in TOTALS[:-1]} | {"Posts": "posts"}
    return {headings[key]: value for key, value in row.items() if key in headings}


SHOWN = re.compile(r"^(?:[A-Z]{3} )?(-?[\d,]+(?:\.(\d+))?)(萬|億|K|M|B)?%?$")
SCALE = {None: 1, "萬": 10_000, "億": 100_000_000, "K": 1_000, "M": 1_000_000, "B": 10**9}


def shown_number(text: str) -> tuple[Decimal, Decimal] | None:
    """A printed figure ("TWD 12,346", "1.2萬", "12.3K") as (value, half its last digit)."""
    found = SHOWN.match(text.strip())
    if found is None:
        return None
    digits, decimals, unit = found.groups()
    scale = Decimal(SCALE[unit])
    half = Decimal(5) / Decimal(10) ** (len(decimals or "") + 1) * scale
    return Decimal(digits.replace(",", "")) * scale, half


def pdf_figures(pdf: bytes) -> dict[str, str]:
    """The "Figures" table of the PDF: label → the value as printed."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Figures")
    found: dict[str, str] = {}
    for line in lines[start:]:
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) >= 2 and cells[0] not in found:
            found[cells[0]] = cells[1]
    return found


# The property ----------------------------------------------------------------------------------


@given(spec=campaigns)
@SAME_NUMBERS
def test_it_gives_the_same_totals_everywhere(db, spec):
    campaign = build(spec)
    workspace = campaign.workspace
    result = campaign_result_compute(campaign)
    report = result.report
    expected = totals(report)
    creators, tiers, platforms = report["creators"], report["tiers"], report["platforms"]

    # The stored rows add up to the campaign.
    assert_same("Σ creator rows", expected, summed([totals(r) for r in creators]))
    assert_same("Σ tiers", expected, summed([totals(r) for r in tiers]))
    assert_same("Σ platforms", expected, summed([totals(r) for r in platforms]))

    # The last point of the series: every post at its latest reading.
    series = {"views": None, "engagements": Decimal(0)}
    if result.series:
        series = {n: number(result.series[-1][n]) for n in ("views", "engagements")}
    assert_series("the stored series", expected, series)

    # The page, for a member and through a share link.
    member = Client()
    member.force_login(MembershipFactory(workspace=workspace, role=Role.OWNER).user)
    share = SharedReport.objects.create(
        workspace=workspace, campaign=campaign, expires_at=timezone.now() + timedelta(days=1)
    )
    member_pages = _fragments(member, "campaign_results_fragment", [workspace.slug, campaign.pk])
    shared_pages = _fragments(Client(), "shared_results_fragment", [share.token])
    assert figures_of(shared_pages) == figures_of(member_pages), "the share link differs"
    pages = member_pages
    cards = page_cards(pages["kpis"])
    assert_same("KPI cards", expected, {m: number(cards[m]) for m in KPI_METRICS})
    funnel = dict(CELL.findall(pages["funnel"]))
    assert_same("funnel", expected, {n: number(v) for n, v in funnel.items() if n in TOTALS})
    for fragment, attribute, rows in (
        ("creators", "data-collaboration", creators),
        ("tiers", "data-tier", tiers),
        ("platforms", "data-platform", platforms),
    ):
        shown = page_rows(pages[fragment], attribute)
        assert len(shown) >= len(rows) if fragment == "tiers" else len(shown) == len(rows)
        assert_same(f"Σ page {fragment}", summed([totals(r) for r in rows]), summed(shown))

    points = page_rows(pages["series"], "data-period")
    if points:
        assert_series("the page's series", expected, {n: number(v) for n, v in points[-1].items()})

    # The workbook, from both doors.
    files = {
        door: client.get(reverse(name, args=[*args, "xlsx"])).content
        for door, client, name, args in (
            ("member", member, "campaign_results_export", [workspace.slug, campaign.pk]),
            ("shared", Client(), "shared_results_export", [share.token]),
        )
    }
    for door, content in files.items():
        book = openpyxl.load_workbook(io.BytesIO(content))
        summary = {row["Figure"]: row["Value"] for row in sheet_rows(book, "Summary")}
        assert_same(
            f"XLSX summary ({door})",
            expected,
            {n: number(summary[str(FIGURES[n].label)]) for n in TOTALS[:-1]},
        )
        if points := sheet_rows(book, "Time series"):
            last = {n: number(points[-1][str(FIGURES[n].label)]) for n in ("views", "engagements")}
            assert_series(f"XLSX time series ({door})", expected, last)
        for sheet in ("Creators", "Tiers", "Platforms"):
            rows = [by_label(row) for row in sheet_rows(book, sheet)]
            assert_same(f"Σ XLSX {sheet} ({door})", expected, summed(rows))

    # The JSON of the command, computed afresh.
    out = io.StringIO()
    call_command("campaign_report", campaign.slug, "--workspace", workspace.slug, stdout=out)
    fresh = json.loads(out.getvalue())
    assert_same("campaign_report --format json", expected, totals(fresh))
    for key in ("creators", "tiers", "platforms"):
        assert [totals(r) for r in fresh[key]] == [totals(r) for r in report[key]], key

    # The PDF, within the precision it prints.
    if shutil.which("pdftotext"):
        pdf = member.get(
            reverse("campaign_results_export", args=[workspace.slug, campaign.pk, "pdf"])
        ).content
        printed = pdf_figures(pdf)
        for name in TOTALS[:-1]:
            text = printed[str(FIGURES[name].label)]
            exact = expected[name]
            if exact is None:
                assert text == "n/a", f"PDF {name}: {text}, the report says n/a"
                continue
            read = shown_number(text)
            assert read is not None, f"PDF {name}: cannot read {text!r}"
            value, half = read
            assert abs(value - exact) <= half, f"PDF {name}: {text}, the report says {exact}"


def figures_of(pages: dict[str, str]) -> dict[str, list]:
    """Every exact figure of the fragments, in order."""
    return {
        name: CELL.findall(html) + list(page_cards(html).items()) for name, html in pages.items()
    }


def _fragments(client: Client, name: str, args: list) -> dict[str, str]:
    pages = {}
    for fragment in ("kpis", "funnel", "creators", "tiers", "platforms", "series"):
        response = client.get(reverse(name, args=[*args, fragment]))
        assert response.status_code == 200, fragment
        pages[fragment] = response.text
    return pages
