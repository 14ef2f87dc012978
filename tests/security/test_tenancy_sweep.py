"""Every URL pattern, requested by an outsider, answers 404 (or 405): tenancy by construction.

The sweep walks the resolver, so a view added later is covered without anyone remembering
to add a test. A workspace URL whose arguments the sweep cannot build fails the suite: add
the argument to OBJECT_ARGUMENTS below. A URL outside /w/<workspace_slug>/ must be listed in
PUBLIC_URL_NAMES, with the reason it is safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from kolhub.models import ExchangeRate, Membership, Role, Workspace
from tests.factories import (
    BrandFactory,
    BriefAssetFactory,
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    CreatorImportFactory,
    DeliverableFactory,
    DraftFactory,
    DraftMediaFactory,
    InvitationFactory,
    MembershipFactory,
    PlatformConnectionFactory,
    PostFactory,
    ShipmentFactory,
    ShortlistFactory,
    TrackedLinkFactory,
    UserFactory,
)
from tracking.models import SharedReport

# Names reachable without a workspace membership, and why that is safe.
PUBLIC_URL_NAMES = {
    "home": "redirects to the user's own workspace",
    "healthz": "no tenant data",
    "login": "auth",
    "logout": "auth",
    "password_change": "acts on the signed-in user only",
    "password_change_done": "auth",
    "password_reset": "auth",
    "password_reset_done": "auth",
    "password_reset_confirm": "authenticated by a signed token",
    "password_reset_complete": "auth",
    "set_language": "a cookie and the user's own preference",
    "workspace_create": "creates a new workspace owned by the user",
    "invitation_accept": "authenticated by an unguessable token",
    # The creator portal: every view resolves the token first and looks ids up inside the
    # token's own collaboration (tests/campaigns/test_portal.py tries other collaborations' ids).
    "portal_home": "authenticated by an unguessable token",
    "portal_received": "authenticated by an unguessable token",
    "portal_draft": "authenticated by an unguessable token",
    "portal_post": "authenticated by an unguessable token",
    "portal_insights": "authenticated by an unguessable token",
    "portal_media": "authenticated by an unguessable token",
    "portal_brief_asset": "authenticated by an unguessable token",
    # Finishes only a flow the same session started, for a workspace the user manages
    # (tests/tracking/test_connection_pages.py tries forged, reused and foreign states).
    "oauth_callback": "bound to the signed-in user's own session state",
    # The redirect answers for an unguessable code and reveals only the link's destination
    # (tests/tracking/test_links.py).
    "tracked_redirect": "authenticated by an unguessable code",
    # Sales feeds: the token names the feed; webhooks are also verified by their HMAC over the
    # raw body, the pixel only records an order (tests/tracking/test_intake.py).
    "shopify_webhook": "unguessable token and an HMAC signature",
    "woocommerce_webhook": "unguessable token and an HMAC signature",
    "pixel_script": "unguessable token; the script holds no tenant data",
    "pixel_order": "unguessable token; records an order, reveals nothing",
    # A client's read-only report: the token names one campaign, expires and can be revoked;
    # nothing on it changes data (tests/tracking/test_share_links.py).
    "shared_results": "unguessable, expiring, revocable token; read-only",
    "shared_results_fragment": "unguessable, expiring, revocable token; read-only",
    "shared_results_export": "unguessable, expiring, revocable token; read-only",
    "shared_post_cover": "unguessable, expiring, revocable token; only its campaign's posts",
}

# How to build each URL argument for an object of the victim workspace.
OBJECT_ARGUMENTS: dict[str, Callable[[Workspace], object]] = {
    "creator_id": lambda ws: CreatorFactory(workspace=ws).pk,
    "import_id": lambda ws: CreatorImportFactory(workspace=ws).pk,
    "shortlist_id": lambda ws: ShortlistFactory(workspace=ws).pk,
    "brand_id": lambda ws: BrandFactory(workspace=ws).pk,
    "membership_id": lambda ws: MembershipFactory(workspace=ws, role=Role.MEMBER).pk,
    "invitation_id": lambda ws: InvitationFactory(workspace=ws).pk,
    "campaign_id": lambda ws: CampaignFactory(brand=BrandFactory(workspace=ws)).pk,
    "collaboration_id": lambda ws: collaboration_in(ws).pk,
    "deliverable_id": lambda ws: DeliverableFactory(collaboration=collaboration_in(ws)).pk,
    "shipment_id": lambda ws: ShipmentFactory(collaboration=collaboration_in(ws)).pk,
    "draft_id": lambda ws: (
        DraftFactory(deliverable=DeliverableFactory(collaboration=collaboration_in(ws))).pk
    ),
    "media_id": lambda ws: (
        DraftMediaFactory(
            draft=DraftFactory(deliverable=DeliverableFactory(collaboration=collaboration_in(ws)))
        ).pk
    ),
    "connection_id": lambda ws: PlatformConnectionFactory(workspace=ws).pk,
    "link_id": lambda ws: TrackedLinkFactory(collaboration=collaboration_in(ws)).pk,
    "post_id": lambda ws: PostFactory(collaboration=collaboration_in(ws)).pk,
    "share_id": lambda ws: (
        SharedReport.objects.create(
            workspace=ws,
            campaign=CampaignFactory(brand=BrandFactory(workspace=ws)),
            expires_at=timezone.now() + timedelta(days=1),
        ).pk
    ),
    "rate_id": lambda ws: (
        ExchangeRate.objects.create(workspace=ws, currency="USD", into="TWD", rate=32).pk
    ),
    "asset_id": lambda ws: (
        BriefAssetFactory(campaign=CampaignFactory(brand=BrandFactory(workspace=ws))).pk
    ),
}


def collaboration_in(ws: Workspace):
    return CollaborationFactory(campaign=CampaignFactory(brand=BrandFactory(workspace=ws)))


# Arguments that name no object (the same for every workspace).
PLAIN_ARGUMENTS = {
    "file_format": "csv",
    "platform": "tiktok",
    "token": "0" * 32,
    "image_format": "svg",
    "fragment": "kpis",
}


def walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, list[str]]]:
    """Yield (name, route, argument names) for every named pattern."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            route = prefix + str(entry.pattern)
            arguments = list(entry.pattern.regex.groupindex)
            prefix_arguments = [
                a for a in ("workspace_slug",) if f"<slug:{a}>" in prefix or f"<{a}>" in prefix
            ]
            yield f"{namespace}{entry.name}", route, prefix_arguments + arguments


