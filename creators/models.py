"""The roster: who could we work with? Creators, their social accounts and audiences."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kolhub.models import TenantModel


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    THREADS = "threads", "Threads"
    X = "x", "X"
    BLOG = "blog", _("Blog / website")
    PODCAST = "podcast", _("Podcast")


class Tier(models.TextChoices):
    NANO = "nano", _("Nano")
    MICRO = "micro", _("Micro")
    MID = "mid", _("Mid")
    MACRO = "macro", _("Macro")
    MEGA = "mega", _("Mega")


class Classification(models.TextChoices):
    KOL = "kol", _("KOL")
    INFLUENCER = "influencer", _("Influencer")


class RelationshipStatus(models.TextChoices):
    NEW = "new", _("New")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    DO_NOT_WORK = "do_not_work", _("Do not work with")


class DeliverableFormat(models.TextChoices):
    IG_POST = "ig_post", _("Instagram post")
    IG_REEL = "ig_reel", _("Instagram reel")
    IG_STORY = "ig_story", _("Instagram story")
    FB_POST = "fb_post", _("Facebook post")
    THREADS_POST = "threads_post", _("Threads post")
    YT_VIDEO = "yt_video", _("YouTube video")
    YT_SHORT = "yt_short", _("YouTube Shorts")
    TIKTOK = "tiktok", _("TikTok video")
    BLOG = "blog", _("Blog article")
    PODCAST = "podcast", _("Podcast / live / talk")
    OTHER = "other", _("Other")


# The platform a format is posted on; formats missing here (blog, podcast, other) go anywhere.
FORMAT_PLATFORM: dict[str, str] = {
    DeliverableFormat.IG_POST: Platform.INSTAGRAM,
    DeliverableFormat.IG_REEL: Platform.INSTAGRAM,
    DeliverableFormat.IG_STORY: Platform.INSTAGRAM,
    DeliverableFormat.FB_POST: Platform.FACEBOOK,
    DeliverableFormat.THREADS_POST: Platform.THREADS,
    DeliverableFormat.YT_VIDEO: Platform.YOUTUBE,
    DeliverableFormat.YT_SHORT: Platform.YOUTUBE,
    DeliverableFormat.TIKTOK: Platform.TIKTOK,
}


class TierThresholds(TenantModel):
    """Follower counts where each tier starts, per workspace (nano is everything below micro)."""

    micro_min = models.PositiveIntegerField(_("micro from"), default=10_000)
    mid_min = models.PositiveIntegerField(_("mid from"), default=100_000)
    macro_min = models.PositiveIntegerField(_("macro from"), default=500_000)
    mega_min = models.PositiveIntegerField(_("mega from"), default=1_000_000)

    class Meta:
        verbose_name = _("tier thresholds")
        verbose_name_plural = _("tier thresholds")
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="tierthresholds_one_per_workspace"),
            models.CheckConstraint(
                condition=Q(micro_min__gt=0)
                & Q(mid_min__gt=models.F("micro_min"))
                & Q(macro_min__gt=models.F("mid_min"))
                & Q(mega_min__gt=models.F("macro_min")),
                name="tierthresholds_ascending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workspace}: {self.micro_min}/{self.mid_min}/{self.macro_min}/{self.mega_min}"

    def tier_for(self, followers: int | None) -> str:
        if followers is None:
            return ""
        for tier, minimum in (
            (Tier.MEGA, self.mega_min),
            (Tier.MACRO, self.macro_min),
            (Tier.MID, self.mid_min),
            (Tier.MICRO, self.micro_min),
        ):
            if followers >= minimum:
                return tier
        return Tier.NANO


class Category(TenantModel):
    """A domain of expertise or content (beauty, food, finance…)."""

    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="category_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Tag(TenantModel):
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="tag_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Creator(TenantModel):
    display_name = models.CharField(_("display name"), max_length=120)
    real_name = models.CharField(_("real name"), max_length=120, blank=True)
    bio = models.TextField(_("bio"), blank=True)
    region = models.CharField(_("region"), max_length=60, blank=True, help_text=_("e.g. 台北市"))
    city = models.CharField(_("city / district"), max_length=60, blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=120,
        blank=True,
        help_text=_("Comma-separated, e.g. 中文, English"),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    line_id = models.CharField(_("LINE ID"), max_length=60, blank=True)
    agent_name = models.CharField(_("agent / manager"), max_length=120, blank=True)
    agent_contact = models.CharField(_("agent contact"), max_length=160, blank=True)
    categories = models.ManyToManyField(
        Category, blank=True, related_name="creators", verbose_name=_("categories")
    )
    classification = models.CharField(
        _("KOL or influencer"), max_length=12, choices=Classification.choices, blank=True
    )
    classification_reason = models.CharField(
        _("why"),
        max_length=240,
        blank=True,
        help_text=_("Credentials or profession behind the classification, e.g. dermatologist."),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="creators", verbose_name=_("tags"))
    rate_currency = models.CharField(_("rate card currency"), max_length=3, default="TWD")
    relationship_status = models.CharField(
        _("relationship"),
        max_length=12,
        choices=RelationshipStatus.choices,
        default=RelationshipStatus.NEW,
    )
    do_not_work_reason = models.CharField(_("reason not to work with"), max_length=240, blank=True)
    notes = models.TextField(_("internal notes"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner in the team"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Denormalised for the directory (filters and sorts over 100k creators without joins);
    # kept current by creators.services whenever accounts or rates change.
    total_followers = models.BigIntegerField(_("followers"), default=0, db_index=True)
    top_tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices, blank=True)
    min_price = models.DecimalField(
        _("lowest rate"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Filled by the scoring issue; the directory already filters on them.
    engagement_rate = models.DecimalField(
        _("engagement rate"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    authenticity_score = models.PositiveSmallIntegerField(
        _("authenticity score"), null=True, blank=True
    )
    # The main account's engagement rate over its tier's benchmark (1.5 = half again the
    # typical rate for its size): the scoring fills it, the directory sorts and filters on it.
    engagement_vs_tier = models.DecimalField(
        _("engagement against its tier"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    # The same account's coefficient of variation of its post engagement (lower is steadier),
    # how many authenticity signals fired, and its campaign posts' engagement over its own.
    engagement_stability = models.DecimalField(
        _("engagement variation"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    red_flags = models.PositiveSmallIntegerField(_("red flags"), null=True, blank=True)
    sponsored_vs_organic = models.DecimalField(
        _("sponsored vs organic"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("creator")
        verbose_name_plural = _("creators")
        ordering = ["display_name"]
        indexes = [
            models.Index(fields=["workspace", "display_name"], name="creator_ws_name"),
            models.Index(fields=["workspace", "-total_followers"], name="creator_ws_followers"),
            models.Index(fields=["workspace", "top_tier"], name="creator_ws_tier"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(authenticity_score__isnull=True) | Q(authenticity_score__lte=100),
                name="creator_authenticity_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


class RateCardItem(TenantModel):
    creator = models.ForeignKey(
        Creator, on_delete=models.CASCADE, related_name="rates", verbose_name=_("creator")
    )
    format = models.CharField(_("format"), max_length=16, choices=DeliverableFormat.choices)
    price = models.DecimalField(
        _("price"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    note = models.CharField(_("note"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("rate")
        verbose_name_plural = _("rate card")
        ordering = ["format"]
        constraints = [
            models.UniqueConstraint(fields=["creator", "format"], name="rate_unique_format"),
            models.CheckConstraint(condition=Q(price__gte=0), name="rate_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.creator}: {self.get_format_display()} {self.price}"


# An account's profile picture is copied by the worker from the platform's answer and kept
# as a small square JPEG: copied again when the platform names another picture, or after
# AVATAR_KEEP (CDN addresses expire, pictures change in place); after AVATAR_ATTEMPTS failed
# downloads of one picture the account waits for the platform to name another.
AVATAR_KEEP = timedelta(days=7)
AVATAR_ATTEMPTS = 3


def avatar_path(instance: SocialAccount, filename: str) -> str:
    return f"avatars/{uuid.uuid4().hex}.jpg"


class SocialAccount(TenantModel):
    creator = models.ForeignKey(
        Creator, on_delete=models.CASCADE, related_name="accounts", verbose_name=_("creator")
    )
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    handle = models.CharField(
        _("handle"),
        max_length=120,
        help_text=_("Without @; for blogs and podcasts, the site's address."),
    )
    profile_url = models.URLField(_("profile URL"), max_length=500, blank=True)
    platform_id = models.CharField(_("platform ID"), max_length=120, blank=True)
    followers = models.BigIntegerField(_("followers"), null=True, blank=True)
    following = models.BigIntegerField(_("following"), null=True, blank=True)
    posts_count = models.BigIntegerField(_("posts"), null=True, blank=True)
    avg_views = models.BigIntegerField(_("average views"), null=True, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices, blank=True)
    last_refreshed_at = models.DateTimeField(_("last refreshed"), null=True, blank=True)
    avatar_source = models.CharField(_("profile picture source"), max_length=2000, blank=True)
    avatar = models.FileField(
        _("profile picture"), upload_to=avatar_path, blank=True, max_length=200
    )
    avatar_copied_at = models.DateTimeField(_("profile picture copied"), null=True, blank=True)
    avatar_failures = models.PositiveSmallIntegerField(_("failed picture downloads"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("social account")
        verbose_name_plural = _("social accounts")
        ordering = ["-followers"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "handle"], name="account_unique_handle"
            ),
            models.CheckConstraint(
                condition=(
                    (Q(followers__isnull=True) | Q(followers__gte=0))
                    & (Q(following__isnull=True) | Q(following__gte=0))
                    & (Q(posts_count__isnull=True) | Q(posts_count__gte=0))
                    & (Q(avg_views__isnull=True) | Q(avg_views__gte=0))
                ),
                name="account_counts_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "platform", "tier"], name="account_ws_pl_tier"),
            # The directory's "has an account on this platform (of this tier)" test, probed
            # once per candidate creator without reading the accounts table.
            models.Index(fields=["creator", "platform", "tier"], name="account_creator_pl_tier"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} @{self.handle}"

    def avatar_due(self, now: datetime) -> bool:
        """Whether the worker should copy the picture the platform names now."""
        if not self.avatar_source or self.avatar_failures >= AVATAR_ATTEMPTS:
            return False
        return self.avatar_copied_at is None or now - self.avatar_copied_at >= AVATAR_KEEP


class AccountSnapshot(TenantModel):
    """Followers, following and posts of an account on one day."""

    account = models.ForeignKey(
        SocialAccount,
        on_delete=models.CASCADE,
        related_name="snapshots",
        verbose_name=_("account"),
    )
    captured_on = models.DateField(_("date"))
    followers = models.BigIntegerField(_("followers"), null=True, blank=True)
    following = models.BigIntegerField(_("following"), null=True, blank=True)
    posts_count = models.BigIntegerField(_("posts"), null=True, blank=True)

    class Meta:
        verbose_name = _("account snapshot")
        verbose_name_plural = _("account snapshots")
        ordering = ["account", "captured_on"]
        constraints = [
            models.UniqueConstraint(fields=["account", "captured_on"], name="snapshot_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.captured_on}: {self.followers}"


class AudienceSource(models.TextChoices):
    # Read by the account refresh from the platform's API with the creator's own token.
    API = "api", _("Read from the platform")
    # The rest are entered by hand: shares typed from the insights screen, from a screenshot
    # the creator sent, or estimated.
    PLATFORM = "platform", _("Platform insights")
    SCREENSHOT = "screenshot", _("Creator-provided screenshot")
    ESTIMATE = "estimate", _("Estimate")
    DEMO = "demo", _("Demo data")


# What the audience form offers: a person never enters a profile as read by the API or demo.
HAND_SOURCES = (AudienceSource.PLATFORM, AudienceSource.SCREENSHOT, AudienceSource.ESTIMATE)


def screenshot_path(instance: AudienceProfile, filename: str) -> str:
    """A random name: what the uploader called the file never reaches the disk."""
    extension = Path(filename).suffix.lower()
    extension = extension if extension in {".png", ".jpg", ".jpeg", ".webp"} else ""
    return f"audience/{uuid.uuid4().hex}{extension}"


class AudienceProfile(TenantModel):
    """Audience demographics of an account on a date; each dimension maps a bucket to a share."""

    account = models.ForeignKey(
        SocialAccount,
        on_delete=models.CASCADE,
        related_name="audience_profiles",
        verbose_name=_("account"),
    )
    captured_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=12, choices=AudienceSource.choices)
    age = models.JSONField(_("age"), default=dict, blank=True)
    gender = models.JSONField(_("gender"), default=dict, blank=True)
    countries = models.JSONField(_("countries"), default=dict, blank=True)
    cities = models.JSONField(_("cities"), default=dict, blank=True)
    languages = models.JSONField(_("languages"), default=dict, blank=True)
    screenshot = models.FileField(
        _("screenshot"), upload_to=screenshot_path, blank=True, max_length=200
    )
    notes = models.CharField(_("notes"), max_length=240, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("audience profile")
        verbose_name_plural = _("audience profiles")
        ordering = ["account", "-captured_on"]

    def __str__(self) -> str:
        return f"{self.account} {self.captured_on} ({self.get_source_display()})"

    @property
    def entered_by_hand(self) -> bool:
        return self.source in HAND_SOURCES


class AudienceSample(TenantModel):
    """Identifiers of some audience members of an account, for overlap between creators.

    Stored compactly: each identifier is normalised and hashed to 64 bits; the sorted hashes
    are packed and zlib-compressed (creators.audience does both directions).
    """

    # Hashing takes about 2 µs an identifier: this keeps an upload's check well under a second.
    MAX_IDENTIFIERS = 200_000

    account = models.ForeignKey(
        SocialAccount,
        on_delete=models.CASCADE,
        related_name="audience_samples",
        verbose_name=_("account"),
    )
    description = models.CharField(_("description"), max_length=160, blank=True)
    size = models.PositiveIntegerField(_("identifiers"), default=0)
    hashes = models.BinaryField(editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("audience sample")
        verbose_name_plural = _("audience samples")
        ordering = ["account", "-created_at"]

    def __str__(self) -> str:
        return f"{self.account}: {self.size}"


class CommentSample(TenantModel):
    """Texts of comments left on an account's posts, for the duplicate-or-generic-comments
    signal of its authenticity score. Only the texts are kept, never who wrote them; an
    account keeps its newest KEEP_PER_ACCOUNT samples."""

    KEEP_PER_ACCOUNT = 5
    MAX_COMMENTS = 5_000
    MAX_COMMENT_LENGTH = 1_000

    class Source(models.TextChoices):
        PASTED = "pasted", _("Pasted")
        UPLOADED = "uploaded", _("Uploaded file")
        PLATFORM = "platform", _("Read from the platform")

    account = models.ForeignKey(
        SocialAccount,
        on_delete=models.CASCADE,
        related_name="comment_samples",
        verbose_name=_("account"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    description = models.CharField(_("description"), max_length=160, blank=True)
    comments = models.JSONField(_("comments"), default=list)
    size = models.PositiveIntegerField(_("comments"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment sample")
        verbose_name_plural = _("comment samples")
        ordering = ["account", "-created_at"]
        indexes = [models.Index(fields=["account", "-created_at"], name="comment_sample_newest")]

    def __str__(self) -> str:
        return f"{self.account}: {self.size}"


class CreatorImport(TenantModel):
    """An uploaded spreadsheet between upload, preview and confirmation.

    Reading, checking and writing a large file takes a while, so a worker does each step and
    the page follows `progress`; what the preview shows is stored in `preview`.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        PREVIEW = "preview", _("Waiting for confirmation")
        IMPORTING = "importing", _("Being imported")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Could not be read")

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    # {"step": "queued" | "reading" | "checking" | "comparing" | "writing", "done": rows}
    progress = models.JSONField(_("progress"), default=dict, blank=True)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    # Why the file cannot be read, or why nothing was imported, in `language`.
    error = models.TextField(_("problem"), blank=True)
    language = models.CharField(_("language"), max_length=15, blank=True)
    summary = models.JSONField(_("result"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("creator import")
        verbose_name_plural = _("creator imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)


class Shortlist(TenantModel):
    """A named pick of creators (for a pitch, a brand, a campaign in the making)."""

    name = models.CharField(_("name"), max_length=120)
    brand = models.ForeignKey(
        "kolhub.Brand",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("brand"),
    )
    creators = models.ManyToManyField(
        Creator, blank=True, related_name="shortlists", verbose_name=_("creators")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="shortlist_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
