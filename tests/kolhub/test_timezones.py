"""The time-zone select reads as cities with their UTC offset, runs west to east, and still
stores the IANA name."""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import translation

from kolhub.timezones import offset_text, timezone_choices

OPTION = re.compile(r'<option value="([^"]+)"(?: selected)?>([^<]+)</option>')


def test_it_names_the_city_the_offset_and_the_zone_in_english():
    with translation.override("en"):
        labels = dict(timezone_choices())
    assert labels["Asia/Taipei"] == "Taipei (UTC+08:00) — Asia/Taipei"
    assert labels["Asia/Kathmandu"].startswith("Kathmandu (UTC+05:45)")


def test_it_names_cities_in_chinese_for_a_chinese_reader():
    with translation.override("zh-hant"):
        labels = dict(timezone_choices())
    assert labels["Asia/Taipei"].startswith("台北") and "UTC+08:00" in labels["Asia/Taipei"]
    assert labels["Asia/Tokyo"].startswith("東京")
    assert labels["Asia/Taipei"].endswith("Asia/Taipei")  # searchable by the IANA name too


def test_it_lists_zones_from_west_to_east():
    with translation.override("en"):
        choices = timezone_choices()
    offsets = [re.search(r"UTC([+-]\d\d:\d\d)", label).group(1) for _zone, label in choices]
    minutes = [int(o[:3]) * 60 + (1 if o[0] == "+" else -1) * int(o[4:]) for o in offsets]
    assert minutes == sorted(minutes)


def test_it_lists_each_place_once_under_its_canonical_name():
    zones = {zone for zone, _label in timezone_choices()}
    assert {"Asia/Taipei", "America/New_York", "America/Argentina/Buenos_Aires"} <= zones
    assert not zones & {"US/Eastern", "Etc/GMT+12", "Asia/Calcutta", "America/Buenos_Aires"}
    assert len(zones) < 450


def test_a_zone_stored_under_an_alias_stays_selected(alice_client, workspace):
    workspace.timezone = "US/Eastern"
    workspace.save()
    page = alice_client.get(reverse("settings_general", args=[workspace.slug])).text
    assert '<option value="US/Eastern" selected>' in page


def test_offsets_are_written_with_sign_hours_and_minutes():
    assert offset_text(timedelta(hours=8)) == "+08:00"
    assert offset_text(timedelta(hours=-3, minutes=-30)) == "-03:30"
    assert offset_text(timedelta(0)) == "+00:00"


def test_the_settings_page_shows_readable_names_and_stores_the_iana_name(alice_client, workspace):
    page = alice_client.get(reverse("settings_general", args=[workspace.slug])).text
    options = dict(OPTION.findall(page))
    assert options["Asia/Taipei"] == "Taipei (UTC+08:00) — Asia/Taipei"
    response = alice_client.post(
        reverse("settings_general", args=[workspace.slug]),
        {"name": "Alice Agency", "timezone": "Asia/Tokyo", "currency": "TWD", "language": "en"},
    )
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.timezone == "Asia/Tokyo"
