from __future__ import annotations

import pytest
from django.urls import reverse

from creators import services
from creators.models import Creator, SocialAccount, TierThresholds
from tests.factories import CreatorFactory, SocialAccountFactory


def test_it_uses_the_documented_defaults(workspace):
    thresholds = services.tier_thresholds(workspace)
    assert [thresholds.tier_for(n) for n in (9_999, 10_000, 100_000, 500_000, 1_000_000, None)] == [
        "nano",
        "micro",
        "mid",
        "macro",
        "mega",
        "",
    ]


def test_it_re_tiers_every_account_and_creator(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace)
    SocialAccountFactory(creator=creator, followers=50_000)
    SocialAccountFactory(creator=creator, followers=5_000)
    services.creators_refresh_summary(workspace=workspace, creator_ids=[creator.pk])
    assert Creator.objects.get().top_tier == "micro"
    response = alice_client.post(
        reverse("tier_settings", args=[workspace.slug]),
        {"micro_min": "1000", "mid_min": "40000", "macro_min": "200000", "mega_min": "900000"},
    )
    assert response.status_code == 302
    assert sorted(SocialAccount.objects.values_list("tier", flat=True)) == ["micro", "mid"]
    assert Creator.objects.get().top_tier == "mid"


def test_it_refuses_thresholds_out_of_order(alice_client, workspace):
    response = alice_client.post(
        reverse("tier_settings", args=[workspace.slug]),
        {"micro_min": "50000", "mid_min": "40000", "macro_min": "200000", "mega_min": "900000"},
    )
    assert response.status_code == 422
    assert "must start above the previous one" in response.text
    assert "tierthresholds_ascending" not in response.text  # the constraint's name, never shown
    assert "Constraint" not in response.text
    assert services.tier_thresholds(workspace).micro_min == 10_000


@pytest.mark.parametrize(
    "values",
    [("0", "1", "2", "3"), ("5", "5", "6", "7"), ("1", "2", "3", "3"), ("9", "8", "7", "6")],
)
def test_every_threshold_order_error_is_one_sentence_people_read(alice_client, workspace, values):
    fields = ("micro_min", "mid_min", "macro_min", "mega_min")
    response = alice_client.post(
        reverse("tier_settings", args=[workspace.slug]), dict(zip(fields, values, strict=True))
    )
    assert response.status_code == 422
    assert "tierthresholds_" not in response.text and "Constraint" not in response.text


def test_it_keeps_thresholds_per_workspace(workspace, charlie_workspace):
    services.tier_thresholds_update(
        thresholds=TierThresholds(
            workspace=workspace, micro_min=5, mid_min=6, macro_min=7, mega_min=8
        )
    )
    assert services.tier_thresholds(charlie_workspace).micro_min == 10_000


def test_it_hides_tier_settings_from_members(bob_client, workspace):
    assert bob_client.get(reverse("tier_settings", args=[workspace.slug])).status_code == 404
