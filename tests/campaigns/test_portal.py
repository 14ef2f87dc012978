"""The creator portal: a private link, no account; everything it does is logged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.brief_check import MAX_CAPTION_LENGTH
from campaigns.models import (
    CollaborationEvent,
    Decision,
    DeliverableStatus,
    Draft,
    InsightReport,
    Stage,
)
from tests.factories import (
    PNG_BYTES,
    BriefAssetFactory,
    CampaignFactory,
    CollaborationFactory,
    DeliverableFactory,
    DraftFactory,
    DraftMediaFactory,
    PortalLinkFactory,
    ShipmentFactory,
)


@pytest.fixture
def link(brand):
    campaign = CampaignFactory(brand=brand, name="Cold brew summer")
    services.brief_publish(
        campaign=campaign, user=None, fields={"hashtags": "#tea", "dos": "Smile"}
    )
    collaboration = CollaborationFactory(
        campaign=campaign, creator__display_name="Mei", stage=Stage.PRODUCT_SHIPPED, fee=1
    )
    DeliverableFactory(collaboration=collaboration)
    return PortalLinkFactory(collaboration=collaboration)


def portal(link, name="portal_home", *args):
    return reverse(name, args=[link.token, *args])


def png():
    return SimpleUploadedFile("look.png", PNG_BYTES, content_type="image/png")


def test_it_shows_the_brief_and_deadlines_without_an_account(client, link):
    deliverable = link.collaboration.deliverables.get()
    response = client.get(portal(link))
    assert response.status_code == 200
    assert "Hi Mei!" in response.text
    assert "#tea" in response.text and "Smile" in response.text
    assert deliverable.publish_due.isoformat() in response.text
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    event = CollaborationEvent.objects.get(kind="portal")
    assert event.by_creator


@pytest.mark.parametrize(
    ("change", "status", "text"),
    [
        ({"revoked_at": timezone.now()}, 410, "withdrawn"),
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, 410, "expired"),
    ],
)
def test_it_refuses_revoked_and_expired_links_plainly(client, link, change, status, text):
    for field, value in change.items():
        setattr(link, field, value)
    link.save()
    for name in ("portal_home", "portal_received"):
        response = getattr(client, "get" if name == "portal_home" else "post")(portal(link, name))
        assert response.status_code == status
        assert text in response.text


def test_it_answers_404_to_an_unknown_token(client, db):
    response = client.get(reverse("portal_home", args=["not-a-token"]))
    assert response.status_code == 404
    assert "We could not find this link" in response.text


def test_it_speaks_the_creators_language(client, link):
    link.language = "zh-hant"
    link.save()
    response = client.get(portal(link))
    assert '<html lang="zh-hant">' in response.text


def test_it_confirms_the_product_arrived(client, link):
    shipment = ShipmentFactory(collaboration=link.collaboration, shipped_on=timezone.localdate())
    assert "Did the product arrive?" in client.get(portal(link)).text
    response = client.post(portal(link, "portal_received"), follow=True)
    assert "We noted that the product arrived" in response.text
    shipment.refresh_from_db()
    link.collaboration.refresh_from_db()
    assert shipment.received_on == timezone.localdate()
    assert link.collaboration.stage == Stage.PRODUCT_RECEIVED
    assert link.collaboration.last_creator_activity_at is not None


def test_it_takes_a_draft_then_a_resubmission_after_review(client, link, alice):
    deliverable = link.collaboration.deliverables.get()
    response = client.post(
        portal(link, "portal_draft", deliverable.pk), {"caption": "First try", "files": [png()]}
    )
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert draft.by_creator and draft.media.count() == 1
    services.draft_review(
        draft=draft, user=alice, decision=Decision.CHANGES, body="Add #tea please"
    )
    page = client.get(portal(link))
    assert "Add #tea please" in page.text
    client.post(portal(link, "portal_draft", deliverable.pk), {"caption": "Second try #tea"})
    assert Draft.objects.filter(deliverable=deliverable).count() == 2
    kinds = list(
        CollaborationEvent.objects.filter(
            collaboration=link.collaboration, by_creator=True
        ).values_list("kind", flat=True)
    )
    assert kinds.count("draft") == 2


def test_it_refuses_a_caption_longer_than_any_platform_takes(client, link):
    deliverable = link.collaboration.deliverables.get()
    response = client.post(
        portal(link, "portal_draft", deliverable.pk), {"caption": "b" * (MAX_CAPTION_LENGTH + 1)}
    )
    assert response.status_code == 422
    assert f"A caption can be at most {MAX_CAPTION_LENGTH} characters" in response.text
    assert not Draft.objects.exists()


def test_it_keeps_a_bad_upload_and_says_why(client, link):
    deliverable = link.collaboration.deliverables.get()
    fake = SimpleUploadedFile("look.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client.post(
        portal(link, "portal_draft", deliverable.pk), {"caption": "My caption", "files": [fake]}
    )
    assert response.status_code == 422
    assert "look.png is not an accepted file type" in response.text
    assert "My caption" in response.text  # nothing typed is lost
    assert not Draft.objects.exists()


def test_it_takes_the_live_post_only_after_approval(client, link):
    deliverable = link.collaboration.deliverables.get()
    early = client.post(
        portal(link, "portal_post", deliverable.pk), {"url": "https://instagram.com/p/abc/"}
    )
    assert early.status_code == 422
    assert "wait until your draft is approved" in early.text
    deliverable.status = DeliverableStatus.APPROVED
    deliverable.save()
    link.collaboration.stage = Stage.APPROVED
    link.collaboration.save()
    wrong = client.post(
        portal(link, "portal_post", deliverable.pk), {"url": "https://youtu.be/dQw4w9WgXcQ"}
    )
    assert wrong.status_code == 422
    assert "This is a YouTube link, but this deliverable is for Instagram." in wrong.text
    profile = client.post(
        portal(link, "portal_post", deliverable.pk), {"url": "https://www.instagram.com/mei/"}
    )
    assert "paste the post&#x27;s own link" in profile.text
    client.post(
        portal(link, "portal_post", deliverable.pk), {"url": "instagram.com/p/Cabc123/?igsh=x"}
    )
    deliverable.refresh_from_db()
    link.collaboration.refresh_from_db()
    assert deliverable.live_url == "https://www.instagram.com/p/Cabc123/"
    assert deliverable.status == DeliverableStatus.PUBLISHED
    assert link.collaboration.stage == Stage.PUBLISHED


def test_it_takes_insights_with_a_screenshot(client, link):
    deliverable = link.collaboration.deliverables.get()
    deliverable.status = DeliverableStatus.PUBLISHED
    deliverable.live_url = "https://instagram.com/p/abc/"
    deliverable.save()
    link.collaboration.stage = Stage.PUBLISHED
    link.collaboration.save()
    none = client.post(portal(link, "portal_insights", deliverable.pk), {"reach": ""})
    assert none.status_code == 422
    assert "Fill in at least one figure." in none.text
    client.post(
        portal(link, "portal_insights", deliverable.pk),
        {"reach": "12000", "impressions": "18000", "saves": "90", "screenshot": png()},
    )
    report = InsightReport.objects.get()
    assert (report.reach, report.impressions, report.saves, report.by_creator) == (
        12000,
        18000,
        90,
        True,
    )
    assert report.screenshot.name.startswith("insights/")
    link.collaboration.refresh_from_db()
    assert link.collaboration.stage == Stage.REPORTED


def test_it_opens_nothing_outside_its_own_collaboration(client, link):
    other = CollaborationFactory(campaign=link.collaboration.campaign)
    foreign_deliverable = DeliverableFactory(collaboration=other)
    foreign_media = DraftMediaFactory(draft=DraftFactory(deliverable=foreign_deliverable))
    foreign_asset = BriefAssetFactory(
        campaign=CampaignFactory(brand=link.collaboration.campaign.brand)
    )
    assert (
        client.post(
            portal(link, "portal_draft", foreign_deliverable.pk), {"caption": "x"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            portal(link, "portal_post", foreign_deliverable.pk), {"url": "https://x.y/"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            portal(link, "portal_insights", foreign_deliverable.pk), {"reach": "1"}
        ).status_code
        == 404
    )
    assert client.get(portal(link, "portal_media", foreign_media.pk)).status_code == 404
    assert client.get(portal(link, "portal_brief_asset", foreign_asset.pk)).status_code == 404
    assert not Draft.objects.filter(deliverable=foreign_deliverable, caption="x").exists()


def test_it_serves_the_creators_own_files_and_brief_files(client, link):
    deliverable = link.collaboration.deliverables.get()
    media = DraftMediaFactory(draft=DraftFactory(deliverable=deliverable))
    assert client.get(portal(link, "portal_media", media.pk)).status_code == 200
    asset = BriefAssetFactory(campaign=link.collaboration.campaign)
    services.brief_publish(
        campaign=link.collaboration.campaign, user=None, fields={"hashtags": "#tea", "dos": "Smile"}
    )
    latest = services.latest_brief(link.collaboration.campaign)
    latest.assets.add(asset)
    response = client.get(portal(link, "portal_brief_asset", asset.pk))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_answers_405_to_the_wrong_method(client, link):
    assert client.get(portal(link, "portal_received")).status_code == 405
    assert client.post(portal(link)).status_code == 405
