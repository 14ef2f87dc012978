"""The PDF's tables as a client reads them: a number, a percentage, "n/a" (無法計算) and a handle
each stay on one line, in both languages, whatever the amounts and handles.

Read with `pdftotext -layout`, as test_same_number_everywhere does: a figure broken inside its
cell comes out as two fragments on two lines ("220,05" then "0", "-100.0" then "%").
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import translation

from campaigns.models import Collaboration
from creators.models import Creator, SocialAccount
from tests.campaigns import url
from tests.factories import CampaignFactory, PostFactory
from tracking.models import CampaignResult
from tracking.results import dashboards

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext")

# Handles as long as real ones, fees in the millions: the widest cells a creator table gets.
CREATORS = [
    ("backpacker.samantha.travels", "背包客 Samantha", "mega", Decimal("2200050.75")),
    ("realestate.helper.taichung", "房地產小幫手", "macro", Decimal("1207750")),
    ("dad.parenting.everyday", "爸爸育兒中", "mega", Decimal("987550.5")),
    ("taichung.foodie", "台中胖虎吃什麼", "macro", Decimal("87550")),
]


@pytest.fixture
def campaign(brand):
    campaign = CampaignFactory(brand=brand, name="露米精華 30 天挑戰")
    for handle, name, tier, fee in CREATORS:
        creator = Creator.objects.create(workspace=campaign.workspace, display_name=name)
        SocialAccount.objects.create(
            workspace=campaign.workspace,
            creator=creator,
            platform="instagram",
            handle=handle,
            followers=120_000,
        )
        collaboration = Collaboration.objects.create(
            workspace=campaign.workspace,
            campaign=campaign,
            creator=creator,
            stage="published",
            tier=tier,
            fee=fee,
            currency="TWD",
        )
        if handle == "taichung.foodie":  # one creator with figures, the others all n/a
            PostFactory(
                collaboration=collaboration,
                platform="instagram",
                views=132_020,
                likes=4_000,
                comments=366,
            )
    return campaign


def pdf_lines(client, workspace, campaign) -> list[str]:
    response = client.get(url("campaign_results_export", workspace, campaign.pk, "pdf"))
    assert response.status_code == 200
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    return text.splitlines()


def on_one_line(lines: list[str], printed: str) -> bool:
    whole = re.compile(rf"(^|\s){re.escape(printed)}(\s|$)")
    return any(whole.search(line) for line in lines)


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_it_prints_every_handle_amount_rate_and_na_of_a_wide_table_on_one_line(
    alice_client, alice, workspace, campaign, language
):
    alice.language = language
    alice.save()
    lines = pdf_lines(alice_client, workspace, campaign)
    report = CampaignResult.objects.get(campaign=campaign).report
    with translation.override(language):
        not_available = dashboards.format_figure(None, "count")
        split = [
            printed
            for row in report["creators"] + report["tiers"]
            for printed in [
                *([row["handle"]] if "handle" in row else []),
                dashboards.format_figure(row["cost"], "money"),
                dashboards.format_figure(row["roi"], "rate"),
                dashboards.format_figure(row["cpe"], "money"),
            ]
            if not on_one_line(lines, printed)
        ]
    assert split == [], f"split across lines: {split}"
    # n/a's head without its tail is an n/a broken in two.
    head = not_available[:-1]
    broken = [line for line in lines if line.count(head) != line.count(not_available)]
    assert broken == [], f"{not_available} split across lines: {broken}"
    # And no cell starts with the tail of a figure: a lone "%" or "×", or a lone digit group.
    tails = [line for line in lines if re.fullmatch(r"\s*(%|×|\d{1,2}|\.\d+)\s*", line)]
    assert tails == [], f"figure tails on lines of their own: {tails}"
