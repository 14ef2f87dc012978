"""The app's writes to the core models: workspaces, brands, members, invitations, users,
notifications, heartbeats. Exchange rates, a core model, are written by tracking.results.services
next to the figures they convert; Django's auth views, the admin and seed_demo write their own."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kolhub.celery import send_task_after_commit
from kolhub.models import (
    Brand,
    Invitation,
    Membership,
    Notification,
    Role,
    TaskFailure,
    User,
    WorkerHeartbeat,
    Workspace,
)
from kolhub.redaction import redact
from kolhub.selectors import invitation_by_id_unscoped, nav_brands_forget


def _slug_candidates(name: str):
    """The plain slug first (if the name has Latin letters), then it with random suffixes."""
    base = slugify(name)[:50]
    if base and not Workspace.objects.filter(slug=base).exists():
        yield base
    while True:
        yield f"{base or 'ws'}-{secrets.token_hex(3)}"


@transaction.atomic
def workspace_create(
    *, owner: User, name: str, timezone_name: str = "", currency: str = "", language: str = ""
) -> Workspace:
    """Create a workspace with its creator as owner."""
    workspace = Workspace(
        name=name,
        timezone=timezone_name or settings.TIME_ZONE,
        currency=(currency or settings.DEFAULT_CURRENCY).upper(),
        language=language or settings.LANGUAGE_CODE,
    )
    for slug in _slug_candidates(name):
        workspace.slug = slug
        try:
            with transaction.atomic():  # a concurrent create may take the slug first
                workspace.save()
            break
        except IntegrityError:
            continue
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    return workspace


def workspace_update(*, workspace: Workspace) -> Workspace:
    """Save the workspace's name, time zone, currency, language and contract rule (validated by
    its form)."""
    workspace.save(
        update_fields=["name", "timezone", "currency", "language", "require_signed_contract"]
    )
    return workspace


def _other_owners(membership: Membership) -> int:
    # Lock every owner row: two owners demoting each other at once must not both succeed.
    owners = (
        Membership.objects.for_workspace(membership.workspace)
        .select_for_update()
        .filter(role=Role.OWNER)
        .values_list("pk", flat=True)
    )
    return len([pk for pk in owners if pk != membership.pk])


def _check_can_change(actor: Membership, target: Membership, new_role: str | None) -> None:
    # Only owners may touch owners or make new ones; a manager manages the rest.
    touches_owner = target.role == Role.OWNER or new_role == Role.OWNER
    if touches_owner and not actor.has_role(Role.OWNER):
        raise ValidationError(_("Only an owner can change an owner or appoint one."))
    if target.role == Role.OWNER and new_role != Role.OWNER and _other_owners(target) == 0:
        raise ValidationError(_("A workspace needs at least one owner."))


@transaction.atomic
def membership_update(
    *, actor: Membership, membership: Membership, role: str, brands: Iterable[Brand] = ()
) -> Membership:
    """Change a member's role and, for client viewers, the brands they may see."""
    # Judge against the stored role (a bound ModelForm has already changed the instance),
    # locked so two managers cannot demote the last two owners at once.
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _check_can_change(actor, membership, role)
    membership.role = role
    membership.save(update_fields=["role"])
    membership.brands.set(list(brands) if role == Role.CLIENT else [])
    nav_brands_forget(membership.workspace_id)
    return membership


@transaction.atomic
def membership_remove(*, actor: Membership, membership: Membership) -> None:
    """Remove a member from the workspace (their account stays)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _check_can_change(actor, membership, None)
    membership.delete()


def brand_save(*, brand: Brand) -> Brand:
    """Create or update a brand (its form has validated it)."""
    brand.save()
    nav_brands_forget(brand.workspace_id)
    return brand


def brand_set_archived(*, brand: Brand, archived: bool) -> Brand:
    """Archive or restore a brand (its campaigns and history stay)."""
    brand.is_archived = archived
    brand.save(update_fields=["is_archived"])
    nav_brands_forget(brand.workspace_id)
    return brand


def invitation_send_email(*, invitation_id: int, accept_url: str) -> None:
    """Email the invitation link, in the workspace's language (the invitee has none yet)."""
    invitation = invitation_by_id_unscoped(invitation_id)
    with translation.override(invitation.workspace.language):
        context = {
            "invitation": invitation,
            "url": accept_url,
            "inviter": invitation.invited_by.display_name if invitation.invited_by else "",
        }
        subject = _("You are invited to %(workspace)s on KOLHub") % {
            "workspace": invitation.workspace.name
        }
        body = render_to_string("kolhub/email/invitation.txt", context)
    # A header may not contain a line break, whatever the workspace is called.
    send_mail(" ".join(subject.splitlines()), body, None, [invitation.email])


