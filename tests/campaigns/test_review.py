"""Drafts and review: the brief check, revision rounds, brand approval, the asset library."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from campaigns import services
from campaigns.brief_check import MAX_CAPTION_LENGTH
from campaigns.forms import DraftForm
from campaigns.models import (
    Asset,
    Decision,
    DeliverableStatus,
    Draft,
    DraftStatus,
    ReviewComment,
    Stage,
)
from kolhub.models import Membership, Role
from tests.campaigns import url
from tests.factories import (
    PNG_BYTES,
    CampaignFactory,
    CollaborationFactory,
    DeliverableFactory,
    DraftFactory,
    DraftMediaFactory,
    UserFactory,
)


@pytest.fixture
def deliverable(brand):
    campaign = CampaignFactory(brand=brand)
    services.brief_publish(
        campaign=campaign,
        user=None,
        fields={"hashtags": "#tea", "disclosure": "#ad", "promo_code": "TEA10"},
    )
    collaboration = CollaborationFactory(
        campaign=campaign,
        stage=Stage.CONTRACTED,
        fee=1000,
        rights_organic=True,
        rights_territory="Taiwan",
    )
    return DeliverableFactory(collaboration=collaboration)


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def test_it_checks_a_staff_draft_against_the_brief(alice_client, workspace, deliverable):
    response = alice_client.post(
        url("draft_create", workspace, deliverable.pk),
        {"caption": "Love this tea #tea", "files": [png()]},
    )
    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response.url == url("draft_detail", workspace, draft.pk)
    checks = {c["code"]: c["status"] for c in draft.brief_checks}
    assert checks["hashtags"] == "pass"
    assert checks["disclosure"] == "fail"
    assert checks["promo_code"] == "fail"
    page = alice_client.get(response.url)
    assert "#ad" in page.text and "TEA10" in page.text
    deliverable.collaboration.refresh_from_db()
    assert deliverable.collaboration.stage == Stage.IN_REVIEW


def test_it_refuses_an_empty_draft_and_wrong_files(alice_client, workspace, deliverable):
    empty = alice_client.post(url("draft_create", workspace, deliverable.pk), {"caption": " "})
    assert empty.status_code == 422
    assert "A draft needs a caption, files or both." in empty.text
    script = SimpleUploadedFile("clip.mp4", b"<script>alert(1)</script>", content_type="video/mp4")
    wrong = alice_client.post(
        url("draft_create", workspace, deliverable.pk), {"caption": "hi", "files": [script]}
    )
    assert wrong.status_code == 422
    assert "clip.mp4 is not an accepted file type" in wrong.text
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    "caption",
    [
        "b" * MAX_CAPTION_LENGTH,  # one long word: the e-mail pattern rescanned it per letter
        "a." * (MAX_CAPTION_LENGTH // 2),
        "www." * (MAX_CAPTION_LENGTH // 4),
        "中a" * (MAX_CAPTION_LENGTH // 2),
    ],
    ids=["one-word", "dotted", "www", "glued"],
)
def test_it_checks_the_longest_caption_any_platform_takes(
    alice_client, workspace, deliverable, caption
):
    response = alice_client.post(
        url("draft_create", workspace, deliverable.pk), {"caption": caption}
    )
    assert response.status_code == 302
    assert Draft.objects.get().brief_checks  # checked; bench/test_brief_check.py times it


def test_it_refuses_a_caption_longer_than_any_platform_takes(alice_client, workspace, deliverable):
    too_long = alice_client.post(
        url("draft_create", workspace, deliverable.pk), {"caption": "b" * (MAX_CAPTION_LENGTH + 1)}
    )
    assert too_long.status_code == 422
    assert (
        f"A caption can be at most {MAX_CAPTION_LENGTH} characters, the most any platform takes "
        f"(Facebook); this one has {MAX_CAPTION_LENGTH + 1}." in too_long.text
    )
    assert not Draft.objects.exists()


def test_the_caption_limit_is_explained_in_chinese_too():
    with translation.override("zh-hant"):
        form = DraftForm({"caption": "b" * (MAX_CAPTION_LENGTH + 1)})
        assert not form.is_valid()
        assert form.errors["caption"] == [
            f"文案最多 {MAX_CAPTION_LENGTH} 個字元，這已是各平台中最寬的上限（Facebook）；"
            f"這份文案有 {MAX_CAPTION_LENGTH + 1} 個字元。"
        ]


def test_it_counts_revision_rounds_and_shows_the_diff(alice_client, workspace, deliverable, alice):
    first = services.draft_submit(
        deliverable=deliverable, caption="Summer tea\nso good", by_creator=True
    )
    response = alice_client.post(
        url("draft_review", workspace, first.pk),
        {"decision": "changes", "body": "Add the disclosure"},
    )
    assert response.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.CHANGES
    deliverable.collaboration.refresh_from_db()
    assert deliverable.collaboration.stage == Stage.DRAFTING
    second = services.draft_submit(
        deliverable=deliverable, caption="Summer tea #ad\nso good", by_creator=True
    )
    page = alice_client.get(url("draft_detail", workspace, second.pk))
    assert "<ins> #ad</ins>" in page.text
    assert services.revision_rounds(deliverable) == 1
    collaboration_page = alice_client.get(
        url("collaboration_detail", workspace, deliverable.collaboration_id)
    )
    assert "1 revision round" in collaboration_page.text


def test_it_needs_a_note_to_request_changes(alice_client, workspace, deliverable):
    draft = services.draft_submit(deliverable=deliverable, caption="x")
    response = alice_client.post(url("draft_review", workspace, draft.pk), {"decision": "changes"})
    assert response.status_code == 422
    assert "Say what should change" in response.text
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SUBMITTED


def test_it_approves_and_files_the_media_with_their_rights(alice_client, workspace, deliverable):
    draft = services.draft_submit(deliverable=deliverable, caption="#tea #ad TEA10", files=[png()])
    alice_client.post(
        url("draft_review", workspace, draft.pk), {"decision": "approve", "body": "Great"}
    )
    draft.refresh_from_db()
    deliverable.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED
    assert deliverable.status == DeliverableStatus.APPROVED
    asset = Asset.objects.get()
    assert (asset.rights_organic, asset.rights_paid_ads, asset.rights_territory) == (
        True,
        False,
        "Taiwan",
    )
    deliverable.collaboration.refresh_from_db()
    assert deliverable.collaboration.stage == Stage.APPROVED
    library = alice_client.get(
        url("campaign_assets", workspace, deliverable.collaboration.campaign_id)
    )
    assert url("draft_media", workspace, asset.media_id) in library.text
    assert "organic repost" in library.text


def test_it_supersedes_an_undecided_draft_with_a_new_version(deliverable):
    first = services.draft_submit(deliverable=deliverable, caption="one")
    second = services.draft_submit(deliverable=deliverable, caption="two")
    first.refresh_from_db()
    assert (first.status, second.version) == (DraftStatus.SUPERSEDED, 2)
    with pytest.raises(services.ReviewRefused):
        services.draft_review(draft=first, user=None, decision=Decision.APPROVE)


def test_it_waits_for_the_brand_when_the_campaign_asks_for_it(
    workspace, deliverable, alice, client_for
):
    campaign = deliverable.collaboration.campaign
    campaign.brand_approval = True
    campaign.save()
    draft = services.draft_submit(deliverable=deliverable, caption="#tea #ad TEA10")
    services.draft_review(draft=draft, user=alice, decision=Decision.APPROVE)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.AWAITING_BRAND
    viewer = UserFactory()
    membership = Membership.objects.create(workspace=workspace, user=viewer, role=Role.CLIENT)
    membership.brands.add(campaign.brand)
    client = client_for(viewer)
    page = client.get(url("draft_detail", workspace, draft.pk))
    assert "Brand approves" in page.text and "Brand requests changes" in page.text
    client.post(url("draft_review", workspace, draft.pk), {"decision": "brand_approve"})
    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED
    assert ReviewComment.objects.filter(author=viewer, decision=Decision.BRAND_APPROVE).exists()


def test_it_keeps_agency_decisions_from_client_viewers(workspace, deliverable, client_for):
    campaign = deliverable.collaboration.campaign
    draft = services.draft_submit(deliverable=deliverable, caption="x")
    viewer = UserFactory()
    membership = Membership.objects.create(workspace=workspace, user=viewer, role=Role.CLIENT)
    membership.brands.add(campaign.brand)
    response = client_for(viewer).post(
        url("draft_review", workspace, draft.pk), {"decision": "approve"}
    )
    assert response.status_code == 422
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SUBMITTED


def test_it_hides_drafts_of_other_brands_from_a_client_viewer(workspace, deliverable, client_for):
    draft = DraftFactory(deliverable=deliverable)
    media = DraftMediaFactory(draft=draft)
    viewer = UserFactory()
    Membership.objects.create(workspace=workspace, user=viewer, role=Role.CLIENT)
    client = client_for(viewer)
    assert client.get(url("draft_detail", workspace, draft.pk)).status_code == 404
    assert client.get(url("draft_media", workspace, media.pk)).status_code == 404


def test_it_serves_media_as_untrusted_files(alice_client, workspace, deliverable):
    media = DraftMediaFactory(draft=DraftFactory(deliverable=deliverable))
    response = alice_client.get(url("draft_media", workspace, media.pk) + "?download=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "attachment" in response["Content-Disposition"]
