from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kolhub.models import Brand, Invitation, Membership, User, WorkerHeartbeat, Workspace
from tests.factories import (
    BrandFactory,
    InvitationFactory,
    MembershipFactory,
    NotificationFactory,
    UserFactory,
)


@pytest.fixture
def admin_client(db, client):
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    return client


def test_it_registers_every_core_model():
    for model in (User, Workspace, Brand, Membership, Invitation, WorkerHeartbeat):
        assert admin.site.is_registered(model), model


def test_it_registers_the_periodic_task_scheduler():
    from django_celery_beat.models import PeriodicTask

    assert admin.site.is_registered(PeriodicTask)


@pytest.mark.parametrize(
    "model", ["user", "workspace", "brand", "membership", "invitation", "workerheartbeat"]
)
def test_it_lists_searches_and_filters(admin_client, model, workspace, brand):
    InvitationFactory(workspace=workspace)
    url = reverse(f"admin:kolhub_{model}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "a"}).status_code == 200


def test_it_opens_a_workspace_with_its_brands_and_members(admin_client, workspace, alice):
    BrandFactory(workspace=workspace, name="Inline Brand")
    response = admin_client.get(reverse("admin:kolhub_workspace_change", args=[workspace.pk]))
    assert response.status_code == 200
    assert "Inline Brand" in response.text


def test_it_keeps_non_staff_out(alice_client):
    response = alice_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def _act(client, model: str, action: str, rows) -> list[str]:
    response = client.post(
        reverse(f"admin:kolhub_{model}_changelist"),
        {"action": action, "_selected_action": [row.pk for row in rows]},
        follow=True,
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def test_it_resends_a_pending_invitation_with_its_link(
    superuser_client, workspace, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(workspace=workspace, email="later@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        said = _act(superuser_client, "invitation", "resend", [invitation])
    assert said == ["1 invitation sent again."]
    assert [email.to for email in mail.outbox] == [["later@example.com"]]
    assert invitation.token in mail.outbox[0].body


def test_it_refuses_to_resend_used_withdrawn_or_expired_invitations(
    superuser_client, workspace, django_capture_on_commit_callbacks
):
    now = timezone.now()
    used = InvitationFactory(workspace=workspace, email="used@example.com", accepted_at=now)
    gone = InvitationFactory(workspace=workspace, email="gone@example.com", revoked_at=now)
    old = InvitationFactory(
        workspace=workspace, email="old@example.com", expires_at=now - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        said = _act(superuser_client, "invitation", "resend", [used, gone, old])
    assert mail.outbox == []
    assert sorted(said) == [
        "Not sent to gone@example.com: This invitation was withdrawn by the workspace.",
        # The date as the service writes it: in the time zone in force, not in UTC.
        f"Not sent to old@example.com: This invitation expired on "
        f"{timezone.localtime(old.expires_at):%Y-%m-%d}.",
        "Not sent to used@example.com: This invitation has already been used.",
    ]


def test_it_withdraws_pending_invitations_only(superuser_client, workspace):
    pending = InvitationFactory(workspace=workspace)
    used = InvitationFactory(workspace=workspace, accepted_at=timezone.now())
    said = _act(superuser_client, "invitation", "revoke", [pending, used])
    assert said == ["1 invitation withdrawn."]
    pending.refresh_from_db()
    used.refresh_from_db()
    assert pending.revoked_at is not None
    assert used.revoked_at is None


def test_it_shows_an_invitation_token_by_its_last_four_characters_only(superuser_client, workspace):
    invitation = InvitationFactory(workspace=workspace)
    listed = superuser_client.get(reverse("admin:kolhub_invitation_changelist"))
    opened = superuser_client.get(reverse("admin:kolhub_invitation_change", args=[invitation.pk]))
    for response in (listed, opened):
        assert invitation.token not in response.text
        assert "…" + invitation.token[-4:] in response.text
    assert "token" not in opened.context["adminform"].form.fields
    # Made without the members page, nobody would receive its link.
    assert superuser_client.get(reverse("admin:kolhub_invitation_add")).status_code == 403


def test_it_keeps_notifications_read_only(superuser_client, workspace, alice):
    notification = NotificationFactory(workspace=workspace, user=alice, message="Draft due")
    change = reverse("admin:kolhub_notification_change", args=[notification.pk])
    assert superuser_client.get(change).status_code == 200
    assert superuser_client.post(change, {"message": "Rewritten"}).status_code == 403
    assert superuser_client.get(reverse("admin:kolhub_notification_add")).status_code == 403
    delete = reverse("admin:kolhub_notification_delete", args=[notification.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    notification.refresh_from_db()
    assert notification.message == "Draft due"


def _queries(client, url: str) -> int:
    # A first visit fills the caches every later visit reads (content types, the session).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_lists_members_on_the_workspace_without_a_query_per_member(
    superuser_client, workspace, brand
):
    url = reverse("admin:kolhub_workspace_change", args=[workspace.pk])
    MembershipFactory(workspace=workspace).brands.add(brand)
    with_one = _queries(superuser_client, url)
    for _ in range(5):
        MembershipFactory(workspace=workspace).brands.add(brand)
    assert _queries(superuser_client, url) == with_one
