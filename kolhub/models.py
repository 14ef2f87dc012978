"""Core models: users and the tenancy (workspaces, brands, memberships, invitations)."""

from __future__ import annotations

import base64
import secrets
import zoneinfo
from datetime import timedelta
from typing import ClassVar, Self

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kolhub.encryption import EncryptedTextField


class KOLHubUserManager(UserManager["User"]):
    """Users sign in with their email address; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # Addresses are stored lower-case; people type them however they like.
        return self.get(email__iexact=username)

    def create_user(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty to follow the browser."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = KOLHubUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


def validate_timezone(value: str) -> None:
    from django.core.exceptions import ValidationError

    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Workspace(models.Model):
    """An agency or an in-house team: the unit of tenancy."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("URL name"), max_length=60, unique=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Taipei", validators=[validate_timezone]
    )
    currency = models.CharField(_("currency"), max_length=3, default="TWD")
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hant"
    )
    is_demo = models.BooleanField(_("demo workspace"), default=False)
    require_signed_contract = models.BooleanField(
        _("a collaboration needs a signed contract to be “Contracted”"),
        default=False,
        help_text=_("Both the creator and the brand must have signed the current version."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="workspace_currency_iso4217"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TenantQuerySet(models.QuerySet):
    """The one way to read tenant-owned rows: scoped to a workspace."""

    def for_workspace(self, workspace: Workspace) -> Self:
        return self.filter(workspace=workspace)


class TenantModel(models.Model):
    """Every tenant-owned row carries its workspace, even where it could be derived."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", verbose_name=_("workspace")
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class WorkerFile(TenantModel):
    """A file a worker builds for a member (a report, a directory export): its state, its
    progress for the page that follows it, and why it failed; the file field is each model's,
    stored under its own folder."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        BUILDING = "building", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    file_format = models.CharField(_("format"), max_length=4)
    language = models.CharField(_("language"), max_length=15)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # {"step": "queued" | "reading" | "writing" | "done" | "failed", and the model's counts}
    progress = models.JSONField(_("progress"), default=dict, blank=True)
    # Why the file could not be built, in `language`.
    error = models.TextField(_("problem"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)


class Brand(TenantModel):
    """A client account of the workspace (or the in-house team's own brand)."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    industry = models.CharField(_("industry"), max_length=80, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="brand_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    MEMBER = "member", _("Member")
    CLIENT = "client", _("Client viewer")


# Higher rank may do everything a lower rank may.
ROLE_RANK = {Role.CLIENT: 0, Role.MEMBER: 1, Role.MANAGER: 2, Role.OWNER: 3}


class Membership(TenantModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    brands = models.ManyToManyField(
        Brand,
        blank=True,
        related_name="client_memberships",
        verbose_name=_("brands"),
        help_text=_("Client viewers see only these brands."),
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    # Not a column: the count of unread notifications memberships_of reads for a page's bell.
    unread_notifications: int

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["workspace", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.workspace} ({self.get_role_display()})"

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    @property
    def can_manage(self) -> bool:
        return self.has_role(Role.MANAGER)


def invitation_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class InvitationQuerySet(TenantQuerySet):
    def pending(self) -> Self:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(TenantModel):
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    brands = models.ManyToManyField(Brand, blank=True, related_name="+", verbose_name=_("brands"))
    token = models.CharField(max_length=64, unique=True, default=invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()  # type: ignore[misc]  # narrows TenantModel's

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.workspace}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def status(self) -> InvitationStatus:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.is_expired:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker host ran the heartbeat task (see /healthz)."""

    hostname = models.CharField(_("worker"), max_length=255, unique=True)
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class TaskFailure(models.Model):
    """A Celery task that failed for good (after its retries), for the admin's operations page.

    Only the task's name and the exception's type and redacted message: never the task's
    arguments, which may name a workspace's data. The newest few per task are kept
    (services.task_failure_record), so the table stays small without a sweep.
    """

    task = models.CharField(_("task"), max_length=200)
    failed_at = models.DateTimeField(_("failed at"))
    error_type = models.CharField(_("error type"), max_length=200)
    message = models.CharField(_("message"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("task failure")
        verbose_name_plural = _("task failures")
        ordering = ["-failed_at"]
        indexes = [models.Index(fields=["task", "-failed_at"], name="task_failure_newest")]

    def __str__(self) -> str:
        return f"{self.task} @ {self.failed_at:%Y-%m-%d %H:%M:%S}: {self.error_type}"


class Notification(TenantModel):
    """An in-app notice for one member (a reminder, an alert); the apps create them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["workspace", "user", "read_at"], name="notification_unread")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.message[:40]}"


class ExchangeRate(TenantModel):
    """One unit of `currency` is worth `rate` units of `into`; kept by the workspace itself, so
    a figure in another currency is converted at the rate the team agreed, never guessed."""

    currency = models.CharField(_("from currency"), max_length=3)
    into = models.CharField(_("into currency"), max_length=3)
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "into"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "currency", "into"], name="exchangerate_one_per_pair"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchangerate_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$") & Q(into__regex=r"^[A-Z]{3}$"),
                name="exchangerate_iso4217",
            ),
            models.CheckConstraint(
                condition=~Q(currency=models.F("into")), name="exchangerate_two_currencies"
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} {self.into}"


# --- Outgoing webhooks (kolhub.webhooks) -------------------------------------
# Named Outgoing* so they never read like tracking's incoming shop webhooks.


def webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


class OutgoingWebhookEndpoint(TenantModel):
    """An https address of the workspace's own systems, subscribed to some event types."""

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("events"), default=list)
    secret = EncryptedTextField(_("signing secret"), default=webhook_secret, editable=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    disabled_reason = models.CharField(_("why it was disabled"), max_length=40, blank=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("messages failed in a row"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["workspace", "enabled"], name="webhook_endpoint_enabled")]

    def __str__(self) -> str:
        return self.url


def webhook_message_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


class OutgoingWebhookMessage(TenantModel):
    """One event, sent to every endpoint subscribed to its type with the same webhook-id."""

    message_id = models.CharField(
        _("webhook-id"), max_length=40, unique=True, default=webhook_message_id, editable=False
    )
    event_type = models.CharField(_("event"), max_length=60)
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook message")
        verbose_name_plural = _("webhook messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.message_id}"


class OutgoingWebhookAttemptStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to send")
    SUCCEEDED = "succeeded", _("Delivered to the endpoint")
    FAILED = "failed", _("Failed to deliver")


class OutgoingWebhookAttempt(TenantModel):
    """One try of sending a message to an endpoint; a failed try schedules the next one."""

    endpoint = models.ForeignKey(
        OutgoingWebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="attempts",
        verbose_name=_("endpoint"),
    )
    message = models.ForeignKey(
        OutgoingWebhookMessage,
        on_delete=models.CASCADE,
        related_name="attempts",
        verbose_name=_("message"),
    )
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    is_resend = models.BooleanField(_("sent again by hand"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutgoingWebhookAttemptStatus.choices,
        default=OutgoingWebhookAttemptStatus.PENDING,
    )
    due_at = models.DateTimeField(_("due"), default=timezone.now)
    attempted_at = models.DateTimeField(_("attempted"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    error_code = models.CharField(_("error"), max_length=40, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="webhook_attempt_due"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_attempt_log"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.endpoint_id} #{self.number}"
