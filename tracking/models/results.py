"""Results: figures computed from the evidence and stored (campaign results, account
scores), the tables they read (EMV rates, engagement benchmarks) and share links."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creators.models import Platform, Tier
from kolhub.models import TenantModel, WorkerFile


class EmvAction(models.TextChoices):
    # One action by a viewer ("a view"), not the UI's "View" (檢視) nor "Save" (儲存).
    IMPRESSIONS = "impressions", pgettext_lazy("one action on a post", "Impression")
    VIEWS = "views", pgettext_lazy("one action on a post", "View")
    LIKES = "likes", pgettext_lazy("one action on a post", "Like")
    COMMENTS = "comments", pgettext_lazy("one action on a post", "Comment")
    SHARES = "shares", pgettext_lazy("one action on a post", "Share")
    SAVES = "saves", pgettext_lazy("one action on a post", "Save")


class EmvRate(TenantModel):
    """The workspace's value of one action on one platform, for earned media value; where the
    workspace has no row, the documented default of tracking.results.scoring.defaults applies."""

    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    action = models.CharField(_("action"), max_length=12, choices=EmvAction.choices)
    value = models.DecimalField(_("value of one"), max_digits=12, decimal_places=6)
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        verbose_name = _("EMV rate")
        verbose_name_plural = _("EMV rates")
        ordering = ["platform", "action"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "action"], name="emvrate_one_per_action"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="emvrate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.action}: {self.value} {self.currency}"


class CampaignResult(TenantModel):
    """A campaign's figures as computed after the last change of its inputs
    (tracking.results.scoring), so pages read one row instead of recomputing; `report` has the
    shape `campaign_report` prints, `series` the downsampled daily views and engagements."""

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="result",
        verbose_name=_("campaign"),
    )
    report = models.JSONField(_("figures"), default=dict)
    series = models.JSONField(_("time series"), default=list)
    computed_at = models.DateTimeField(_("computed"))
    # Set when the campaign is closed: the figures are its final report from then on, and no
    # pull or recompute changes them until someone reopens the campaign.
    final_at = models.DateTimeField(_("final since"), null=True, blank=True)
    # The report's headline totals as columns (tracking.results.aggregates), so the portfolio
    # adds campaigns up in the database without reading their reports. `cost` is None when
    # the report's cost is unknown (an amount without an exchange rate).
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    cost = models.FloatField(_("cost"), null=True)
    revenue = models.FloatField(_("revenue"), default=0)
    impressions = models.FloatField(_("impressions"), default=0)
    engagements = models.FloatField(_("engagements"), default=0)
    clicks = models.FloatField(_("clicks"), default=0)
    conversions = models.FloatField(_("conversions"), default=0)

    class Meta:
        verbose_name = _("campaign result")
        verbose_name_plural = _("campaign results")

    def __str__(self) -> str:
        return f"{self.campaign} @ {self.computed_at:%Y-%m-%d %H:%M}"


class CampaignResultLine(TenantModel):
    """One creator row of a campaign's stored report (`report["creators"]`) with its figures
    as columns, written with the CampaignResult in the same transaction
    (tracking.results.aggregates): "what worked best" adds them up in the database, grouped
    by tier, platform, category and format, instead of reading every report."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="result_lines",
        verbose_name=_("campaign"),
    )
    # A report keeps the rows of collaborations and creators deleted since it was computed (a
    # closed campaign's final report for ever): no constraint, and a deleted one joins to
    # nothing, as its categories and formats did when they were read beside the report.
    collaboration = models.ForeignKey(
        "campaigns.Collaboration",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("collaboration"),
    )
    creator = models.ForeignKey(
        "creators.Creator",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("creator"),
    )
    tier = models.CharField(_("tier"), max_length=16, blank=True)
    platform = models.CharField(_("platform"), max_length=16, blank=True)
    cost = models.FloatField(_("cost"), default=0)
    revenue = models.FloatField(_("revenue"), default=0)
    impressions = models.FloatField(_("impressions"), default=0)
    engagements = models.FloatField(_("engagements"), default=0)
    clicks = models.FloatField(_("clicks"), default=0)
    conversions = models.FloatField(_("conversions"), default=0)

    class Meta:
        verbose_name = _("campaign result line")
        verbose_name_plural = _("campaign result lines")

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.collaboration_id}"


def share_token() -> str:
    return secrets.token_urlsafe(32)


