"""Page speed with a realistic workspace: 200 brands, 50 members."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kolhub.models import Role
from tests.factories import BrandFactory, MembershipFactory, UserFactory, WorkspaceFactory


@pytest.fixture
def busy_workspace(db):
    workspace = WorkspaceFactory()
    owner = UserFactory()
    MembershipFactory(workspace=workspace, user=owner, role=Role.OWNER)
    BrandFactory.create_batch(200, workspace=workspace)
    MembershipFactory.create_batch(50, workspace=workspace)
    client = Client(headers={"accept-language": "en"})
    client.force_login(owner)
    return workspace, client


def test_workspace_home(benchmark, budget, busy_workspace):
    workspace, client = busy_workspace
    url = reverse("workspace_home", args=[workspace.slug])
    response = benchmark(client.get, url)
    assert response.status_code == 200
    budget("workspace home, 200 brands", 0.150)


def test_members_settings(benchmark, budget, busy_workspace):
    workspace, client = busy_workspace
    url = reverse("settings_members", args=[workspace.slug])
    response = benchmark(client.get, url)
    assert response.status_code == 200
    budget("members settings, 51 members x 200 brands", 0.200)


def test_healthz(benchmark, budget, busy_workspace):
    _, client = busy_workspace
    benchmark(client.get, reverse("healthz"))
    budget("healthz", 0.050)
