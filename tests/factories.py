from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from django.utils.text import slugify

from kolhub.models import Brand, Invitation, Membership, Role, User, WorkerHeartbeat, Workspace

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Brand {n}")
    industry = "Beverages"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    workspace = factory.SubFactory(WorkspaceFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.MEMBER


class WorkerHeartbeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkerHeartbeat

    hostname = factory.Sequence(lambda n: f"celery@host{n}")
    beat_at = factory.LazyFunction(timezone.now)


class CreatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "creators.Creator"

    workspace = factory.SubFactory(WorkspaceFactory)
    display_name = factory.Sequence(lambda n: f"Creator {n}")
    region = "台北市"


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "creators.SocialAccount"

    creator = factory.SubFactory(CreatorFactory)
    workspace = factory.SelfAttribute("creator.workspace")
    platform = "instagram"
    handle = factory.Sequence(lambda n: f"handle{n}")
    followers = 25_000


class AccountSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "creators.AccountSnapshot"

    account = factory.SubFactory(SocialAccountFactory)
    workspace = factory.SelfAttribute("account.workspace")
    captured_on = factory.Sequence(lambda n: timezone.localdate() - timedelta(days=n))
    followers = 25_000


class AudienceProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "creators.AudienceProfile"

    account = factory.SubFactory(SocialAccountFactory)
    workspace = factory.SelfAttribute("account.workspace")
    captured_on = factory.LazyFunction(timezone.localdate)
    source = "platform"
    age = {"18-24": 0.4, "25-34": 0.6}


class AudienceSampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "creators.AudienceSample"

    account = factory.SubFactory(SocialAccountFactory)
    workspace = factory.SelfAttribute("account.workspace")
    size = 0
    hashes = b""


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "creators.Category"

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Category {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "creators.Tag"

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"tag{n}")


class RateCardItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "creators.RateCardItem"

    creator = factory.SubFactory(CreatorFactory)
    workspace = factory.SelfAttribute("creator.workspace")
    format = "ig_post"
    price = 8000


class CreatorImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "creators.CreatorImport"

    workspace = factory.SubFactory(WorkspaceFactory)
    filename = "roster.csv"
    file = factory.django.FileField(
        filename="roster.csv", data="名稱,IG,IG 粉絲數\n小美,mei.daily,1.2萬\n".encode()
    )


class ShortlistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "creators.Shortlist"

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Shortlist {n}")


# --- Campaigns -----------------------------------------------------------------------------

# The smallest valid PNG (1×1), for uploads that must pass content sniffing.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Campaign"

    brand = factory.SubFactory(BrandFactory)
    workspace = factory.SelfAttribute("brand.workspace")
    name = factory.Sequence(lambda n: f"Campaign {n}")
    slug = factory.LazyAttribute(lambda campaign: slugify(campaign.name))
    objective = "conversion"
    status = "running"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    observation_ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=120))
    currency = "TWD"
    total_budget = 500_000


class CollaborationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Collaboration"

    campaign = factory.SubFactory(CampaignFactory)
    workspace = factory.SelfAttribute("campaign.workspace")
    creator = factory.SubFactory(CreatorFactory, workspace=factory.SelfAttribute("..workspace"))
    stage = "shortlisted"
    currency = "TWD"


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Deliverable"

    collaboration = factory.SubFactory(CollaborationFactory)
    workspace = factory.SelfAttribute("collaboration.workspace")
    format = "ig_reel"
    platform = "instagram"
    draft_due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=5))
    publish_due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))


class ShipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Shipment"

    collaboration = factory.SubFactory(CollaborationFactory)
    workspace = factory.SelfAttribute("collaboration.workspace")
    items = "Cold brew gift box"
    recipient_name = "Mei"
    recipient_address = "台北市信義區松仁路 100 號"


class DraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Draft"

    deliverable = factory.SubFactory(DeliverableFactory)
    workspace = factory.SelfAttribute("deliverable.workspace")
    version = factory.Sequence(lambda n: n + 1)
    caption = "Summer tea #ad"


class DraftMediaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.DraftMedia"

    draft = factory.SubFactory(DraftFactory)
    workspace = factory.SelfAttribute("draft.workspace")
    file = factory.django.FileField(filename="photo.png", data=PNG_BYTES)
    name = "photo.png"
    content_type = "image/png"
    size = len(PNG_BYTES)


class BriefAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.BriefAsset"

    campaign = factory.SubFactory(CampaignFactory)
    workspace = factory.SelfAttribute("campaign.workspace")
    file = factory.django.FileField(filename="logo.png", data=PNG_BYTES)
    name = "logo.png"
    content_type = "image/png"
    size = len(PNG_BYTES)


class PortalLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.PortalLink"

    collaboration = factory.SubFactory(CollaborationFactory)
    workspace = factory.SelfAttribute("collaboration.workspace")
    language = "en"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "kolhub.Notification"

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    message = "Draft due soon"


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tracking.Post"

    collaboration = factory.SubFactory(CollaborationFactory)
    workspace = factory.SelfAttribute("collaboration.workspace")
    platform = "youtube"
    platform_id = factory.Sequence(lambda n: f"v{n:010d}")
    url = factory.LazyAttribute(lambda post: f"https://www.youtube.com/watch?v={post.platform_id}")
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=3))
    next_pull_at = factory.LazyFunction(timezone.now)


class AccountPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tracking.AccountPost"

    account = factory.SubFactory(SocialAccountFactory)
    workspace = factory.SelfAttribute("account.workspace")
    platform_id = factory.Sequence(lambda n: f"P{n:010d}")
    published_at = factory.LazyFunction(timezone.now)
    read_at = factory.LazyFunction(timezone.now)


class PlatformConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tracking.PlatformConnection"

    workspace = factory.SubFactory(WorkspaceFactory)
    platform = "instagram"
    kind = "oauth"
    label = factory.Sequence(lambda n: f"@brand_account_{n}")
    external_id = factory.Sequence(lambda n: f"178414{n:011d}")
    token = factory.Sequence(lambda n: f"IGQVJ-recorded-token-{n}")
    # The login an OAuth connection of the platform comes from by default (Instagram and
    # Facebook Pages: Facebook Login, as a brand connects them).
    login = factory.LazyAttribute(
        lambda c: (
            {"youtube": "google", "instagram": "facebook"}.get(c.platform, c.platform)
            if c.kind == "oauth"
            else ""
        )
    )


class TrackedLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tracking.TrackedLink"

    collaboration = factory.SubFactory(CollaborationFactory)
    workspace = factory.SelfAttribute("collaboration.workspace")
    destination = "https://shop.example.com/coldbrew?ref=home"
    utm_source = "instagram"
    utm_medium = "influencer"
    utm_campaign = "summer-cold-brew"
    utm_content = "mei.daily"
    code = factory.Sequence(lambda n: f"tl{n:09d}")


class ClickFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tracking.Click"

    link = factory.SubFactory(TrackedLinkFactory)
    workspace = factory.SelfAttribute("link.workspace")
    click_id = factory.Sequence(lambda n: f"{n:032x}")
    occurred_at = factory.LazyFunction(timezone.now)
    visitor = factory.Sequence(lambda n: f"{n:032x}")


class BriefVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.BriefVersion"

    campaign = factory.SubFactory(CampaignFactory)
    workspace = factory.SelfAttribute("campaign.workspace")
    number = factory.Sequence(lambda n: n + 1)


class InstallmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Installment"

    collaboration = factory.SubFactory(CollaborationFactory, fee=Decimal(50000))
    workspace = factory.SelfAttribute("collaboration.workspace")
    label = "On signing"
    amount = Decimal(50000)
    currency = "TWD"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
