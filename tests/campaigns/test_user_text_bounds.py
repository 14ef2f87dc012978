"""Lists typed into one field are bounded where each entry costs work on every request: a
brief's hashtags, mentions and forbidden words are each one search through every draft's
caption (bench/test_user_text_bounds.py times the longest caption against the fullest brief)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns import services
from campaigns.brief_check import MAX_BRIEF_ENTRIES, MAX_CAPTION_LENGTH
from campaigns.models import BriefVersion, Draft
from campaigns.selectors.deadlines import MAX_MONTH_TICKS, month_ticks
from campaigns.services.review import rules_for
from tests.campaigns import url
from tests.factories import PNG_BYTES, CampaignFactory, CreatorFactory, DeliverableFactory


@pytest.fixture
def campaign(brand):
    return CampaignFactory(brand=brand)


def entries(field: str, count: int) -> str:
    words = [f"w{i}" for i in range(count)]
    if field == "hashtags":
        return " ".join(f"#{w}" for w in words)
    if field == "mentions":
        return " ".join(f"@{w}" for w in words)
    return "、".join(words)  # the Chinese list comma separates forbidden words too


@pytest.mark.parametrize("field", list(MAX_BRIEF_ENTRIES))
def test_a_brief_list_longer_than_its_limit_is_a_form_error(
    alice_client, workspace, campaign, field
):
    limit = MAX_BRIEF_ENTRIES[field]
    response = alice_client.post(
        url("campaign_brief", workspace, campaign.pk), {field: entries(field, limit + 1)}
    )
    assert response.status_code == 422
    assert f"At most {limit} entries, please; this list has {limit + 1}." in response.text
    assert not campaign.brief_versions.exists()


@pytest.mark.parametrize("field", list(MAX_BRIEF_ENTRIES))
def test_a_brief_list_at_its_limit_is_saved(alice_client, workspace, campaign, field):
    limit = MAX_BRIEF_ENTRIES[field]
    response = alice_client.post(
        url("campaign_brief", workspace, campaign.pk), {field: entries(field, limit)}
    )
    assert response.status_code == 302
    assert getattr(campaign.brief_versions.get(), field) == entries(field, limit)


def test_a_brief_saved_with_longer_lists_is_checked_against_their_first_entries(campaign):
    """Briefs written before the limit: the checker reads no more than the limit allows."""
    brief = services.brief_publish(
        campaign=campaign,
        user=None,
        fields={  # as many as the columns hold
            "hashtags": entries("hashtags", 100),
            "mentions": entries("mentions", 100),
            "forbidden_words": entries("forbidden_words", 200),
        },
    )
    assert max(len(brief.hashtags), len(brief.mentions)) <= 500 >= len(brief.forbidden_words) / 2
    assert isinstance(brief, BriefVersion)
    rules = rules_for(brief, DeliverableFactory(collaboration__campaign=campaign))
    assert len(rules.hashtags) == MAX_BRIEF_ENTRIES["hashtags"]
    assert len(rules.mentions) == MAX_BRIEF_ENTRIES["mentions"]
    assert len(rules.forbidden_words) == MAX_BRIEF_ENTRIES["forbidden_words"]
    assert rules.hashtags[0] == "#w0"


# Ids in query strings and forms: digits of another script ("²", "١٢٣") that isdigit() accepts
# and int() refuses, more digits than int() converts (4,300), or past the bigint range.
NOT_IDS = ["²", "١٢٣", "9" * 5_000, "9" * 23]


@pytest.mark.parametrize("value", NOT_IDS)
def test_an_id_parameter_that_is_no_id_is_ignored_not_a_crash(
    alice_client, workspace, campaign, value
):
    pages = [
        (url("campaign_list", workspace), {"brand": value}),
        (url("campaign_create", workspace), {"brand": value}),
        (url("campaign_roster", workspace, campaign.pk), {"owner": value}),
    ]
    for page, query in pages:
        assert alice_client.get(page, query).status_code == 200, page


@pytest.mark.parametrize("value", NOT_IDS)
def test_picked_creators_that_are_no_ids_are_refused_not_a_crash(
    alice_client, workspace, campaign, value
):
    creator = CreatorFactory(workspace=workspace)
    response = alice_client.post(
        url("roster_add", workspace, campaign.pk),
        {"creators": [value, str(creator.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not campaign.collaborations.exists()


def test_the_timeline_of_a_campaign_dated_to_the_year_9999_draws_at_most_24_months(
    alice_client, workspace, brand
):
    """Every month drew a line on the axis and again in every row, and the month after
    December 9999 is no date: a 500, after drawing 96,000 lines per row."""
    campaign = CampaignFactory(
        brand=brand,
        starts_on=date(2000, 1, 1),
        ends_on=date(9999, 12, 31),
        observation_ends_on=date(9999, 12, 31),
    )
    DeliverableFactory(collaboration__campaign=campaign, publish_due=date(9999, 12, 31))
    page = alice_client.get(url("campaign_timeline", workspace, campaign.pk))
    assert page.status_code == 200
    assert 0 < page.text.count('class="gantt__month"') <= MAX_MONTH_TICKS


def test_a_timeline_of_a_few_months_shows_every_month():
    assert month_ticks(date(2025, 1, 15), date(2025, 4, 2)) == [
        date(2025, 2, 1),
        date(2025, 3, 1),
        date(2025, 4, 1),
    ]
    assert len(month_ticks(date(2025, 1, 1), date(2026, 12, 31))) == 24


def png(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def test_a_draft_of_20_files_is_taken_and_one_of_21_refused_before_any_is_stored(
    alice_client, workspace, brand, settings
):
    """Each file is checked once the request is read, so the count is bounded while reading:
    Django's default let 100 files of UPLOAD_MAX_MB each reach the disk first."""
    deliverable = DeliverableFactory(collaboration__campaign__brand=brand)
    create = url("draft_create", workspace, deliverable.pk)
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    assert limit == 20
    refused = alice_client.post(create, {"files": [png(f"{i}.png") for i in range(limit + 1)]})
    assert refused.status_code == 400
    assert not Draft.objects.exists()
    taken = alice_client.post(create, {"files": [png(f"{i}.png") for i in range(limit)]})
    assert taken.status_code == 302
    assert Draft.objects.get().media.count() == limit


def test_the_longest_caption_fits_in_a_request_even_url_encoded(alice_client, workspace, brand):
    """63,206 emoji are 760 KB once URL-encoded, within DATA_UPLOAD_MAX_MEMORY_SIZE."""
    deliverable = DeliverableFactory(collaboration__campaign__brand=brand)
    body = urlencode({"caption": "🍵" * MAX_CAPTION_LENGTH})
    assert len(body) > 700_000
    response = alice_client.post(
        url("draft_create", workspace, deliverable.pk),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert Draft.objects.get().caption == "🍵" * MAX_CAPTION_LENGTH
