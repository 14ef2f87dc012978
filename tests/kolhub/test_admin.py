from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from kolhub.models import Brand, Invitation, Membership, User, WorkerHeartbeat, Workspace
from tests.factories import BrandFactory, InvitationFactory, UserFactory


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
