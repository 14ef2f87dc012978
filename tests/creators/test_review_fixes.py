"""Regressions found in review: contacts, slow patterns, broken files, long values."""

from __future__ import annotations

import io
import time

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from creators.audience import parse_shares
from creators.importer import parse_table
from creators.models import Creator
from creators.parsing import parse_profile_url
from kolhub.spreadsheets import ImportFileError, read_table
from tests.factories import CreatorFactory, ShortlistFactory


def test_members_neither_see_nor_overwrite_contacts_in_the_form(bob_client, workspace):
    creator = CreatorFactory(workspace=workspace, email="mei@example.com", phone="0912")
    url = reverse("creator_edit", args=[workspace.slug, creator.pk])
    assert "mei@example.com" not in bob_client.get(url).text
    bob_client.post(
        url, {"display_name": "Mei", "relationship_status": "new", "rate_currency": "TWD"}
    )
    creator.refresh_from_db()
    assert (creator.email, creator.phone) == ("mei@example.com", "0912")


def test_members_cannot_open_imports(bob_client, workspace):
    assert bob_client.get(reverse("import_start", args=[workspace.slug])).status_code == 404


def test_share_lines_parse_in_linear_time():
    started = time.perf_counter()
    with pytest.raises(ValueError):
        parse_shares("a" + " " * 5000 + "x")
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    "data",
    [b'name,handle\n"A,a\n', "\ufeff".encode()],
)
def test_broken_csv_files_get_a_message(data):
    with pytest.raises(ImportFileError):
        parse_table(read_table(data, "x.csv"))


def test_cells_past_the_header_are_reported_not_refused_nor_dropped():
    parsed = parse_table(read_table(b"name,handle\nA,a,extra,cells\n", "x.csv"))
    assert parsed.unmapped_columns == ["Unnamed: 2", "Unnamed: 3"]


def test_too_long_values_are_row_errors():
    parsed = parse_table(read_table(("name,region\nA," + "x" * 80 + "\n").encode(), "x.csv"))
    assert parsed.errors[0].column == "region"
    assert "at most 60" in parsed.errors[0].message


def test_handles_and_channel_ids_are_bounded():
    with pytest.raises(ValueError):
        parse_profile_url("https://blog.example.com/" + "a" * 300)
    with pytest.raises(ValueError):
        parse_profile_url("https://www.youtube.com/channel/UC<b>")


def test_xlsx_export_survives_control_characters(alice_client, workspace):
    CreatorFactory(workspace=workspace, display_name="A\x0bB")
    response = alice_client.get(reverse("creator_export", args=[workspace.slug, "xlsx"]))
    assert response.status_code == 200
    assert list(pd.read_excel(io.BytesIO(response.content))["Name"]) == ["AB"]


def test_absurd_ids_in_a_bulk_action_are_refused(alice_client, workspace):
    response = alice_client.post(
        reverse("shortlist_add", args=[workspace.slug]),
        {"creators": ["99999999999999999999"], "name": "X"},
    )
    assert response.status_code == 302


def test_merge_keeps_the_duplicates_shortlists(alice_client, workspace):
    target, source = CreatorFactory(workspace=workspace), CreatorFactory(workspace=workspace)
    shortlist = ShortlistFactory(workspace=workspace)
    shortlist.creators.add(source)
    alice_client.post(
        reverse("creator_merge", args=[workspace.slug, target.pk]), {"source": source.pk}
    )
    assert list(shortlist.creators.all()) == [target]


def test_engagement_rate_filter_stays_a_fraction_beside_an_invalid_filter(alice_client, workspace):
    from decimal import Decimal

    CreatorFactory(workspace=workspace, engagement_rate=Decimal("0.05"))
    url = reverse("creator_list", args=[workspace.slug])
    page = alice_client.get(url, {"er_min": "4", "followers_min": "zz"})
    assert page.context["page"].paginator.count == 1


def test_screenshots_are_stored_under_random_names(alice_client, workspace):
    from tests.factories import SocialAccountFactory

    creator = CreatorFactory(workspace=workspace)
    account = SocialAccountFactory(creator=creator)
    alice_client.post(
        reverse("audience_add", args=[workspace.slug, creator.pk]),
        {
            "account": account.pk,
            "captured_on": "2026-11-01",
            "source": "screenshot",
            "screenshot": SimpleUploadedFile(
                "../../evil name.png", b"\x89PNG", content_type="image/png"
            ),
            "age": "18-24: 100%",
        },
    )
    name = Creator.objects.get().accounts.get().audience_profiles.get().screenshot.name
    assert name.startswith("audience/") and "evil" not in name and name.endswith(".png")
