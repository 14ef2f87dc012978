"""One workspace with one of everything, its users in every role, and the URL arguments that
name its objects (built once per fuzz module; every example is rolled back)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie

from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from creators.services import tier_thresholds
from kolhub.models import Role, User
from tests.factories import (
    BrandFactory,
    BriefAssetFactory,
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    DeliverableFactory,
    DraftFactory,
    DraftMediaFactory,
    InvitationFactory,
    MembershipFactory,
    PortalLinkFactory,
    PostFactory,
    ShipmentFactory,
    ShortlistFactory,
    SocialAccountFactory,
    TrackedLinkFactory,
    UserFactory,
    WorkerHeartbeatFactory,
    WorkspaceFactory,
)
from tests.url_patterns import OBJECT_ARGUMENTS, PLAIN_ARGUMENTS
from tracking.demo import history
from tracking.ingest.refresh import refresh_now
from tracking.ingest.snapshots import snapshots_write
from tracking.models import Post, PostStatus, SalesChannel, SharedReport
from tracking.results.account_scores import account_scores_compute
from tracking.results.dashboard_views import FRAGMENTS
from tracking.results.figures import workspace_results_compute
from tracking.sales.conversions import conversion_record, sales_feed_create
from tracking.sales.orders import pixel_order

ANONYMOUS = "anonymous"
REFRESH_TOKEN = "refresh-started-by-the-fuzz"
WEBHOOK_SECRET = "whsec_fuzz"
ROLES = (Role.OWNER, Role.MANAGER, Role.MEMBER, Role.CLIENT)

# The values of a string URL argument that name something real.
ARGUMENT_CHOICES: dict[str, tuple[str, ...]] = {
    "file_format": ("csv", "xlsx", "pdf"),
    "image_format": ("svg", "png"),
    "fragment": tuple(FRAGMENTS),
    "login": ("facebook", "instagram", "threads", "tiktok", "google"),
}

# The token a public URL takes, by the URL's name prefix.
TOKEN_OWNERS = {
    "portal_": "portal",
    "shared_": "share",
    "shopify_": "shopify",
    "woocommerce_": "woocommerce",
    "custom_": "custom",
    "pixel_": "pixel",
    "invitation_": "invitation",
}


@dataclass
class World:
    users: dict[str, User]
    clients: dict[str, Client]
    ids: dict[str, object]
    tokens: dict[str, str]
    cookies: dict[str, SimpleCookie] = field(default_factory=dict)

    def choices(self, name: str, argument: str) -> tuple[object, ...]:
        """The values of a URL argument of the URL `name` that name real things, the one the
        sweeps use first."""
        if argument == "token":
            owner = next((v for k, v in TOKEN_OWNERS.items() if name.startswith(k)), name)
            return (self.tokens[owner],)
        if argument in ARGUMENT_CHOICES:
            return ARGUMENT_CHOICES[argument]
        if argument in self.ids:
            return (self.ids[argument],)
        return (PLAIN_ARGUMENTS[argument],)

    def prepare(self, url: str) -> str:
        """What an example's request needs that does not outlive a moment: a worker that
        beat just now (/healthz answers 503 without one, by design), and a refresh in
        progress (it lives in the cache, which every example starts without)."""
        WorkerHeartbeatFactory()
        if REFRESH_TOKEN in url:
            token = refresh_now(
                workspace_id=self.users[Role.OWNER].memberships.get().workspace_id,
                post_ids=[],
                scope=("campaign", self.ids["campaign_id"]),
            )
            url = url.replace(REFRESH_TOKEN, token)
        return url

    def client(self, role: str) -> Client:
        """The role's client, signed in as at the start (an example may have signed out)."""
        chosen = self.clients[role]
        chosen.cookies = copy.deepcopy(self.cookies[role])
        return chosen


def _fresh_client() -> Client:
    return Client(raise_request_exception=False, headers={"accept-language": "en"})


def _people(workspace) -> dict[str, User]:
    users = {}
    for role in ROLES:
        user = UserFactory(email=f"fuzz-{role}@example.com")
        MembershipFactory(workspace=workspace, user=user, role=role)
        users[role] = user
    return users


