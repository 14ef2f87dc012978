"""The data migrations that rewrite stored audience labels and regions under the vocabulary
(issue 16): targets typed as 女性 or 台灣 before it, profiles read as F or "Taipei, Taiwan"."""

from __future__ import annotations

import importlib

from django.apps import apps

from tests.factories import AudienceProfileFactory, CampaignFactory, CreatorFactory

creators_labels = importlib.import_module("creators.migrations.0010_canonical_audience_labels")
campaign_labels = importlib.import_module(
    "campaigns.migrations.0005_canonical_target_audience_labels"
)


def test_it_rewrites_stored_audience_profiles_and_regions(workspace):
    profile = AudienceProfileFactory(
        account__creator__workspace=workspace,
        age={"18–24": 0.5, "65歲以上": 0.5},
        gender={"女性": 0.6, "M": 0.4},
        countries={"台灣": 0.8, "tw": 0.1, "Hong Kong": 0.1},
        cities={"臺北": 0.3, "Taipei, Taiwan": 0.1, "tokyo": 0.1, "kyoto  ": 0.1},
        languages={"zh-TW": 1.0},
    )
    untouched = AudienceProfileFactory(
        account__creator__workspace=workspace, age={"18-24": 1.0}, gender={"female": 1.0}
    )
    creator = CreatorFactory(workspace=workspace, region="臺北")
    abroad = CreatorFactory(workspace=workspace, region="Hong Kong")
    creators_labels.canonicalise_audience_labels(apps, None)
    profile.refresh_from_db()
    assert profile.age == {"18-24": 0.5, "65+": 0.5}
    assert profile.gender == {"female": 0.6, "male": 0.4}
    assert profile.countries == {"TW": 0.9, "HK": 0.1}
    assert profile.cities == {"台北市": 0.4, "Tokyo": 0.1, "Kyoto": 0.1}
    assert profile.languages == {"zh-TW": 1.0}
    untouched.refresh_from_db()
    assert untouched.age == {"18-24": 1.0} and untouched.gender == {"female": 1.0}
    creator.refresh_from_db()
    abroad.refresh_from_db()
    assert (creator.region, abroad.region) == ("台北市", "Hong Kong")


def test_it_rewrites_stored_targets_and_changes_nothing_the_second_time(brand):
    campaign = CampaignFactory(
        brand=brand,
        target_audience={
            "gender": {"女性": 0.7, "男性": 0.3},
            "countries": {"台灣": 0.9, "香港": 0.1},
            "cities": {"臺北市": 0.4},
        },
    )
    empty = CampaignFactory(brand=brand, target_audience={})
    campaign_labels.canonicalise_target_audience_labels(apps, None)
    campaign.refresh_from_db()
    expected = {
        "gender": {"female": 0.7, "male": 0.3},
        "countries": {"TW": 0.9, "HK": 0.1},
        "cities": {"台北市": 0.4},
    }
    assert campaign.target_audience == expected
    campaign_labels.canonicalise_target_audience_labels(apps, None)
    campaign.refresh_from_db()
    assert campaign.target_audience == expected
    empty.refresh_from_db()
    assert empty.target_audience == {}
