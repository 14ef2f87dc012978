"""Reminder emails, rendered in the reader's language with links to the app or the portal."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.models import Installment, InstallmentStatus, PortalLink, Reminder, ReminderKind
from campaigns.payouts.ledger import ledger_rows
from campaigns.services.reminders import Due, reminder_message
from kolhub.formatting import money
from kolhub.models import User, Workspace
from kolhub.selectors import team_users


def _one_line(subject: str) -> str:
    # A header may not contain a line break, whatever the workspace or brand is called.
    return " ".join(subject.splitlines())


def _due(reminder: Reminder) -> Due:
    due_on = reminder.due_on or timezone.localdate(reminder.sent_at)
    return Due(reminder.kind, reminder.key, reminder.collaboration_id, due_on)


def staff_reminders_email(*, workspace_id: int, user_id: int, reminder_ids: list[int]) -> None:
    """Today's reminders for one team member, as one email."""
    workspace = Workspace.objects.get(pk=workspace_id)
    user = User.objects.get(pk=user_id)
    reminders = list(
        Reminder.objects.filter(workspace=workspace, pk__in=reminder_ids)
        .select_related("collaboration__creator", "collaboration__campaign")
        .order_by("due_on", "pk")
    )
    # Checked again at sending time: the member may have left since the reminders were made.
    in_team = team_users(workspace).filter(pk=user.pk).exists()
    if not reminders or not user.is_active or not in_team:
        return
    with translation.override(user.language or workspace.language):
        lines = [
            (
                reminder_message(_due(r), r.collaboration),
                settings.SITE_URL
                + reverse("collaboration_detail", args=[workspace.slug, r.collaboration_id]),
            )
            for r in reminders
        ]
        subject = ngettext(
            "%(count)s reminder for today in %(workspace)s",
            "%(count)s reminders for today in %(workspace)s",
            len(lines),
        ) % {
            "count": len(lines),
            "workspace": workspace.name,
        }
        body = render_to_string(
            "campaigns/email/staff_reminders.txt",
            {
                "user": user,
                "lines": lines,
                "tasks_url": settings.SITE_URL + reverse("my_tasks", args=[workspace.slug]),
            },
        )
    send_mail(_one_line(subject), body, None, [user.email])


def _reminder_unscoped(reminder_id: int) -> Reminder:
    """The reminder with this id, from any workspace: the task carries only the reminder's id."""
    return Reminder.objects.select_related(
        "workspace", "collaboration__creator", "collaboration__campaign__brand"
    ).get(pk=reminder_id)


def creator_reminder_email(*, reminder_id: int) -> None:
    """A deadline reminder for the creator, with their portal link when they have one."""
    reminder = _reminder_unscoped(reminder_id)
    collaboration = reminder.collaboration
    creator = collaboration.creator
    if not creator.email:
        return
    link = (
        PortalLink.objects.filter(
            collaboration=collaboration, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )
    language = link.language if link else reminder.workspace.language
    with translation.override(language):
        context = {
            "creator": creator,
            "campaign": collaboration.campaign,
            "reminder": reminder,
            "portal_url": settings.SITE_URL + reverse("portal_home", args=[link.token])
            if link
            else "",
            # Where the creator connects (or reconnects) their accounts, so their numbers are
            # read from the platforms instead of being sent by hand.
            "accounts_url": settings.SITE_URL + reverse("portal_accounts", args=[link.token])
            if link
            else "",
        }
        subject = _("Reminder from %(brand)s: %(what)s on %(date)s") % {
            "brand": collaboration.campaign.brand.name,
            "what": reminder.get_kind_display(),
            "date": reminder.due_on.isoformat() if reminder.due_on else "",
        }
        body = render_to_string("campaigns/email/creator_reminder.txt", context)
    send_mail(_one_line(subject), body, None, [creator.email])


def _installment_unscoped(installment_id: int) -> Installment | None:
    """The installment with this id, from any workspace: the task carries only its id."""
    return (
        Installment.objects.select_related(
            "workspace", "collaboration__creator", "collaboration__campaign__brand"
        )
        .filter(pk=installment_id)
        .first()
    )


def paid_notice_email(*, installment_id: int) -> None:
    """Tell the creator an installment was paid: gross, withheld, NHI, net, date, reference; in
    the language of their latest portal link (else the workspace's), at most once."""
    installment = _installment_unscoped(installment_id)
    if installment is None or installment.status != InstallmentStatus.PAID:
        return
    collaboration = installment.collaboration
    creator = collaboration.creator
    if not creator.email:
        return
    link = (
        PortalLink.objects.filter(collaboration=collaboration)
        .order_by("-created_at", "-pk")
        .first()
    )
    usable = link is not None and link.revoked_at is None and link.expires_at > timezone.now()
    language = link.language if link else installment.workspace.language
    try:
        # The reminder row and the mail succeed together: a mail server that is down rolls the
        # row back and the task's retry sends it; a second run finds the row and stops.
        with transaction.atomic():
            Reminder.objects.create(
                workspace=installment.workspace,
                collaboration=collaboration,
                kind=ReminderKind.PAID_NOTICE,
                key=f"{ReminderKind.PAID_NOTICE}:{installment.pk}",
                due_on=installment.paid_on,
            )
            _send_paid_notice(installment, language, link.token if usable and link else "")
    except IntegrityError:
        return  # told already


def _send_paid_notice(installment: Installment, language: str, token: str) -> None:
    collaboration = installment.collaboration
    figures = ledger_rows(installment.workspace, [installment])[0].figures
    with translation.override(language):
        context = {
            "creator": collaboration.creator,
            "campaign": collaboration.campaign,
            "installment": installment,
            "gross": money(figures.gross, "TWD"),
            "withholding": money(figures.withholding_tax, "TWD"),
            "nhi": money(figures.nhi_supplement, "TWD"),
            "net": money(figures.net, "TWD"),
            "amount": money(installment.amount, installment.currency, -2),
            "foreign": installment.currency != "TWD",
            "portal_url": settings.SITE_URL + reverse("portal_home", args=[token]) if token else "",
        }
        subject = _("%(brand)s paid you %(net)s") % {
            "brand": collaboration.campaign.brand.name,
            "net": context["net"],
        }
        body = render_to_string("campaigns/email/paid_notice.txt", context)
    send_mail(_one_line(subject), body, None, [collaboration.creator.email])
