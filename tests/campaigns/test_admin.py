from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.admin import KpiTargetInline
from campaigns.models import (
    Campaign,
    CampaignEvent,
    Collaboration,
    CollaborationEvent,
    Deliverable,
    EventKind,
    KpiTarget,
    Reminder,
    ReviewComment,
    Shipment,
)
from campaigns.services.roster import event_log
from tests.admin_posting import as_posted
from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    DeliverableFactory,
    DraftFactory,
    PortalLinkFactory,
    ShipmentFactory,
    UserFactory,
)


def _queries(client, url: str) -> int:
    # A first visit fills the caches every later visit reads (content types, the session).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _revoke(client, links) -> list[str]:
    response = client.post(
        reverse("admin:campaigns_portallink_changelist"),
        {"action": "revoke", "_selected_action": [link.pk for link in links]},
        follow=True,
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def test_it_revokes_portal_links_through_the_portal_service(superuser_client, workspace):
    live = PortalLinkFactory(collaboration=CollaborationFactory(workspace=workspace))
    already = PortalLinkFactory(revoked_at=timezone.now() - timezone.timedelta(days=1))
    revoked_before = already.revoked_at

    assert _revoke(superuser_client, [live, already]) == ["1 portal link revoked."]

    live.refresh_from_db()
    already.refresh_from_db()
    assert live.revoked_at is not None
    assert already.revoked_at == revoked_before
    # The service logs the revocation on the collaboration, as the roster page's button does.
    logged = CollaborationEvent.objects.get(collaboration=live.collaboration)
    assert (logged.kind, logged.data) == (EventKind.PORTAL, {"link_revoked": True})


def test_a_revoked_link_no_longer_opens_the_portal(superuser_client, client, workspace):
    link = PortalLinkFactory(collaboration=CollaborationFactory(workspace=workspace))
    _revoke(superuser_client, [link])
    assert client.get(reverse("portal_home", args=[link.token])).status_code == 410


def test_it_shows_a_portal_token_by_its_last_four_characters_only(superuser_client, workspace):
    link = PortalLinkFactory(collaboration=CollaborationFactory(workspace=workspace))
    listed = superuser_client.get(reverse("admin:campaigns_portallink_changelist"))
    opened = superuser_client.get(reverse("admin:campaigns_portallink_change", args=[link.pk]))
    for response in (listed, opened):
        assert link.token not in response.text
        assert "…" + link.token[-4:] in response.text
    assert "token" not in opened.context["adminform"].form.fields
    # Made without the roster, nobody would ever see its address.
    assert superuser_client.get(reverse("admin:campaigns_portallink_add")).status_code == 403


@pytest.mark.parametrize(
    "model", [CollaborationEvent, CampaignEvent, Reminder, ReviewComment], ids=lambda m: m.__name__
)
def test_it_keeps_the_logs_read_only(superuser_client, model):
    name = f"admin:campaigns_{model._meta.model_name}"
    assert superuser_client.get(reverse(f"{name}_changelist")).status_code == 200
    assert superuser_client.get(reverse(f"{name}_add")).status_code == 403
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = UserFactory.build(is_superuser=True, is_active=True)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)


def test_an_event_cannot_be_rewritten_from_the_admin(superuser_client, workspace):
    collaboration = CollaborationFactory(workspace=workspace)
    event = event_log(collaboration=collaboration, kind=EventKind.EDITED, actor=None)
    url = reverse("admin:campaigns_collaborationevent_change", args=[event.pk])
    assert superuser_client.get(url).status_code == 200
    assert superuser_client.post(url, {"message": "rewritten"}).status_code == 403
    delete = reverse("admin:campaigns_collaborationevent_delete", args=[event.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert CollaborationEvent.objects.filter(pk=event.pk).exists()


def test_a_collaboration_opens_in_the_same_queries_whatever_its_deliverables(
    superuser_client, workspace
):
    collaboration = CollaborationFactory(workspace=workspace)
    DeliverableFactory(collaboration=collaboration)
    ShipmentFactory(collaboration=collaboration)
    url = reverse("admin:campaigns_collaboration_change", args=[collaboration.pk])
    with_one = _queries(superuser_client, url)
    DeliverableFactory.create_batch(4, collaboration=collaboration)
    ShipmentFactory.create_batch(4, collaboration=collaboration)
    assert _queries(superuser_client, url) == with_one


def test_a_draft_opens_in_the_same_queries_whatever_its_review_comments(
    superuser_client, workspace
):
    draft = DraftFactory(deliverable=DeliverableFactory(collaboration__workspace=workspace))
    reviewer = UserFactory()

    def comment() -> None:
        ReviewComment.objects.create(
            workspace=workspace, draft=draft, author=UserFactory(), decision="comment", body="ok"
        )

    comment()
    url = reverse("admin:campaigns_draft_change", args=[draft.pk])
    with_one = _queries(superuser_client, url)
    for _ in range(4):
        comment()
    assert _queries(superuser_client, url) == with_one
    assert reviewer.email not in superuser_client.get(url).text


def test_a_row_added_inline_belongs_to_its_parents_workspace(workspace):
    campaign = CampaignFactory(brand__workspace=workspace)
    request = RequestFactory().post("/")
    request.user = UserFactory.build(is_superuser=True, is_active=True)
    formset_class = KpiTargetInline(Campaign, admin.site).get_formset(request, campaign)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-metric": "reach",
        f"{prefix}-0-target": "10000",
    }
    formset = formset_class(data, instance=campaign, prefix=prefix)
    assert formset.is_valid(), formset.errors
    formset.save()
    assert KpiTarget.objects.get(campaign=campaign).workspace == workspace


def test_collaboration_events_list_without_a_query_per_event(superuser_client, workspace):
    def log() -> None:
        collaboration = CollaborationFactory(workspace=workspace)
        event_log(collaboration=collaboration, kind=EventKind.EDITED, actor=UserFactory())

    url = reverse("admin:campaigns_collaborationevent_changelist")
    log()
    with_one = _queries(superuser_client, url)
    for _ in range(4):
        log()
    assert _queries(superuser_client, url) == with_one
    assert CollaborationEvent.objects.count() == 5


def _superuser_request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def test_a_status_changed_in_the_admin_is_logged_as_on_the_plan_page(workspace):
    campaign = CampaignFactory(brand__workspace=workspace, status="running")
    root = UserFactory(is_staff=True, is_superuser=True)
    campaign.status = "closed"
    admin.site._registry[Campaign].save_model(_superuser_request(root), campaign, None, True)
    logged = CampaignEvent.objects.get(campaign=campaign)
    assert (logged.from_status, logged.to_status, logged.actor) == ("running", "closed", root)


def test_it_recomputes_the_selected_campaigns_results(
    superuser_client, workspace, django_capture_on_commit_callbacks
):
    from tracking.models import CampaignResult

    campaign = CampaignFactory(brand__workspace=workspace)
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:campaigns_campaign_changelist"),
            {"action": "recompute_results", "_selected_action": [campaign.pk]},
            follow=True,
        )
    said = [str(message) for message in response.context["messages"]]
    assert said == ["Results of 1 campaign are being recomputed."]
    assert CampaignResult.objects.filter(campaign=campaign).exists()


