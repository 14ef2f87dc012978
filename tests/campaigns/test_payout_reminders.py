"""Payout reminders on a frozen clock: installments due within three days or overdue remind the
collaboration's owner once each; a payment tells the creator what was paid, once, in their
portal's language."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from campaigns.models import InstallmentStatus, Reminder, ReminderKind, Stage
from campaigns.services import emails
from campaigns.services.payouts import installment_move
from campaigns.sweeps import reminders_send
from kolhub.models import Notification
from tests.campaigns.test_payouts_page import payee_for
from tests.campaigns.test_reminders import TODAY, at, kinds, outbox_to, send, spy_on_rendering
from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    InstallmentFactory,
    PortalLinkFactory,
)

S = InstallmentStatus
DUE, LATE, PAID = ReminderKind.PAYOUT_DUE, ReminderKind.PAYOUT_OVERDUE, ReminderKind.PAID_NOTICE


@pytest.fixture(autouse=True)
def _email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://kolhub.example.com"


@pytest.fixture
def clock():
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


@pytest.fixture
def campaign(clock, brand, alice, bob):
    # The assertions read the English wording; notices follow the reader's language.
    brand.workspace.language = "en"
    brand.workspace.save(update_fields=["language"])
    for user in (alice, bob):
        user.language = "en"
        user.save(update_fields=["language"])
    return CampaignFactory(brand=brand, owner=alice, name="Spring tea")


@pytest.fixture
def collab(campaign, bob):
    creator = CreatorFactory(workspace=campaign.workspace, email="mei@example.com")
    return CollaborationFactory(
        campaign=campaign, creator=creator, owner=bob, stage=Stage.PUBLISHED, fee=Decimal(50000)
    )


def installment(collab, days_left: int, **fields):
    return InstallmentFactory(
        collaboration=collab, due_on=TODAY + timedelta(days=days_left), **fields
    )


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(-1, {LATE}), (0, {DUE}), (3, {DUE}), (4, set())],
)
def test_it_reminds_of_a_payment_due_within_three_days_or_overdue(collab, days_left, expected):
    installment(collab, days_left)
    assert kinds(collab) == expected


@pytest.mark.parametrize("status", [S.PAID, S.CANCELLED])
def test_it_never_reminds_of_a_paid_or_cancelled_installment(collab, status):
    extra = {"paid_on": TODAY - timedelta(days=2)} if status == S.PAID else {}
    installment(collab, -1, status=status, **extra)
    assert kinds(collab) == set()


@pytest.mark.parametrize("status", [S.SCHEDULED, S.REQUESTED, S.APPROVED])
def test_it_reminds_of_every_open_installment(collab, status):
    installment(collab, -3, status=status)
    assert kinds(collab) == {LATE}


def test_it_tells_the_collaboration_owner_once(
    collab, bob, alice, django_capture_on_commit_callbacks
):
    installment(collab, -2)
    installment(collab, 1)
    send(django_capture_on_commit_callbacks)
    send(django_capture_on_commit_callbacks)
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == sorted([LATE, DUE])
    notes = Notification.objects.filter(user=bob)
    assert notes.count() == 2
    assert {n.message for n in notes} == {
        f"{collab.creator.display_name}: a payment is overdue since "
        f"{TODAY - timedelta(days=2)} (Spring tea)",
        f"{collab.creator.display_name}: a payment is due on {TODAY + timedelta(days=1)} "
        "(Spring tea)",
    }
    [message] = outbox_to(bob.email)
    assert "a payment is overdue since" in message.body
    assert not outbox_to(alice.email)
    assert not outbox_to("mei@example.com")  # the creator is not chased for the agency's debt


def test_it_tells_the_campaign_owner_when_the_collaboration_has_none(
    campaign, alice, django_capture_on_commit_callbacks
):
    collab = CollaborationFactory(campaign=campaign, owner=None, fee=Decimal(1000))
    installment(collab, 0)
    send(django_capture_on_commit_callbacks)
    assert outbox_to(alice.email)


def test_it_reminds_again_when_the_due_date_moves(
    collab, clock, django_capture_on_commit_callbacks
):
    late = installment(collab, -1)
    send(django_capture_on_commit_callbacks)
    late.due_on = TODAY + timedelta(days=2)
    late.save()
    send(django_capture_on_commit_callbacks)
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == sorted([LATE, DUE])


def test_the_daily_sweep_counts_payout_reminders(collab, django_capture_on_commit_callbacks):
    installment(collab, -1)
    with django_capture_on_commit_callbacks(execute=True):
        summary = reminders_send(now=at(TODAY))
    assert summary.sent == 1 and summary.failed == 0


# --- The creator told of a payment -------------------------------------------------------------


def pay(row, actor, capture, reference="TX-2026-031"):
    with capture(execute=True):
        return installment_move(
            installment=row,
            to=S.PAID,
            actor=actor,
            can_manage=True,
            paid_on=TODAY,
            reference=reference,
        )


def test_the_creator_learns_what_was_paid(collab, alice, django_capture_on_commit_callbacks):
    payee_for(collab)
    row = installment(collab, 0, status=S.APPROVED, label="On signing")
    PortalLinkFactory(collaboration=collab, language="en")
    pay(row, alice, django_capture_on_commit_callbacks)
    [message] = outbox_to("mei@example.com")
    assert message.subject == f"{collab.campaign.brand.name} paid you TWD 43,945"
    body = message.body
    assert "We paid “On signing” for “Spring tea” on 2026-03-10." in body
    assert "Gross: TWD 50,000" in body
    assert "Withholding tax: TWD 5,000" in body
    assert "NHI supplementary premium: TWD 1,055" in body
    assert "Net paid to you: TWD 43,945" in body
    assert "Payment reference: TX-2026-031" in body
    assert "/p/" in body  # the portal link
    assert Reminder.objects.get(kind=PAID).key == f"{PAID}:{row.pk}"


def test_the_notice_speaks_the_portal_links_language(
    collab, alice, django_capture_on_commit_callbacks, monkeypatch
):
    rendered = spy_on_rendering(monkeypatch)
    PortalLinkFactory(collaboration=collab, language="en")
    PortalLinkFactory(collaboration=collab, language="zh-hant")
    row = installment(collab, 0, status=S.APPROVED)
    pay(row, alice, django_capture_on_commit_callbacks)
    assert outbox_to("mei@example.com")
    assert rendered == [("campaigns/email/paid_notice.txt", "zh-hant")]  # the latest link's


def test_without_a_portal_link_the_notice_speaks_the_workspaces_language(
    collab, alice, django_capture_on_commit_callbacks, monkeypatch
):
    rendered = spy_on_rendering(monkeypatch)
    collab.workspace.language = "zh-hant"
    collab.workspace.save()
    row = installment(collab, 0, status=S.APPROVED)
    pay(row, alice, django_capture_on_commit_callbacks)
    [message] = outbox_to("mei@example.com")
    assert rendered == [("campaigns/email/paid_notice.txt", "zh-hant")]
    assert "/p/" not in message.body


def test_the_creator_is_told_at_most_once(collab, alice, django_capture_on_commit_callbacks):
    row = installment(collab, 0, status=S.APPROVED)
    pay(row, alice, django_capture_on_commit_callbacks)
    emails.paid_notice_email(installment_id=row.pk)  # a task delivered twice
    assert len(outbox_to("mei@example.com")) == 1
    assert Reminder.objects.filter(kind=PAID).count() == 1


def test_a_failed_mail_is_sent_on_the_retry(collab, alice, monkeypatch):
    row = installment(collab, 0, status=S.APPROVED)
    row.status, row.paid_on = S.PAID, TODAY
    row.paid_gross = row.paid_net = Decimal(50000)
    row.paid_withholding = row.paid_nhi = Decimal(0)
    row.save()

    def down(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(emails, "send_mail", down)
    with pytest.raises(OSError):
        emails.paid_notice_email(installment_id=row.pk)
    assert not Reminder.objects.filter(kind=PAID).exists()
    monkeypatch.undo()
    emails.paid_notice_email(installment_id=row.pk)
    assert len(outbox_to("mei@example.com")) == 1


def test_no_notice_before_the_payment_commits_nor_for_other_moves(
    collab, alice, django_capture_on_commit_callbacks
):
    row = installment(collab, 0)
    with django_capture_on_commit_callbacks(execute=True):
        installment_move(installment=row, to=S.APPROVED, actor=alice, can_manage=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        installment_move(installment=row, to=S.PAID, actor=alice, can_manage=True, paid_on=TODAY)
    assert len(callbacks) == 1 and not mail.outbox


def test_a_creator_without_email_gets_nothing(campaign, alice, django_capture_on_commit_callbacks):
    collab = CollaborationFactory(
        campaign=campaign,
        creator=CreatorFactory(workspace=campaign.workspace, email=""),
        fee=Decimal(1000),
    )
    row = installment(collab, 0, status=S.APPROVED)
    pay(row, alice, django_capture_on_commit_callbacks)
    assert not mail.outbox and not Reminder.objects.filter(kind=PAID).exists()


def test_the_notice_uses_the_ledgers_recorded_figures(
    collab, alice, django_capture_on_commit_callbacks
):
    payee_for(collab, kind="business", tax_id="12345675")
    row = installment(collab, 0, status=S.APPROVED)
    pay(row, alice, django_capture_on_commit_callbacks)
    body = outbox_to("mei@example.com")[0].body
    assert "Withholding tax: TWD 0" in body and "Net paid to you: TWD 50,000" in body