class SharedReport(TenantModel):
    """A read-only link to a campaign's dashboard for someone without an account (a client):
    unguessable, expiring and revocable; it shows figures and allows no change."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="shared_reports",
        verbose_name=_("campaign"),
    )
    token = models.CharField(max_length=64, unique=True, default=share_token, editable=False)
    label = models.CharField(_("for"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("shared by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_viewed_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("shared report link")
        verbose_name_plural = _("shared report links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.label or self.token[:6]}"

    def is_active(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now


def report_file_path(instance: ReportFile, filename: str) -> str:
    # Random, so a guessed path under MEDIA_ROOT names nothing; served only by the views.
    return f"reports/{instance.workspace_id}/{secrets.token_hex(16)}.{instance.file_format}"


class ReportFile(WorkerFile):
    """A campaign's report file (XLSX or PDF) built by a worker from one version of the stored
    figures, in one language: built once, downloaded as often as asked, until the figures
    change (a new version is another row; old ones are pruned, tracking.results.exports)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="report_files",
        verbose_name=_("campaign"),
    )
    # The version of the stored figures (CampaignResult.computed_at) the file shows.
    computed_at = models.DateTimeField(_("figures as of"))
    file = models.FileField(_("file"), upload_to=report_file_path, max_length=200, blank=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "computed_at", "file_format", "language"],
                name="report_file_one_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.file_format} @ {self.computed_at:%Y-%m-%d %H:%M}"


class EngagementBenchmark(TenantModel):
    """The engagement rate typical of a tier on a platform, as the workspace judges it; where
    it has no row, the documented default of tracking.results.scoring.defaults applies."""

    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices)
    rate = models.DecimalField(_("engagement rate"), max_digits=6, decimal_places=4)

    class Meta:
        verbose_name = _("engagement benchmark")
        verbose_name_plural = _("engagement benchmarks")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "tier"], name="benchmark_one_per_tier"
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=1), name="benchmark_rate_is_a_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.tier}: {self.rate}"


class AccountScore(TenantModel):
    """A social account's scores as last computed (tracking.results.scoring.creator), with
    the inputs of each authenticity signal so the page can explain it."""

    account = models.OneToOneField(
        "creators.SocialAccount",
        on_delete=models.CASCADE,
        related_name="score",
        verbose_name=_("account"),
    )
    engagement_rate = models.FloatField(_("engagement rate by followers"), null=True)
    stability = models.FloatField(_("coefficient of variation"), null=True)
    posts_used = models.PositiveSmallIntegerField(_("posts read"), default=0)
    benchmark = models.FloatField(_("tier benchmark"), null=True)
    authenticity = models.PositiveSmallIntegerField(_("authenticity"), null=True)
    signals = models.JSONField(_("signals"), default=dict)
    # Engagement by followers of the account's own posts outside any campaign, and of its
    # campaign posts over that: below 1 when its audience ignores sponsored posts.
    organic_rate = models.FloatField(_("organic engagement rate"), null=True)
    organic_posts = models.PositiveSmallIntegerField(_("organic posts read"), default=0)
    sponsored_vs_organic = models.FloatField(_("sponsored vs organic"), null=True)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("account score")
        verbose_name_plural = _("account scores")

    def __str__(self) -> str:
        return f"{self.account}: {self.authenticity}"


class RecomputeKind(models.TextChoices):
    CAMPAIGN = "campaign", _("campaign figures")
    ACCOUNT_SCORES = "scores", _("account scores of a workspace")


class RecomputeMark(models.Model):
    """Stored figures that an event made stale (a pull, an order, clicks, a new rate table),
    since the first such event: ingest and sales write the mark, results sweeps it a debounce
    after `since`, so a burst of events costs one computation and neither room calls results.

    Bookkeeping between rooms rather than a tenant's data: `target` is a campaign id or a
    workspace id, by kind, and the row is deleted when the sweep takes it.
    """

    kind = models.CharField(_("kind"), max_length=8, choices=RecomputeKind.choices)
    target = models.PositiveBigIntegerField(_("campaign or workspace"))
    since = models.DateTimeField(_("stale since"))

    class Meta:
        verbose_name = _("recompute mark")
        verbose_name_plural = _("recompute marks")
        constraints = [
            models.UniqueConstraint(fields=["kind", "target"], name="recompute_mark_once")
        ]
        indexes = [models.Index(fields=["since"], name="recompute_mark_since")]

    def __str__(self) -> str:
        return f"{self.kind} {self.target} since {self.since:%Y-%m-%d %H:%M:%S}"