@transaction.atomic
def invitation_create(
    *,
    site_url: str,
    workspace: Workspace,
    invited_by: User,
    email: str,
    role: str,
    brands: Iterable[Brand] = (),
) -> Invitation:
    """Invite someone by email; a pending invitation to the same address is replaced."""
    email = email.strip().lower()
    if Membership.objects.for_workspace(workspace).filter(user__email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already a member.") % {"email": email})
    Invitation.objects.for_workspace(workspace).pending().filter(email__iexact=email).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation.objects.create(
        workspace=workspace, email=email, role=role, invited_by=invited_by
    )
    if role == Role.CLIENT:
        invitation.brands.set(list(brands))
    _invitation_email_enqueue(invitation, site_url)
    return invitation


def _invitation_email_enqueue(invitation: Invitation, site_url: str) -> None:
    accept_url = site_url.rstrip("/") + reverse("invitation_accept", args=[invitation.token])
    send_task_after_commit("kolhub.tasks.send_invitation_email", invitation.pk, accept_url)


def invitation_resend(*, invitation: Invitation, site_url: str) -> None:
    """Email a pending invitation's link again; InvitationUnusable when it cannot be used."""
    invitation_check_usable(invitation)
    _invitation_email_enqueue(invitation, site_url)


def invitation_revoke(*, invitation: Invitation) -> None:
    """Withdraw a pending invitation; its link stops working."""
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


class InvitationUnusable(Exception):
    """The invitation was already used, revoked or has expired."""


def invitation_check_usable(invitation: Invitation) -> None:
    """Raise InvitationUnusable when the link was used, withdrawn or has expired."""
    if invitation.accepted_at:
        raise InvitationUnusable(_("This invitation has already been used."))
    if invitation.revoked_at:
        raise InvitationUnusable(_("This invitation was withdrawn by the workspace."))
    if invitation.is_expired:
        raise InvitationUnusable(
            _("This invitation expired on %(date)s.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d")}
        )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Attach the user to the invitation's workspace; the invitation cannot be used again."""
    # Lock the row so two tabs accepting at once cannot both succeed.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check_usable(invitation)
    if user.email.lower() != invitation.email.lower():
        # A forwarded or leaked link must not let another account in.
        raise InvitationUnusable(
            _(
                "This invitation was sent to %(invited)s, but you are signed in as %(current)s. "
                "Sign out, then open the link again."
            )
            % {"invited": invitation.email, "current": user.email}
        )
    if Membership.objects.for_workspace(invitation.workspace).filter(user=user).exists():
        raise InvitationUnusable(
            _("You are already a member of %(workspace)s.")
            % {"workspace": invitation.workspace.name}
        )
    membership = Membership.objects.create(
        workspace=invitation.workspace, user=user, role=invitation.role
    )
    if invitation.role == Role.CLIENT:
        membership.brands.set(invitation.brands.all())
        nav_brands_forget(membership.workspace_id)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def user_create_from_invitation(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> User:
    """Create the account an invitation was sent to."""
    user = User.objects.create_user(
        email=invitation.email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        language=invitation.workspace.language,
    )
    invitation_accept(invitation=invitation, user=user)
    return user


def user_set_language(*, user: User, language: str) -> None:
    """Remember the interface language the user chose."""
    user.language = language
    user.save(update_fields=["language"])


def heartbeat_record(*, hostname: str) -> None:
    """Note that a worker on this host just ran a task."""
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:255], defaults={"beat_at": timezone.now()}
    )


# Enough to see whether a task fails the same way every time; older failures are dropped.
TASK_FAILURES_KEPT = 20


@transaction.atomic
def task_failure_record(*, task: str, error: BaseException) -> None:
    """Store a task's final failure (type and redacted message) and drop its oldest beyond
    TASK_FAILURES_KEPT."""
    TaskFailure.objects.create(
        task=task[:200],
        failed_at=timezone.now(),
        error_type=type(error).__qualname__[:200],
        message=redact(str(error))[:500],
    )
    stale = TaskFailure.objects.filter(task=task[:200]).order_by("-failed_at", "-pk")
    stale_ids = list(stale.values_list("pk", flat=True)[TASK_FAILURES_KEPT:])
    if stale_ids:
        TaskFailure.objects.filter(pk__in=stale_ids).delete()


def notifications_mark_read(*, membership: Membership) -> int:
    """Mark all of the member's notifications in the workspace read."""
    return Notification.objects.filter(
        workspace=membership.workspace, user=membership.user, read_at__isnull=True
    ).update(read_at=timezone.now())


def notifications_create(*, workspace_id: int, items: list[tuple[int, str, str]]) -> None:
    """Notify users: (user id, message, link) each; the apps call this, never the other way."""
    Notification.objects.bulk_create(
        Notification(workspace_id=workspace_id, user_id=user_id, message=message[:500], url=url)
        for user_id, message, url in items
    )