def _chain(workspace) -> dict[str, Model]:
    """A campaign with one collaboration and everything that hangs from it."""
    brand = BrandFactory(workspace=workspace)
    campaign = CampaignFactory(brand=brand)
    creator = CreatorFactory(workspace=workspace)
    SocialAccountFactory(creator=creator, platform="tiktok")
    collaboration = CollaborationFactory(campaign=campaign, creator=creator)
    deliverable = DeliverableFactory(collaboration=collaboration)
    draft = DraftFactory(deliverable=deliverable)
    shortlist = ShortlistFactory(workspace=workspace)
    shortlist.creators.add(creator)
    return {
        "brand_id": brand,
        "campaign_id": campaign,
        "creator_id": creator,
        "collaboration_id": collaboration,
        "deliverable_id": deliverable,
        "draft_id": draft,
        "media_id": DraftMediaFactory(draft=draft),
        "shipment_id": ShipmentFactory(collaboration=collaboration),
        "post_id": PostFactory(collaboration=collaboration),
        "link_id": TrackedLinkFactory(collaboration=collaboration),
        "asset_id": BriefAssetFactory(campaign=campaign),
        "shortlist_id": shortlist,
        "share_id": SharedReport.objects.create(
            workspace=workspace, campaign=campaign, expires_at=timezone.now() + timedelta(days=9)
        ),
    }


def _evidence(workspace, post: Post) -> None:
    """Figures for the dashboards to show, sort and filter: the post's history as the demo
    writes it, an order, the stored results and account scores."""
    Post.objects.filter(pk=post.pk).update(status=PostStatus.LIVE)
    post.refresh_from_db()
    now = timezone.now()
    snapshots_write(rows=list(history(post, now)))
    order = pixel_order({"o": "1001", "a": "1200", "c": "TWD"}, received_at=now)
    conversion_record(workspace_id=workspace.pk, channel=SalesChannel.PIXEL, order=order)
    account_scores_compute(workspace.pk)
    workspace_results_compute(workspace.pk)


def build_world() -> World:
    workspace = WorkspaceFactory(name="Fuzz Agency", slug="fuzz-agency")
    # Made on the first visit to the tier settings, refused post or not: made here, so a
    # refused post there changes no row.
    tier_thresholds(workspace)
    users = _people(workspace)
    objects = _chain(workspace)
    _evidence(workspace, objects["post_id"])  # type: ignore[arg-type]
    ids: dict[str, object] = {"workspace_slug": workspace.slug}
    ids |= {argument: row.pk for argument, row in objects.items()}
    for argument, make in OBJECT_ARGUMENTS.items():
        ids.setdefault(argument, make(workspace))
    # The client viewer sees the chain's brand (the other objects' brands stay hidden).
    users[Role.CLIENT].memberships.get().brands.add(objects["brand_id"])
    # The shop webhooks are signed with this secret (tests/security/test_request_fuzz.py).
    feeds = {
        channel: sales_feed_create(
            workspace_id=workspace.pk, channel=channel, label=channel, secret=WEBHOOK_SECRET
        )
        for channel in (
            SalesChannel.SHOPIFY,
            SalesChannel.WOOCOMMERCE,
            SalesChannel.CUSTOM,
            SalesChannel.PIXEL,
        )
    }
    reset_user = users[Role.OWNER]
    ids["uidb64"] = urlsafe_base64_encode(force_bytes(reset_user.pk))
    ids["code"] = objects["link_id"].code  # type: ignore[attr-defined]
    tokens = {
        "portal": PortalLinkFactory(collaboration=objects["collaboration_id"]).token,
        "share": objects["share_id"].token,  # type: ignore[attr-defined]
        "invitation": InvitationFactory(workspace=workspace).token,
        "password_reset_confirm": default_token_generator.make_token(reset_user),
        "refresh_status": REFRESH_TOKEN,  # started by prepare()
        **{channel: feed.token for channel, feed in feeds.items()},
    }
    world = World(users=users, clients={}, ids=ids, tokens=tokens)
    world.clients[ANONYMOUS] = _fresh_client()
    world.cookies[ANONYMOUS] = SimpleCookie()
    for role, user in users.items():
        world.clients[role] = _fresh_client()
        world.clients[role].force_login(user)
        world.cookies[role] = copy.deepcopy(world.clients[role].cookies)
    return world


def row_counter(app_labels: tuple[str, ...]) -> Callable[[], tuple[int, ...]]:
    """A function counting the rows of every table of these apps, in one query."""
    from django.apps import apps

    tables = sorted(
        {
            model._meta.db_table
            for label in app_labels
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    # One query for all (a count each would cost a round trip per table per example); the
    # names are the models' own tables, quoted.
    each = [f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables]  # noqa: S608
    sql = "SELECT " + ", ".join(each)

    def counts() -> tuple[int, ...]:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return tuple(cursor.fetchone())

    counts.tables = tables  # type: ignore[attr-defined]
    return counts
