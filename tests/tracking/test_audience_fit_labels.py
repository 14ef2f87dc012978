"""Audience fit reads labels through one vocabulary: a target typed in Chinese scores against
an audience a platform reported in English and codes (issue 16)."""

from __future__ import annotations

import pytest

from creators.services import AccountFigures, accounts_figures_record
from tests.campaigns import url
from tests.factories import AudienceProfileFactory, CampaignFactory
from tests.tracking.test_results import roster
from tracking.results import figures
from tracking.results.scoring.fit import audience_fit


@pytest.fixture
def campaign(brand):
    return CampaignFactory(brand=brand, currency="TWD")


@pytest.mark.parametrize(
    ("gender", "countries"),
    [
        ("女性: 70%\n男性: 30%", "台灣: 90%\n香港: 10%"),
        ("女性: 70% / 男性: 30%", "台灣: 90% / 香港: 10%"),  # on one line, as the issue writes it
    ],
)
def test_it_scores_a_target_typed_in_chinese_against_an_audience_in_codes(
    alice_client, workspace, campaign, gender, countries
):
    """The issue's example: 女性 70 / 男性 30 and 台灣 90 / 香港 10 against an audience that is
    60 % female and 85 % TW scored 34, gender and country at 0."""
    response = alice_client.post(
        url("campaign_audience", workspace, campaign.pk),
        {
            "gender": gender,
            "countries": countries,
            "age": "25至34歲: 60%\n35–44: 40%",
            "cities": "",
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    (collaboration,) = roster(campaign, 1)
    AudienceProfileFactory(
        account=collaboration.creator.accounts.get(),
        gender={"female": 0.6, "male": 0.4},
        countries={"TW": 0.85, "MY": 0.15},
        age={"18-24": 0.35, "25-34": 0.4, "35-44": 0.2, "45-54": 0.05},
    )
    report = figures.campaign_result_compute(campaign).report
    (row,) = report["creators"]
    # gender min(.6,.7) + min(.4,.3) = 90; countries .85 + 0 = 85; age .4 + .2 = 60.
    assert row["audience_fit_dimensions"] == {"gender": 90.0, "countries": 85.0, "age": 60.0}
    assert row["audience_fit"] == 78.3


def test_it_scores_targets_and_audiences_stored_with_old_spellings(campaign):
    """Rows written before the vocabulary (or by hand in the admin) score without waiting for
    the data migration."""
    campaign.target_audience = {
        "gender": {"女性": 0.7, "男性": 0.3},
        "countries": {"臺灣": 0.9, "香港": 0.1},
        "cities": {"臺北": 0.5, "Taichung": 0.5},
    }
    campaign.save()
    (collaboration,) = roster(campaign, 1)
    AudienceProfileFactory(
        account=collaboration.creator.accounts.get(),
        age={},
        gender={"F": 0.6, "M": 0.4},
        countries={"tw": 0.85, "Hong Kong": 0.1, "MY": 0.05},
        cities={"Taipei, Taiwan": 0.3, "台中市": 0.2, "高雄": 0.5},
    )
    report = figures.campaign_result_compute(campaign).report
    (row,) = report["creators"]
    # gender 90; countries .85 + .1 = 95; cities (.3 + .2) / 1 = 50.
    assert row["audience_fit_dimensions"] == {"gender": 90.0, "countries": 95.0, "cities": 50.0}


def test_it_stores_a_platforms_audience_under_the_vocabularys_keys(workspace, campaign):
    (collaboration,) = roster(campaign, 1)
    account = collaboration.creator.accounts.get()
    accounts_figures_record(
        workspace=workspace,
        figures={
            account.pk: AccountFigures(
                followers=1000,
                audience={
                    "gender": {"F": 0.6, "M": 0.38, "U": 0.02},
                    "countries": {"TW": 0.9, "HK": 0.1},
                    "cities": {"Taipei, Taiwan": 0.4, "New Taipei, Taiwan": 0.3},
                    "age": {"18-24": 0.5, "65+": 0.5},
                },
            )
        },
        audience_source="api",
    )
    profile = account.audience_profiles.get()
    assert profile.gender == {"female": 0.6, "male": 0.38, "other": 0.02}
    assert profile.cities == {"台北市": 0.4, "新北市": 0.3}


def test_a_partial_target_is_judged_on_the_part_it_names():
    """台北市 40 % alone asks for at least 40 % in Taipei: 45 % there meets it in full."""
    audience = {"cities": {"台北市": 0.45, "台中市": 0.2}}
    assert audience_fit(audience, {"cities": {"台北市": 0.4}})["overall"] == 100.0
    assert audience_fit(audience, {"cities": {"台北市": 0.9}})["overall"] == 50.0
    assert audience_fit(audience, {"cities": {"台北市": 0.0}})["overall"] is None
