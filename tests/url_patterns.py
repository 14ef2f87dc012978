"""Every URL pattern of the project and how to build its URLs with real ids.

The URL sweeps (tests/security) walk the resolver, so a view added later is covered without
anyone remembering to add a test. A workspace URL whose arguments cannot be built fails them:
add the argument to OBJECT_ARGUMENTS below. A URL outside /w/<workspace_slug>/ must be listed
in PUBLIC_URL_NAMES, with the reason it is safe.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import NamedTuple

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from api.services import api_token_create
from campaigns.models import ContractTemplate
from creators.models import DirectoryExport
from kolhub.models import (
    ExchangeRate,
    OutgoingWebhookEndpoint,
    OutgoingWebhookMessage,
    Role,
    Workspace,
)
from tests.factories import (
    AccountPostFactory,
    BrandFactory,
    BriefAssetFactory,
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    CreatorImportFactory,
    DeliverableFactory,
    DraftFactory,
    DraftMediaFactory,
    InstallmentFactory,
    InvitationFactory,
    MembershipFactory,
    PlatformConnectionFactory,
    PostFactory,
    ShipmentFactory,
    ShortlistFactory,
    SocialAccountFactory,
    TrackedLinkFactory,
    UserFactory,
)
from tracking.models import ReportFile, SharedReport

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
    "portal_payee": "authenticated by an unguessable token; writes only its own collaboration",
    "portal_draft": "authenticated by an unguessable token",
    "portal_post": "authenticated by an unguessable token",
    "portal_insights": "authenticated by an unguessable token",
    "portal_media": "authenticated by an unguessable token",
    "portal_brief_asset": "authenticated by an unguessable token",
    # The creator's fee and payments: installment ids are looked up inside the token's own
    # collaboration (tests/campaigns/test_portal_payments.py tries other collaborations' ids).
    "portal_payments": "authenticated by an unguessable token",
    "portal_payment_request": "authenticated by an unguessable token",
    "portal_invoice": "authenticated by an unguessable token; writes only its own collaboration",
    # Signing on the portal: documents and installments are looked up inside the token's own
    # collaboration (tests/campaigns/test_signing_pages.py tries other collaborations' ids).
    "portal_contract_sign": "authenticated by an unguessable token",
    "portal_document_pdf": "authenticated by an unguessable token",
    "portal_document_signed_pdf": "authenticated by an unguessable token",
    "portal_receipt": "authenticated by an unguessable token",
    # The creator's own connections: only their own roster accounts and the connections
    # reading them (tests/tracking/test_portal_connections.py tries other creators' ids).
    "portal_accounts": "authenticated by an unguessable token",
    "portal_connect_start": "authenticated by an unguessable token",
    "portal_disconnect": "authenticated by an unguessable token",
    # Finishes only a flow the same session started: for a workspace the user manages, or
    # for the portal link that started it (tests/tracking/test_connection_pages.py and
    # test_portal_connections.py try forged, reused and foreign states).
    "oauth_callback": "bound to the session's own state",
    # The redirect answers for an unguessable code and reveals only the link's destination
    # (tests/tracking/test_links.py).
    "tracked_redirect": "authenticated by an unguessable code",
    # Sales feeds: the token names the feed; webhooks are also verified by their HMAC over the
    # raw body, the pixel only records an order (tests/tracking/test_intake.py).
    "shopify_webhook": "unguessable token and an HMAC signature",
    "woocommerce_webhook": "unguessable token and an HMAC signature",
    "custom_webhook": "unguessable token and a Standard Webhooks signature",
    "pixel_script": "unguessable token; the script holds no tenant data",
    "pixel_order": "unguessable token; records an order, reveals nothing",
    # A client's read-only report: the token names one campaign, expires and can be revoked;
    # nothing on it changes data (tests/tracking/test_share_links.py).
    "shared_results": "unguessable, expiring, revocable token; read-only",
    "shared_results_fragment": "unguessable, expiring, revocable token; read-only",
    "shared_results_export": "unguessable, expiring, revocable token; read-only",
    "shared_post_cover": "unguessable, expiring, revocable token; only its campaign's posts",
    "shared_results_chart": "unguessable, expiring, revocable token; its campaign's chart only",
    # The REST API's description and its docs page: the code's shape, no tenant data.
    "api_schema": "the OpenAPI schema, no tenant data",
    "api_docs": "the Swagger UI page, no tenant data",
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
    "installment_id": lambda ws: InstallmentFactory(collaboration=collaboration_in(ws)).pk,
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
    "account_id": lambda ws: SocialAccountFactory(creator=CreatorFactory(workspace=ws)).pk,
    "account_post_id": lambda ws: (
        AccountPostFactory(account=SocialAccountFactory(creator=CreatorFactory(workspace=ws))).pk
    ),
    "share_id": lambda ws: (
        SharedReport.objects.create(
            workspace=ws,
            campaign=CampaignFactory(brand=BrandFactory(workspace=ws)),
            expires_at=timezone.now() + timedelta(days=1),
        ).pk
    ),
    "report_file_id": lambda ws: (
        ReportFile.objects.create(
            workspace=ws,
            campaign=CampaignFactory(brand=BrandFactory(workspace=ws)),
            file_format="xlsx",
            language="en",
            computed_at=timezone.now(),
        ).pk
    ),
    "directory_export_id": lambda ws: (
        DirectoryExport.objects.create(
            workspace=ws, requested_by=UserFactory(), file_format="csv", language="en"
        ).pk
    ),
    "rate_id": lambda ws: (
        ExchangeRate.objects.create(workspace=ws, currency="USD", into="TWD", rate=32).pk
    ),
    "template_id": lambda ws: (
        ContractTemplate.objects.create(
            workspace=ws, name=f"Ours {uuid.uuid4().hex}", language="en", body="Text"
        ).pk
    ),
    "asset_id": lambda ws: (
        BriefAssetFactory(campaign=CampaignFactory(brand=BrandFactory(workspace=ws))).pk
    ),
    "document_id": lambda ws: document_in(ws).pk,
    "endpoint_id": lambda ws: (
        OutgoingWebhookEndpoint.objects.create(
            workspace=ws, url="https://hooks.example/in", event_types=["draft.approved"]
        ).pk
    ),
    "message_id": lambda ws: (
        OutgoingWebhookMessage.objects.create(
            workspace=ws, event_type="draft.approved", payload={}
        ).pk
    ),
    "token_id": lambda ws: api_token_create(workspace=ws, user=None, name="T", scopes=[])[0].pk,
}


def document_in(ws: Workspace):
    """A contract issued for signing in a collaboration of `ws`."""
    from campaigns.signing.services import document_issue

    return document_issue(
        collaboration=collaboration_in(ws),
        kind="contract",
        title="Contract",
        body="# Contract",
        language="en",
        pdf=b"%PDF-1.4\n%%EOF\n",
        terms_digest="0" * 64,
    )


def collaboration_in(ws: Workspace):
    return CollaborationFactory(campaign=CampaignFactory(brand=BrandFactory(workspace=ws)))


# Arguments that name no object (the same for every workspace).
PLAIN_ARGUMENTS = {
    "file_format": "csv",
    "login": "tiktok",
    "token": "0" * 32,
    "image_format": "svg",
    "fragment": "kpis",
    "size": "wide",
}


class Pattern(NamedTuple):
    name: str
    route: str
    arguments: list[str]  # the whole URL's, its prefixes' first
    view: Callable


def walk(
    patterns, prefix: str = "", namespace: str = "", outer: tuple[str, ...] = ()
) -> Iterator[Pattern]:
    """Yield every named pattern."""
    for entry in patterns:
        arguments = (*outer, *entry.pattern.regex.groupindex)
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, ns, arguments)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Pattern(f"{namespace}{entry.name}", route, list(arguments), entry.callback)


def app_patterns() -> list[Pattern]:
    # Django admin has its own staff-only gate, tested in tests/kolhub/test_admin.py (and the
    # operations page under /admin/ uses that gate: tests/tracking/test_operations.py).
    return [
        p
        for p in walk(get_resolver().url_patterns)
        if not p.name.startswith("admin:") and not p.route.startswith("admin/")
    ]


def tenant_patterns() -> list[Pattern]:
    return [p for p in app_patterns() if "workspace_slug" in p.arguments]


def api_patterns() -> list[Pattern]:
    """The REST API's workspace routes (/api/v1/w/<workspace_slug>/...)."""
    return [p for p in tenant_patterns() if p.route.startswith("api/v1/")]


def url_for(name: str, arguments: list[str], value_for: Callable[[str], object]) -> str:
    """The URL of a named pattern, each argument's value given by `value_for(argument)`."""
    return reverse(name, kwargs={argument: value_for(argument) for argument in arguments})


def build(name: str, arguments: list[str], slug: str, victim: Workspace) -> str:
    """The URL with `slug` as its workspace and fresh objects of `victim` as its other ids."""

    def value_for(argument: str) -> object:
        if argument == "workspace_slug":
            return slug
        if argument in OBJECT_ARGUMENTS:
            return OBJECT_ARGUMENTS[argument](victim)
        if argument in PLAIN_ARGUMENTS:
            return PLAIN_ARGUMENTS[argument]
        pytest.fail(
            f"The URL sweeps cannot build URL {name!r}: add {argument!r} to "
            "OBJECT_ARGUMENTS in tests/url_patterns.py"
        )

    return url_for(name, arguments, value_for)
