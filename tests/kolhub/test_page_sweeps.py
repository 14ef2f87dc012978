"""Walks through the demo workspace: no page shows a figure of five digits or more without its
thousands separator, in zh-Hant (whose Django locale groups nothing) or in English, and no
form field is labelled with its own name."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from tests.page_sweep import labels_from_names, ungrouped_numbers, walk
from tracking.results.services import shared_report_create

pytestmark = pytest.mark.django_db


def _reader(language: str) -> Client:
    # The saved language wins over the browser's (kolhub.middleware).
    user = get_user_model().objects.get(email="consultant@demo.kolhub.local")
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def _sweep(client: Client, start: str, **bounds) -> dict[str, list[str]]:
    pages = dict(walk(client, start, **bounds))
    assert len(pages) > 1, "the sweep read no page beyond the first"
    return {path: found for path, page in pages.items() if (found := ungrouped_numbers(page))}


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_it_groups_every_figure_of_the_demo_workspace(seeded_demo, language):
    client = _reader(language)
    assert ('<html lang="zh-hant"' in client.get("/w/demo-agency/campaigns/").text) == (
        language == "zh-hant"
    )
    assert _sweep(client, "/w/demo-agency/", per_kind=2) == {}


def test_it_groups_every_figure_of_a_share_link(seeded_demo):
    campaign = Campaign.objects.filter(workspace__slug="demo-agency").order_by("pk").first()
    user = get_user_model().objects.get(email="consultant@demo.kolhub.local")
    share = shared_report_create(campaign=campaign, user=user, days=7)
    start = reverse("shared_results", args=[share.token])
    assert _sweep(Client(headers={"accept-language": "zh-hant"}), start) == {}


def test_no_form_of_the_demo_workspace_labels_a_field_with_its_name(seeded_demo):
    pages = dict(walk(_reader("zh-hant"), "/w/demo-agency/", per_kind=1))
    found = {
        path: found for path, page in pages.items() if (found := labels_from_names(page, "zh-hant"))
    }
    assert any("field__label" in page for page in pages.values())
    assert found == {}
