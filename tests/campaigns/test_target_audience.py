"""The campaign's target audience form: labels read through one vocabulary, unknown ones named,
a preview of how each was read (issue 16)."""

from __future__ import annotations

import pytest

from tests.campaigns import url
from tests.factories import CampaignFactory


@pytest.fixture
def campaign(brand):
    return CampaignFactory(brand=brand, name="Summer cold brew")


def post(client, workspace, campaign, headers=None, **fields):
    data = {"age": "", "gender": "", "countries": "", "cities": ""} | fields
    return client.post(url("campaign_audience", workspace, campaign.pk), data, headers=headers)


def test_it_accepts_its_own_help_text_examples(alice_client, workspace, campaign):
    """They were refused as “the shares add up to 70%”: a list may name part of the audience."""
    response = post(
        alice_client,
        workspace,
        campaign,
        age="25-34: 60%",
        gender="female: 80%",
        countries="TW: 90%",
        cities="台北市: 40%",
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.target_audience == {
        "age": {"25-34": 0.6},
        "gender": {"female": 0.8},
        "countries": {"TW": 0.9},
        "cities": {"台北市": 0.4},
    }


def test_it_stores_labels_typed_in_chinese_under_the_vocabularys_keys(
    alice_client, workspace, campaign
):
    response = post(
        alice_client,
        workspace,
        campaign,
        age="18至24歲: 30%\n25–34: 50%\n65歲以上: 20%",
        gender="女性: 70%\n男性: 30%",
        countries="台灣: 90%\n香港: 10%",
        cities="臺北: 40%\nTaichung City: 30%\n東京: 10%\nKobe, Japan: 5%",
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.target_audience == {
        "age": {"18-24": 0.3, "25-34": 0.5, "65+": 0.2},
        "gender": {"female": 0.7, "male": 0.3},
        "countries": {"TW": 0.9, "HK": 0.1},
        "cities": {"台北市": 0.4, "台中市": 0.3, "Tokyo": 0.1, "Kobe, Japan": 0.05},
    }
    page = alice_client.get(url("campaign_detail", workspace, campaign.pk))
    assert "Taiwan (TW) 90%" in page.text and "Taichung City 30%" in page.text


@pytest.mark.parametrize(
    ("field", "text", "named"),
    [
        ("gender", "女: 60%\nx: 40%", "Not a gender KOLHub knows: “x”"),
        ("age", "20-29: 50%\n18-24: 20%", "Not an age bucket platforms report: “20-29”"),
        (
            "countries",
            "Taiwn: 80%\nXX: 10%\n日本: 10%",
            "Not a country or region KOLHub knows: “Taiwn”, “XX”",
        ),
        ("cities", "台灣: 50%\n台北: 20%", "“台灣”: a country, not a city"),
        ("cities", "台北: 20%\n臺北市: 20%", "“台北”, “臺北市” are one bucket (Taipei City)"),
        ("gender", "female: 80%\nmale: 50%", "add up to 130%"),
    ],
)
def test_it_names_the_labels_it_cannot_read(alice_client, workspace, campaign, field, text, named):
    response = post(alice_client, workspace, campaign, **{field: text})
    assert response.status_code == 422
    assert named in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.target_audience == {}


def test_it_previews_how_each_label_was_read_without_saving(alice_client, workspace, campaign):
    response = post(
        alice_client,
        workspace,
        campaign,
        preview="1",
        countries="台灣: 90%\nTaiwn: 10%",
        cities="Tokio: 20%\nKobe, Japan: 5%",
    )
    assert response.status_code == 422  # Taiwn is unknown: the errors and the preview show
    text = response.content.decode()
    assert 'id="audience-preview"' in text and "<form" in text
    assert (
        '台灣</span> <span aria-hidden="true">→</span>\n            <strong>Taiwan (TW)</strong>'
        in text
    )
    assert "label-preview__line--unknown" in text and "not recognised" in text
    assert "Kobe, Japan</strong>" in text and "kept as typed" in text
    assert "Not a city KOLHub knows: “Tokio”" in text
    campaign.refresh_from_db()
    assert campaign.target_audience == {}


def test_it_answers_a_typed_preview_with_the_preview_alone(alice_client, workspace, campaign):
    response = post(
        alice_client,
        workspace,
        campaign,
        headers={"HX-Request": "true"},
        preview="1",
        gender="女: 70%\n男: 30%",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith('<section class="label-preview" id="audience-preview"')
    assert "<form" not in text
    assert "<strong>Female</strong>" in text and "70%" in text
    assert "100% of the audience stated" in text


def test_it_previews_the_saved_target_in_the_readers_language(
    alice, alice_client, workspace, campaign
):
    campaign.target_audience = {"countries": {"TW": 0.9, "HK": 0.1}, "cities": {"台北市": 0.4}}
    campaign.save()
    alice.language = "zh-hant"
    alice.save()
    text = alice_client.get(url("campaign_audience", workspace, campaign.pk)).content.decode()
    assert "<strong>台灣 (TW)</strong>" in text and "<strong>香港 (HK)</strong>" in text
    assert "<strong>台北市</strong>" in text
    assert "TW: 90%" in text  # the form itself shows the stored keys


def test_it_keeps_the_preview_to_managers(bob_client, workspace, campaign):
    response = post(bob_client, workspace, campaign, preview="1", gender="女: 70%")
    assert response.status_code == 404


def test_it_stores_the_issues_example_typed_on_one_line(alice_client, workspace, campaign):
    """It was refused as “not a gender: ‘女性: 70% / 男性’”: entries were read one a line."""
    response = post(
        alice_client,
        workspace,
        campaign,
        gender="女性: 70% / 男性: 30%",
        countries="台灣: 90% / 香港: 10%",
        cities="Taipei, Taiwan: 30%, Taichung, Taiwan: 20%",
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.target_audience == {
        "gender": {"female": 0.7, "male": 0.3},
        "countries": {"TW": 0.9, "HK": 0.1},
        "cities": {"台北市": 0.3, "台中市": 0.2},
    }


def test_it_previews_each_entry_of_a_line_as_read(alice_client, workspace, campaign):
    response = post(
        alice_client,
        workspace,
        campaign,
        headers={"HX-Request": "true"},
        preview="1",
        gender="女性: 70% / 男性: 30%",
    )
    text = response.content.decode()
    assert text.count("label-preview__line--read") == 2
    assert "<strong>Female</strong>" in text and "<strong>Male</strong>" in text


def test_it_refuses_an_unknown_city_naming_it_rather_than_keeping_a_silent_zero(
    alice_client, workspace, campaign
):
    response = post(alice_client, workspace, campaign, cities="台北市: 40%\n火星市: 20%")
    assert response.status_code == 422
    assert "Not a city KOLHub knows: “火星市”" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.target_audience == {}


def test_it_keeps_a_foreign_city_written_with_its_country(alice_client, workspace, campaign):
    response = post(
        alice_client, workspace, campaign, cities="檳城, 馬來西亞: 5%\nOsaka, Japan: 5%"
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.target_audience == {"cities": {"檳城, 馬來西亞": 0.05, "Osaka": 0.05}}