def test_the_stage_moves_on_the_roster_not_in_the_admin(superuser_client, workspace):
    collaboration = CollaborationFactory(campaign__brand__workspace=workspace)
    response = superuser_client.get(
        reverse("admin:campaigns_collaboration_change", args=[collaboration.pk])
    )
    assert "stage" not in response.context["adminform"].form.fields
    assert superuser_client.get(reverse("admin:campaigns_collaboration_add")).status_code == 403


def test_terms_edited_in_the_admin_are_logged(workspace):
    collaboration = CollaborationFactory(campaign__brand__workspace=workspace)
    root = UserFactory(is_staff=True, is_superuser=True)
    collaboration.fee = 12_000

    class Edited:
        changed_data = ["fee"]

    admin.site._registry[Collaboration].save_model(
        _superuser_request(root), collaboration, Edited(), True
    )
    logged = CollaborationEvent.objects.get(collaboration=collaboration)
    assert (logged.kind, logged.actor, logged.data) == (EventKind.EDITED, root, {"fields": ["fee"]})


def test_a_shipment_entered_in_the_admin_moves_the_collaboration_along(superuser_client, workspace):
    collaboration = CollaborationFactory(campaign__brand__workspace=workspace, stage="contracted")
    response = superuser_client.post(
        reverse("admin:campaigns_shipment_add"),
        {
            "collaboration": collaboration.pk,
            "items": "Tea set",
            "quantity": 1,
            "value": "1200",
            "recipient_name": "Mei",
            "recipient_phone": "0912345678",
            "recipient_address": "Taipei",
            "carrier": "Black Cat",
            "tracking_number": "BC123",
            "shipped_on": "2026-12-01",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    shipment = Shipment.objects.get(collaboration=collaboration)
    assert shipment.workspace == collaboration.workspace
    collaboration.refresh_from_db()
    assert collaboration.stage == "shipped"
    kinds = set(collaboration.events.values_list("kind", flat=True))
    assert kinds == {EventKind.SHIPMENT, EventKind.STAGE}


def test_a_row_entered_in_the_admin_takes_its_parents_workspace(superuser_client, workspace):
    collaboration = CollaborationFactory(campaign__brand__workspace=workspace)
    add = superuser_client.get(reverse("admin:campaigns_deliverable_add"))
    assert "workspace" not in add.context["adminform"].form.fields
    response = superuser_client.post(
        reverse("admin:campaigns_deliverable_add"),
        {
            "collaboration": collaboration.pk,
            "format": "ig_post",
            "platform": "instagram",
            "status": "planned",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Deliverable.objects.get(collaboration=collaboration).workspace == workspace


def test_a_shipment_added_on_the_collaboration_page_moves_it_along(superuser_client, workspace):
    collaboration = CollaborationFactory(campaign__brand__workspace=workspace, stage="contracted")
    url = reverse("admin:campaigns_collaboration_change", args=[collaboration.pk])
    data = as_posted(superuser_client.get(url))
    data.update(
        {
            "shipments-TOTAL_FORMS": "1",
            "shipments-0-items": "Tea set",
            "shipments-0-quantity": "1",
            "shipments-0-value": "1200",
            "shipments-0-recipient_name": "Mei",
            "shipments-0-recipient_address": "Taipei",
            "shipments-0-shipped_on": "2026-12-01",
        }
    )
    response = superuser_client.post(url, data)
    assert response.status_code == 302
    collaboration.refresh_from_db()
    assert collaboration.stage == "shipped"
    assert Shipment.objects.get(collaboration=collaboration).workspace == workspace
    logged = collaboration.events.values_list("kind", flat=True)
    assert sorted(logged) == sorted([EventKind.SHIPMENT, EventKind.STAGE])


def test_a_draft_is_shown_as_submitted_not_rewritten(superuser_client, workspace):
    draft = DraftFactory(deliverable=DeliverableFactory(collaboration__workspace=workspace))
    url = reverse("admin:campaigns_draft_change", args=[draft.pk])
    assert superuser_client.get(url).status_code == 200
    assert superuser_client.post(url, {"caption": "Rewritten"}).status_code == 403
    assert superuser_client.get(reverse("admin:campaigns_draft_add")).status_code == 403
    draft.refresh_from_db()
    assert draft.caption == "Summer tea #ad"
