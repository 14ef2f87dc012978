from __future__ import annotations

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from creators.audience import (
    pack_identifiers,
    parse_shares,
    read_identifiers,
    unpack_identifiers,
)
from creators.models import AudienceProfile, AudienceSample
from tests.factories import CreatorFactory, SocialAccountFactory


def test_it_reads_shares_as_people_type_them():
    text = "18-24: 29%\n25-34：41%\n35-44 30\n\n"
    assert parse_shares(text) == {"18-24": 0.29, "25-34": 0.41, "35-44": 0.30}
    assert parse_shares("female: 0.6\nmale: 0.4") == {"female": 0.6, "male": 0.4}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("18-24 lots", "Line 1"),
        ("a: 150%", "cannot exceed 100"),
        ("a: 70%\nb: 60%", "add up to 130%"),
    ],
)
def test_it_names_the_wrong_line(text, message):
    with pytest.raises(ValueError, match=message):
        parse_shares(text)


@given(st.lists(st.text(min_size=1, max_size=20), max_size=200))
def test_it_packs_identifiers_losslessly_as_unique_hashes(identifiers):
    packed, size = pack_identifiers(identifiers)
    hashes = unpack_identifiers(packed)
    assert len(hashes) == size
    assert np.all(hashes[:-1] < hashes[1:])  # sorted and unique


def test_it_ignores_case_and_at_signs_in_identifiers():
    _, size = pack_identifiers(["@Mei", "mei", "MEI ", "other"])
    assert size == 2


@pytest.fixture
def creator_with_account(workspace):
    creator = CreatorFactory(workspace=workspace)
    return creator, SocialAccountFactory(creator=creator)


def test_it_saves_demographics_typed_beside_a_screenshot(
    alice_client, workspace, creator_with_account
):
    creator, account = creator_with_account
    png = SimpleUploadedFile(
        "insights.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png"
    )
    response = alice_client.post(
        reverse("audience_add", args=[workspace.slug, creator.pk]),
        {
            "account": account.pk,
            "captured_on": "2026-11-01",
            "source": "screenshot",
            "screenshot": png,
            "age": "18-24: 40%\n25-34: 60%",
            "gender": "female: 70%\nmale: 30%",
        },
    )
    assert response.status_code == 302
    profile = AudienceProfile.objects.get()
    assert profile.age == {"18-24": 0.4, "25-34": 0.6} and profile.screenshot.name


def test_it_stores_demographics_typed_in_chinese_under_the_vocabularys_keys(
    alice_client, workspace, creator_with_account
):
    creator, account = creator_with_account
    response = alice_client.post(
        reverse("audience_add", args=[workspace.slug, creator.pk]),
        {
            "account": account.pk,
            "captured_on": "2026-11-01",
            "source": "platform",
            "age": "18至24歲: 40%\n25~34: 45%\n65歲以上: 15%",
            "gender": "女性: 60%\n男: 40%",
            "countries": "臺灣: 85%\n香港: 5%",
            "cities": "臺北: 30%\nKaohsiung: 10%",
            "languages": "zh-TW: 90%",
        },
    )
    assert response.status_code == 302
    profile = AudienceProfile.objects.get()
    assert profile.age == {"18-24": 0.4, "25-34": 0.45, "65+": 0.15}
    assert profile.gender == {"female": 0.6, "male": 0.4}
    assert profile.countries == {"TW": 0.85, "HK": 0.05}
    assert profile.cities == {"台北市": 0.3, "高雄市": 0.1}
    assert profile.languages == {"zh-TW": 0.9}
    page = alice_client.get(reverse("creator_detail", args=[workspace.slug, creator.pk]))
    assert "Taiwan (TW)" in page.text and "Kaohsiung City" in page.text


def test_it_rerenders_the_audience_form_with_errors(alice_client, workspace, creator_with_account):
    creator, account = creator_with_account
    response = alice_client.post(
        reverse("audience_add", args=[workspace.slug, creator.pk]),
        {
            "account": account.pk,
            "captured_on": "2026-11-01",
            "source": "screenshot",
            "age": "18-24: 40%",
            "countries": "台灣: 80%\nTaiwn: 10%",
        },
    )
    assert response.status_code == 422
    assert "Not a country or region KOLHub knows: “Taiwn”" in response.text
    # The re-rendered form says how each label was read.
    assert "<strong>Taiwan (TW)</strong>" in response.text
    assert "label-preview__line--unknown" in response.text
    assert "Attach the screenshot" in response.text
    assert not AudienceProfile.objects.exists()


def test_it_refuses_an_account_of_another_creator(alice_client, workspace, creator_with_account):
    creator, _ = creator_with_account
    other_account = SocialAccountFactory(creator=CreatorFactory(workspace=workspace))
    response = alice_client.post(
        reverse("audience_add", args=[workspace.slug, creator.pk]),
        {
            "account": other_account.pk,
            "captured_on": "2026-11-01",
            "source": "estimate",
            "age": "18-24: 100%",
        },
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("x.html", "text/html"), ("x.png", "image/png")],  # the browser's word is not enough
)
def test_it_refuses_a_screenshot_that_is_not_an_image(
    alice_client, workspace, creator_with_account, name, content_type
):
    creator, account = creator_with_account
    response = alice_client.post(
        reverse("audience_add", args=[workspace.slug, creator.pk]),
        {
            "account": account.pk,
            "captured_on": "2026-11-01",
            "source": "screenshot",
            "screenshot": SimpleUploadedFile(name, b"<script>", content_type=content_type),
            "age": "18-24: 100%",
        },
    )
    assert response.status_code == 422
    assert "PNG, JPEG or WebP" in response.text


def test_it_stores_an_audience_sample(alice_client, workspace, creator_with_account):
    creator, account = creator_with_account
    upload = SimpleUploadedFile("commenters.csv", b"handle\n@a\nb\nB\nc\n")
    response = alice_client.post(
        reverse("audience_sample_add", args=[workspace.slug, creator.pk]),
        {"account": account.pk, "description": "commenters", "file": upload},
    )
    assert response.status_code == 302
    sample = AudienceSample.objects.get()
    assert sample.size == 3  # the header is skipped; b and B are one person
    assert len(unpack_identifiers(bytes(sample.hashes))) == 3


def test_it_refuses_an_empty_sample(alice_client, workspace, creator_with_account):
    creator, account = creator_with_account
    response = alice_client.post(
        reverse("audience_sample_add", args=[workspace.slug, creator.pk]),
        {"account": account.pk, "file": SimpleUploadedFile("e.txt", b"\n\n")},
    )
    assert response.status_code == 422
    assert not AudienceSample.objects.exists()


def test_it_refuses_a_sample_over_the_limit_without_hashing_it(
    alice_client, workspace, creator_with_account
):
    creator, account = creator_with_account
    lines = "\n".join(f"user{n}" for n in range(AudienceSample.MAX_IDENTIFIERS * 5))
    response = alice_client.post(
        reverse("audience_sample_add", args=[workspace.slug, creator.pk]),
        {"account": account.pk, "file": SimpleUploadedFile("big.txt", lines.encode())},
    )
    assert response.status_code == 422
    assert "A sample holds at most 200,000 identifiers; this file has more." in response.text
    assert not AudienceSample.objects.exists()


def test_reading_identifiers_stops_one_past_the_limit():
    data = b"handle\n" + b"\n".join(b"u%d" % n for n in range(1_000))
    assert read_identifiers(data, most=10) == [f"u{n}" for n in range(11)]
    assert read_identifiers(b"\n \n", most=10) == []