def app_patterns() -> list[tuple[str, str, list[str]]]:
    # Django admin has its own staff-only gate, tested in tests/kolhub/test_admin.py.
    return [p for p in walk(get_resolver().url_patterns) if not p[0].startswith("admin:")]


def tenant_patterns() -> list[tuple[str, str, list[str]]]:
    return [p for p in app_patterns() if "workspace_slug" in p[2]]


def build(name: str, arguments: list[str], slug: str, victim: Workspace) -> str:
    kwargs: dict[str, object] = {}
    for argument in arguments:
        if argument == "workspace_slug":
            kwargs[argument] = slug
        elif argument in OBJECT_ARGUMENTS:
            kwargs[argument] = OBJECT_ARGUMENTS[argument](victim)
        elif argument in PLAIN_ARGUMENTS:
            kwargs[argument] = PLAIN_ARGUMENTS[argument]
        else:
            pytest.fail(
                f"The tenancy sweep cannot build URL {name!r}: add {argument!r} to "
                "OBJECT_ARGUMENTS in tests/security/test_tenancy_sweep.py"
            )
    return reverse(name, kwargs=kwargs)


def assert_outsider_refused(client, url: str) -> None:
    statuses = {method: getattr(client, method)(url).status_code for method in ("get", "post")}
    assert set(statuses.values()) <= {404, 405}, (url, statuses)
    assert 404 in statuses.values(), (url, statuses)


def test_it_knows_every_url_pattern():
    for name, route, arguments in app_patterns():
        assert "workspace_slug" in arguments or name in PUBLIC_URL_NAMES, (
            f"{name} ({route}) is neither under /w/<workspace_slug>/ nor in PUBLIC_URL_NAMES"
        )


def test_it_has_workspace_urls_to_sweep():
    assert len(tenant_patterns()) >= 10


@pytest.mark.parametrize(("name", "arguments"), [(p[0], p[2]) for p in tenant_patterns()])
def test_it_hides_the_workspace_from_a_member_of_another(
    name, arguments, workspace, alice, charlie_client
):
    url = build(name, arguments, workspace.slug, workspace)
    assert_outsider_refused(charlie_client, url)


@pytest.mark.parametrize(
    ("name", "arguments"),
    [(p[0], p[2]) for p in tenant_patterns() if set(p[2]) & set(OBJECT_ARGUMENTS)],
)
def test_it_hides_other_workspaces_objects_behind_ones_own_slug(
    name, arguments, workspace, alice, charlie, charlie_workspace, charlie_client
):
    # Charlie's own workspace in the URL, alice's object ids in the rest of it.
    url = build(name, arguments, charlie_workspace.slug, workspace)
    assert_outsider_refused(charlie_client, url)


@pytest.mark.parametrize(("name", "arguments"), [(p[0], p[2]) for p in tenant_patterns()])
def test_it_sends_anonymous_visitors_to_login(name, arguments, workspace, client):
    url = build(name, arguments, workspace.slug, workspace)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if response.status_code == 302:
            assert response.url.startswith(reverse("login")), (url, response.url)
        else:
            assert response.status_code in {404, 405}, (url, method, response.status_code)


@pytest.mark.parametrize(("name", "arguments"), [(p[0], p[2]) for p in tenant_patterns()])
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
    for name, _, arguments in tenant_patterns():
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
            )
        ) and (name != "brand_detail"):
            url = build(name, arguments, workspace.slug, workspace)
            assert_outsider_refused(client, url)
