"""Every write to the core models goes through here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kolhub.models import Brand, Invitation, Membership, Role, User, WorkerHeartbeat, Workspace

if TYPE_CHECKING:
    from django.http import HttpRequest


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=False)[:50] or "workspace"
    slug, n = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def workspace_create(
    *, owner: User, name: str, timezone_name: str = "", currency: str = "", language: str = ""
) -> Workspace:
    """Create a workspace with its creator as owner."""
    workspace = Workspace.objects.create(
        name=name,
        slug=_unique_slug(name),
        timezone=timezone_name or settings.TIME_ZONE,
        currency=(currency or settings.DEFAULT_CURRENCY).upper(),
        language=language or settings.LANGUAGE_CODE,
    )
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    return workspace


def _remaining_owners(membership: Membership) -> int:
    return (
        Membership.objects.for_workspace(membership.workspace)
        .filter(role=Role.OWNER)
        .exclude(pk=membership.pk)
        .count()
    )


def _check_can_change(actor: Membership, target: Membership, new_role: str | None) -> None:
    # Only owners may touch owners or make new ones; a manager manages the rest.
    touches_owner = target.role == Role.OWNER or new_role == Role.OWNER
    if touches_owner and not actor.has_role(Role.OWNER):
        raise ValidationError(_("Only an owner can change an owner or appoint one."))
    if target.role == Role.OWNER and new_role != Role.OWNER and _remaining_owners(target) == 0:
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
    return brand


def brand_set_archived(*, brand: Brand, archived: bool) -> Brand:
    brand.is_archived = archived
    brand.save(update_fields=["is_archived"])
    return brand


def invitation_url(request: HttpRequest, invitation: Invitation) -> str:
    return request.build_absolute_uri(reverse("invitation_accept", args=[invitation.token]))


def _send_invitation_email(request: HttpRequest, invitation: Invitation) -> None:
    # The email goes out in the workspace's language: the invitee has no preference yet.
    with translation.override(invitation.workspace.language):
        context = {
            "invitation": invitation,
            "url": invitation_url(request, invitation),
            "inviter": invitation.invited_by.display_name if invitation.invited_by else "",
        }
        subject = _("You are invited to %(workspace)s on KOLHub") % {
            "workspace": invitation.workspace.name
        }
        body = render_to_string("kolhub/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_create(
    *,
    request: HttpRequest,
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
    transaction.on_commit(lambda: _send_invitation_email(request, invitation))
    return invitation


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


class InvitationUnusable(Exception):
    """The invitation was already used, revoked or has expired."""


def invitation_check_usable(invitation: Invitation) -> None:
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
    membership, created = Membership.objects.get_or_create(
        workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
    )
    if created and invitation.role == Role.CLIENT:
        membership.brands.set(invitation.brands.all())
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
    user.language = language
    user.save(update_fields=["language"])


def heartbeat_record(*, hostname: str) -> None:
    """Note that a worker on this host just ran a task."""
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:255], defaults={"beat_at": timezone.now()}
    )
