"""Every URL pattern, requested by an outsider, answers 404 (or 405): tenancy by construction.

The sweep walks the resolver (tests/url_patterns.py), so a view added later is covered without
anyone remembering to add a test.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from kolhub.models import Membership, Role
from tests.factories import BrandFactory, UserFactory
from tests.url_patterns import (
    OBJECT_ARGUMENTS,
    PUBLIC_URL_NAMES,
    app_patterns,
    build,
    tenant_patterns,
)


def assert_outsider_refused(client, url: str) -> None:
    statuses = {method: getattr(client, method)(url).status_code for method in ("get", "post")}
    assert set(statuses.values()) <= {404, 405}, (url, statuses)
    assert 404 in statuses.values(), (url, statuses)


def test_it_knows_every_url_pattern():
    for name, route, arguments, *_ in app_patterns():
        assert "workspace_slug" in arguments or name in PUBLIC_URL_NAMES, (
            f"{name} ({route}) is neither under /w/<workspace_slug>/ nor in PUBLIC_URL_NAMES"
        )


def test_it_has_workspace_urls_to_sweep():
    assert len(tenant_patterns()) >= 10


@pytest.mark.parametrize(("name", "arguments"), [(p.name, p.arguments) for p in tenant_patterns()])
def test_it_hides_the_workspace_from_a_member_of_another(
    name, arguments, workspace, alice, charlie_client
):
    url = build(name, arguments, workspace.slug, workspace)
    assert_outsider_refused(charlie_client, url)


@pytest.mark.parametrize(
    ("name", "arguments"),
    [(p.name, p.arguments) for p in tenant_patterns() if set(p.arguments) & set(OBJECT_ARGUMENTS)],
)
def test_it_hides_other_workspaces_objects_behind_ones_own_slug(
    name, arguments, workspace, alice, charlie, charlie_workspace, charlie_client
):
    # Charlie's own workspace in the URL, alice's object ids in the rest of it.
    url = build(name, arguments, charlie_workspace.slug, workspace)
    assert_outsider_refused(charlie_client, url)


@pytest.mark.parametrize(("name", "arguments"), [(p.name, p.arguments) for p in tenant_patterns()])
def test_it_sends_anonymous_visitors_to_login(name, arguments, workspace, client):
    url = build(name, arguments, workspace.slug, workspace)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if name.startswith("api_"):  # the REST API asks for credentials instead
            assert response.status_code in {401, 405}, (url, method, response.status_code)
        elif response.status_code == 302:
            assert response.url.startswith(reverse("login")), (url, response.url)
        else:
            assert response.status_code in {404, 405}, (url, method, response.status_code)


@pytest.mark.parametrize(("name", "arguments"), [(p.name, p.arguments) for p in tenant_patterns()])
def test_it_answers_an_unknown_workspace_like_a_foreign_one(
    name, arguments, workspace, charlie_client
):
    url = build(name, arguments, "no-such-workspace", workspace)
    assert_outsider_refused(charlie_client, url)


def test_it_limits_a_client_viewer_to_their_brands(workspace, client_for):
    mine, other = BrandFactory(workspace=workspace), BrandFactory(workspace=workspace)
    viewer = UserFactory()
    membership = Membership.objects.create(workspace=workspace, user=viewer, role=Role.CLIENT)
    membership.brands.add(mine)
    client = client_for(viewer)
    assert client.get(reverse("brand_detail", args=[workspace.slug, mine.pk])).status_code == 200
    assert client.get(reverse("brand_detail", args=[workspace.slug, other.pk])).status_code == 404
    for name, _, arguments, *_ in tenant_patterns():
        if name.startswith(
            (
                "settings_",
                "membership_",
                "invitation_",
                "brand_",
                "creator_",
                "account_",
                "import_",
                "shortlist_",
                "audience_",
                "tier_",
                "roster_",
                "collaboration_",
                "deliverable_",
                "shipment_",
                "portal_link_",
                "my_tasks",
                "contract_",
                "api_",  # the REST API is the team's: client viewers get 404 (docs/api.md)
            )
        ) and (name != "brand_detail"):
            url = build(name, arguments, workspace.slug, workspace)
            assert_outsider_refused(client, url)
