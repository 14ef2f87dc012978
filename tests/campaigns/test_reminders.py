"""The daily reminder job on a frozen clock: what is due, for whom, sent once, in which language."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from campaigns.events import describe_event
from campaigns.models import (
    CollaborationEvent,
    Draft,
    DraftStatus,
    EventKind,
    Reminder,
    ReminderKind,
    Stage,
)
from campaigns.services import emails
from campaigns.services.reminders import reminders_due
from campaigns.sweeps import reminders_send
from campaigns.tasks import send_reminders
from kolhub.models import Membership, Notification
from tests.factories import (
    BrandFactory,
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    DeliverableFactory,
    DraftFactory,
    MembershipFactory,
    PortalLinkFactory,
    ShipmentFactory,
    UserFactory,
    WorkspaceFactory,
)

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
TODAY = date(2026, 3, 10)  # a Tuesday
SITE_URL = "https://kolhub.example.com"

DRAFT_SOON = ReminderKind.DRAFT_DUE_SOON
DRAFT_LATE = ReminderKind.DRAFT_OVERDUE
POST_SOON = ReminderKind.POST_DUE_SOON
POST_LATE = ReminderKind.POST_OVERDUE
RECEIPT = ReminderKind.RECEIPT_UNCONFIRMED
SILENT = ReminderKind.SILENT
RIGHTS = ReminderKind.RIGHTS_EXPIRING
LIVE_ENDS = ReminderKind.LIVE_PERIOD_ENDS


def at(day: date, hour: int = 9, zone: zoneinfo.ZoneInfo = TAIPEI) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone)


@pytest.fixture(autouse=True)
def _email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = SITE_URL


@pytest.fixture
def clock():
    """Tuesday 2026-03-10, 09:00 in Taipei (the workspace's default time zone), standing still."""
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


@pytest.fixture
def campaign(clock, brand, alice):
    return CampaignFactory(brand=brand, owner=alice, status="running", receipt_followup_days=7)


def collaboration(campaign, stage=Stage.DRAFTING, **fields):
    return CollaborationFactory(campaign=campaign, stage=stage, **fields)


def deliverable(collab, *, draft_due=None, publish_due=None, status="planned", **fields):
    return DeliverableFactory(
        collaboration=collab,
        draft_due=draft_due,
        publish_due=publish_due,
        status=status,
        **fields,
    )


def kinds(collab, today: date = TODAY) -> set[str]:
    """The kinds of reminder that apply to the collaboration on that day."""
    with timezone.override(TAIPEI):
        due = reminders_due(collab.workspace, today)
    return {d.kind for d in due if d.collaboration_id == collab.pk}


def send(capture) -> None:
    # The emails are enqueued on commit; the tasks then run eagerly.
    with capture(execute=True):
        reminders_send()


def outbox_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


# --- What is due -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(-1, {DRAFT_LATE}), (0, {DRAFT_SOON}), (1, {DRAFT_SOON}), (2, {DRAFT_SOON}), (3, set())],
)
def test_it_reminds_of_a_draft_due_within_two_days_or_overdue(campaign, days_left, expected):
    collab = collaboration(campaign)
    due = TODAY + timedelta(days=days_left)
    deliverable(collab, draft_due=due, publish_due=due + timedelta(days=20))
    assert kinds(collab) == expected


@pytest.mark.parametrize("status", ["planned", "drafting", "changes"])
def test_it_chases_a_draft_while_the_deliverable_waits_for_one(campaign, status):
    collab = collaboration(campaign)
    deliverable(
        collab,
        draft_due=TODAY - timedelta(days=1),
        publish_due=TODAY + timedelta(30),
        status=status,
    )
    assert kinds(collab) == {DRAFT_LATE}


def test_it_does_not_chase_a_draft_already_in_review(campaign):
    collab = collaboration(campaign, stage=Stage.IN_REVIEW)
    deliverable(
        collab,
        draft_due=TODAY - timedelta(days=1),
        publish_due=TODAY + timedelta(days=30),
        status="in_review",
    )
    assert kinds(collab) == set()


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(-3, {POST_LATE}), (0, {POST_SOON}), (2, {POST_SOON}), (3, set())],
)
def test_it_reminds_of_a_post_due_soon_or_overdue(campaign, days_left, expected):
    collab = collaboration(campaign, stage=Stage.APPROVED)
    publish_due = TODAY + timedelta(days=days_left)
    deliverable(
        collab,
        draft_due=publish_due - timedelta(days=10),
        publish_due=publish_due,
        status="approved",
    )
    assert kinds(collab) == expected


def test_it_does_not_chase_a_post_already_published(campaign):
    collab = collaboration(campaign, stage=Stage.PUBLISHED)
    deliverable(
        collab,
        draft_due=TODAY - timedelta(days=20),
        publish_due=TODAY - timedelta(days=5),
        status="published",
        published_at=at(TODAY - timedelta(days=5)),
    )
    assert kinds(collab) == set()


@pytest.mark.parametrize(("days_ago", "expected"), [(6, set()), (7, {RECEIPT}), (9, {RECEIPT})])
def test_it_chases_a_delivery_unconfirmed_after_the_campaigns_follow_up_delay(
    campaign, days_ago, expected
):
    collab = collaboration(campaign, stage=Stage.PRODUCT_SHIPPED)
    ShipmentFactory(collaboration=collab, shipped_on=TODAY - timedelta(days=days_ago))
    assert kinds(collab) == expected


def test_it_follows_each_campaigns_own_delay_for_deliveries(campaign):
    campaign.receipt_followup_days = 3
    campaign.save()
    collab = collaboration(campaign, stage=Stage.PRODUCT_SHIPPED)
    ShipmentFactory(collaboration=collab, shipped_on=TODAY - timedelta(days=3))
    assert kinds(collab) == {RECEIPT}


def test_it_does_not_chase_a_delivery_the_creator_confirmed(campaign):
    collab = collaboration(campaign, stage=Stage.PRODUCT_RECEIVED)
    ShipmentFactory(
        collaboration=collab,
        shipped_on=TODAY - timedelta(days=9),
        received_on=TODAY - timedelta(days=8),
    )
    # The creator confirmed it through the portal: heard from since shipping.
    collab.last_creator_activity_at = at(TODAY - timedelta(days=8))
    collab.save()
    assert kinds(collab) == set()


def test_it_flags_a_creator_silent_for_twice_the_follow_up_delay_since_shipping(campaign):
    collab = collaboration(
        campaign,
        stage=Stage.PRODUCT_SHIPPED,
        # Before the product went out: that does not count.
        last_creator_activity_at=at(TODAY - timedelta(days=20)),
    )
    ShipmentFactory(collaboration=collab, shipped_on=TODAY - timedelta(days=14))
    assert kinds(collab) == {RECEIPT, SILENT}
    assert kinds(collab, TODAY - timedelta(days=1)) == {RECEIPT}


def test_it_does_not_flag_a_creator_who_did_something_after_shipping(campaign):
    shipped = TODAY - timedelta(days=14)
    collab = collaboration(
        campaign, stage=Stage.PRODUCT_SHIPPED, last_creator_activity_at=at(shipped, hour=18)
    )
    ShipmentFactory(collaboration=collab, shipped_on=shipped)
    assert kinds(collab) == {RECEIPT}


def test_it_flags_a_silent_creator_once_even_with_two_parcels_shipped_the_same_day(
    campaign, django_capture_on_commit_callbacks
):
    collab = collaboration(campaign, stage=Stage.PRODUCT_SHIPPED)
    ShipmentFactory(collaboration=collab, shipped_on=TODAY - timedelta(days=14))
    ShipmentFactory(collaboration=collab, shipped_on=TODAY - timedelta(days=14), items="Mug")
    send(django_capture_on_commit_callbacks)
    # One delivery reminder per parcel, but one creator to consider gone.
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == [RECEIPT, RECEIPT, SILENT]


@pytest.mark.parametrize(("days_left", "found"), [(-1, False), (0, True), (14, True), (15, False)])
def test_it_warns_of_usage_rights_ending_within_two_weeks(campaign, days_left, found):
    collab = collaboration(
        campaign,
        stage=Stage.PUBLISHED,
        rights_starts_on=TODAY - timedelta(days=60),
        rights_ends_on=TODAY + timedelta(days=days_left),
    )
    assert (RIGHTS in kinds(collab)) is found


def test_it_warns_of_expiring_rights_after_the_collaboration_is_reported(campaign):
    # The content is still in use after the work is done: that is when rights matter.
    collab = collaboration(campaign, stage=Stage.REPORTED, rights_ends_on=TODAY + timedelta(days=5))
    assert kinds(collab) == {RIGHTS}


def test_it_sends_rights_reminders_in_a_workspace_with_only_finished_work(
    campaign, django_capture_on_commit_callbacks
):
    campaign.status = "closed"
    campaign.save()
    collab = collaboration(campaign, stage=Stage.REPORTED, rights_ends_on=TODAY + timedelta(days=5))
    send(django_capture_on_commit_callbacks)
    assert list(Reminder.objects.values_list("collaboration_id", "kind")) == [(collab.pk, RIGHTS)]


@pytest.mark.parametrize(
    ("min_live_days", "found"),
    [
        (31, False),  # ends tomorrow
        (30, True),  # ends today
        (23, True),  # ended a week ago: the first run still mentions it
        (22, False),  # longer ago than that is history
    ],
)
def test_it_says_when_a_posts_minimum_live_period_ends(campaign, min_live_days, found):
    collab = collaboration(campaign, stage=Stage.PUBLISHED, min_live_days=min_live_days)
    deliverable(
        collab,
        status="published",
        # Late in the evening, Taipei time: the day counted is Taipei's, not UTC's.
        published_at=at(TODAY - timedelta(days=30), hour=23),
    )
    assert (LIVE_ENDS in kinds(collab)) is found


def test_it_says_when_a_two_year_minimum_live_period_ends(campaign):
    collab = collaboration(campaign, stage=Stage.REPORTED, min_live_days=730)
    deliverable(collab, status="published", published_at=at(TODAY - timedelta(days=730)))
    assert kinds(collab) == {LIVE_ENDS}


def _every_kind_of_trouble(collab) -> None:
    """Overdue draft and post, and a parcel nobody confirmed, long ago."""
    deliverable(collab, draft_due=TODAY - timedelta(days=10), publish_due=TODAY - timedelta(days=5))
    ShipmentFactory(collaboration=collab, shipped_on=TODAY - timedelta(days=30))


@pytest.mark.parametrize(
    "stage", [Stage.REPORTED, Stage.CANCELLED, Stage.DECLINED, Stage.GHOSTED, Stage.NEGOTIATING]
)
def test_it_sends_no_deadline_reminders_for_finished_or_uncommitted_work(campaign, stage):
    collab = collaboration(campaign, stage=stage)
    _every_kind_of_trouble(collab)
    assert kinds(collab) == set()


@pytest.mark.parametrize("status", ["closed", "draft"])
@pytest.mark.parametrize("stage", [Stage.DRAFTING, Stage.PRODUCT_SHIPPED])
def test_it_sends_no_deadline_reminders_in_a_closed_or_draft_campaign(campaign, status, stage):
    campaign.status = status
    campaign.save()
    collab = collaboration(campaign, stage=stage)
    _every_kind_of_trouble(collab)
    assert kinds(collab) == set()


# --- Sent once ---------------------------------------------------------------------------------


def test_it_never_sends_the_same_reminder_twice_and_sends_only_new_ones_the_next_day(
    clock, campaign, django_capture_on_commit_callbacks
):
    collab = collaboration(campaign, creator=CreatorFactory(email="mei@example.com"))
    due_today = deliverable(collab, draft_due=TODAY, publish_due=TODAY + timedelta(days=20))
    due_in_3 = deliverable(
        collab, draft_due=TODAY + timedelta(days=3), publish_due=TODAY + timedelta(days=20)
    )
    late = deliverable(
        collab, draft_due=TODAY - timedelta(days=2), publish_due=TODAY + timedelta(days=20)
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send()
    assert (first.sent, first.already_sent) == (2, 0)
    emails_sent, notified = len(mail.outbox), Notification.objects.count()
    assert emails_sent == 3  # the owner's digest, and one email to the creator per deadline
    assert notified == 2

    with django_capture_on_commit_callbacks(execute=True):
        again = reminders_send()
    assert (again.sent, again.already_sent) == (0, 2)
    assert Reminder.objects.count() == 2
    assert len(mail.outbox) == emails_sent
    assert Notification.objects.count() == notified
    assert CollaborationEvent.objects.filter(kind=EventKind.REMINDER).count() == 2

    clock.move_to(at(TODAY + timedelta(days=1)))
    with django_capture_on_commit_callbacks(execute=True):
        next_day = reminders_send()
    assert (next_day.sent, next_day.already_sent) == (2, 1)
    assert set(Reminder.objects.values_list("key", flat=True)) == {
        f"{DRAFT_SOON}:{due_today.pk}:{TODAY}",
        f"{DRAFT_LATE}:{late.pk}:{late.draft_due}",
        f"{DRAFT_LATE}:{due_today.pk}:{TODAY}",
        f"{DRAFT_SOON}:{due_in_3.pk}:{due_in_3.draft_due}",
    }
    assert len(mail.outbox) == emails_sent + 3


def test_it_reminds_again_when_a_deadline_moves(campaign, django_capture_on_commit_callbacks):
    collab = collaboration(campaign)
    item = deliverable(collab, draft_due=TODAY, publish_due=TODAY + timedelta(days=20))
    send(django_capture_on_commit_callbacks)
    item.draft_due = TODAY + timedelta(days=1)
    item.save()
    send(django_capture_on_commit_callbacks)
    assert list(Reminder.objects.order_by("pk").values_list("due_on", flat=True)) == [
        TODAY,
        TODAY + timedelta(days=1),
    ]


# --- Notifications and the collaboration's log -------------------------------------------------


def test_it_notifies_the_collaborations_owner_with_a_link_to_it(
    campaign, workspace, alice, bob, django_capture_on_commit_callbacks
):
    collab = collaboration(campaign, owner=bob)
    deliverable(collab, draft_due=TODAY + timedelta(days=1), publish_due=TODAY + timedelta(9))
    send(django_capture_on_commit_callbacks)
    notification = Notification.objects.get()
    assert notification.user == bob
    assert notification.workspace == workspace
    assert notification.url == reverse("collaboration_detail", args=[workspace.slug, collab.pk])
    assert collab.creator.display_name in notification.message
    assert campaign.name in notification.message


def test_it_notifies_the_campaign_owner_when_the_collaboration_has_none(
    campaign, workspace, alice, django_capture_on_commit_callbacks
):
    collab = collaboration(campaign, owner=None)
    deliverable(collab, draft_due=TODAY - timedelta(days=1), publish_due=TODAY + timedelta(9))
    send(django_capture_on_commit_callbacks)
    notification = Notification.objects.get()
    assert notification.user == alice
    assert notification.url == reverse("collaboration_detail", args=[workspace.slug, collab.pk])


def test_it_logs_each_reminder_on_the_collaboration(campaign, django_capture_on_commit_callbacks):
    collab = collaboration(campaign)
    deliverable(collab, draft_due=TODAY - timedelta(days=1), publish_due=TODAY + timedelta(1))
    send(django_capture_on_commit_callbacks)
    events = CollaborationEvent.objects.filter(collaboration=collab, kind=EventKind.REMINDER)
    assert sorted(event.data["reminder"] for event in events) == ["draft_late", "post_soon"]
    assert {describe_event(event) for event in events} == {
        f"reminder sent: Draft overdue ({TODAY - timedelta(days=1)})",
        f"reminder sent: Post due soon ({TODAY + timedelta(days=1)})",
    }


def test_it_still_logs_a_reminder_nobody_owns(campaign, django_capture_on_commit_callbacks):
    campaign.owner = None
    campaign.save()
    collab = collaboration(campaign, owner=None)
    deliverable(collab, draft_due=TODAY, publish_due=TODAY + timedelta(days=9))
    send(django_capture_on_commit_callbacks)
    assert Notification.objects.count() == 0
    assert CollaborationEvent.objects.filter(collaboration=collab, kind="reminder").count() == 1


def test_it_does_not_tell_a_former_member_about_the_workspaces_work(
    campaign, workspace, alice, bob, django_capture_on_commit_callbacks
):
    collab = collaboration(campaign, owner=bob)
    deliverable(collab, draft_due=TODAY, publish_due=TODAY + timedelta(days=9))
    Membership.objects.filter(workspace=workspace, user=bob).delete()
    send(django_capture_on_commit_callbacks)
    assert list(Notification.objects.values_list("user_id", flat=True)) == [alice.pk]
    assert outbox_to(bob.email) == []
    assert len(outbox_to(alice.email)) == 1


def test_it_does_not_email_a_member_removed_before_the_email_went_out(
    campaign, workspace, alice, bob
):
    collab = collaboration(campaign, owner=bob)
    reminder = Reminder.objects.create(
        workspace=workspace, collaboration=collab, kind=DRAFT_SOON, key="k", due_on=TODAY
    )
    Membership.objects.filter(workspace=workspace, user=bob).delete()
    emails.staff_reminders_email(
        workspace_id=workspace.pk, user_id=bob.pk, reminder_ids=[reminder.pk]
    )
    assert mail.outbox == []


# --- Emails ------------------------------------------------------------------------------------


def test_it_sends_each_team_member_one_email_with_all_their_reminders(
    campaign, workspace, alice, bob, django_capture_on_commit_callbacks
):
    workspace.language = "en"
    workspace.save()
    first = collaboration(campaign, owner=bob, creator=CreatorFactory(display_name="Mei"))
    deliverable(first, draft_due=TODAY - timedelta(days=1), publish_due=TODAY + timedelta(2))
    second = collaboration(campaign, owner=bob, creator=CreatorFactory(display_name="Ken"))
    deliverable(second, draft_due=TODAY + timedelta(days=1), publish_due=TODAY + timedelta(9))
    unowned = collaboration(campaign, creator=CreatorFactory(display_name="Yu"))
    deliverable(unowned, draft_due=TODAY, publish_due=TODAY + timedelta(days=9))

    send(django_capture_on_commit_callbacks)

    [to_bob] = outbox_to(bob.email)
    assert to_bob.subject.startswith("3 ")  # Mei's draft and post, Ken's draft
    assert workspace.name in to_bob.subject
    for name, collab in (("Mei", first), ("Ken", second)):
        assert name in to_bob.body
        path = reverse("collaboration_detail", args=[workspace.slug, collab.pk])
        assert SITE_URL + path in to_bob.body
    assert "Yu" not in to_bob.body
    assert SITE_URL + reverse("my_tasks", args=[workspace.slug]) in to_bob.body
    [to_alice] = outbox_to(alice.email)
    assert "Yu" in to_alice.body
    assert "Mei" not in to_alice.body


def test_it_writes_to_the_team_member_in_their_own_language(
    campaign, bob, django_capture_on_commit_callbacks, monkeypatch
):
    bob.language = "zh-hant"
    bob.save()
    rendered = spy_on_rendering(monkeypatch)
    collab = collaboration(campaign, owner=bob)
    deliverable(collab, draft_due=TODAY, publish_due=TODAY + timedelta(days=9))
    send(django_capture_on_commit_callbacks)
    assert ("campaigns/email/staff_reminders.txt", "zh-hant") in rendered


def test_it_emails_the_creator_their_deadline_with_the_portal_link(
    campaign, django_capture_on_commit_callbacks
):
    creator = CreatorFactory(display_name="Mei", email="mei@example.com")
    collab = collaboration(campaign, creator=creator)
    link = PortalLinkFactory(collaboration=collab, language="en")
    deliverable(collab, draft_due=TODAY + timedelta(days=2), publish_due=TODAY + timedelta(9))

    send(django_capture_on_commit_callbacks)

    [message] = outbox_to("mei@example.com")
    assert message.subject == (
        f"Reminder from {campaign.brand.name}: Draft due soon on {TODAY + timedelta(days=2)}"
    )
    assert "Hi Mei," in message.body
    assert campaign.name in message.body
    assert SITE_URL + reverse("portal_home", args=[link.token]) in message.body
    # …and where they connect or reconnect their accounts (tracking/ingest/upkeep.py e-mails
    # them on its own when a connection they made breaks).
    assert SITE_URL + reverse("portal_accounts", args=[link.token]) in message.body


def test_it_emails_the_creator_without_a_link_that_no_longer_works(
    campaign, django_capture_on_commit_callbacks
):
    collab = collaboration(campaign, creator=CreatorFactory(email="mei@example.com"))
    revoked = PortalLinkFactory(collaboration=collab, language="en", revoked_at=timezone.now())
    expired = PortalLinkFactory(
        collaboration=collab, language="en", expires_at=timezone.now() - timedelta(days=1)
    )
    deliverable(collab, draft_due=TODAY - timedelta(days=1), publish_due=TODAY + timedelta(9))

    send(django_capture_on_commit_callbacks)

    [message] = outbox_to("mei@example.com")
    assert "/p/" not in message.body
    assert revoked.token not in message.body and expired.token not in message.body


def test_it_emails_the_creator_in_their_portals_language(
    campaign, django_capture_on_commit_callbacks, monkeypatch
):
    rendered = spy_on_rendering(monkeypatch)
    collab = collaboration(campaign, creator=CreatorFactory(email="mei@example.com"))
    link = PortalLinkFactory(collaboration=collab, language="zh-hant")
    deliverable(collab, draft_due=TODAY, publish_due=TODAY + timedelta(days=9))

    send(django_capture_on_commit_callbacks)

    assert ("campaigns/email/creator_reminder.txt", "zh-hant") in rendered
    [message] = outbox_to("mei@example.com")
    assert SITE_URL + reverse("portal_home", args=[link.token]) in message.body
    # Whatever the zh-Hant catalogue holds today (these strings are not translated yet), the
    # body carries its version of the portal line, not necessarily the English one.
    with translation.override("zh-hant"):
        portal_line = gettext("Your private page, with the brief, deadlines and uploads:")
    assert portal_line in message.body


def test_it_emails_the_creator_only_about_deadlines(campaign, django_capture_on_commit_callbacks):
    collab = collaboration(
        campaign,
        stage=Stage.PRODUCT_SHIPPED,
        creator=CreatorFactory(email="mei@example.com"),
        rights_ends_on=TODAY + timedelta(days=3),
    )
    ShipmentFactory(collaboration=collab, shipped_on=TODAY - timedelta(days=20))
    send(django_capture_on_commit_callbacks)
    assert set(Reminder.objects.values_list("kind", flat=True)) == {RECEIPT, SILENT, RIGHTS}
    assert outbox_to("mei@example.com") == []


def test_it_does_not_email_a_creator_without_an_address(
    campaign, alice, django_capture_on_commit_callbacks
):
    collab = collaboration(campaign, creator=CreatorFactory(email=""))
    deliverable(collab, draft_due=TODAY, publish_due=TODAY + timedelta(days=9))
    send(django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[alice.email]]


def test_it_keeps_a_line_break_in_a_name_out_of_the_email_subject(
    campaign, workspace, alice, django_capture_on_commit_callbacks
):
    workspace.name = "Alice\nAgency"
    workspace.save()
    campaign.brand.name = "Mountain\nTea"
    campaign.brand.save()
    collab = collaboration(campaign, creator=CreatorFactory(email="mei@example.com"))
    deliverable(collab, draft_due=TODAY, publish_due=TODAY + timedelta(days=9))
    send(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert all("\n" not in message.subject for message in mail.outbox)


def spy_on_rendering(monkeypatch) -> list[tuple[str, str]]:
    """Record each email template rendered, with the language active at the time."""
    rendered: list[tuple[str, str]] = []
    real = emails.render_to_string

    def spy(template_name, *args, **kwargs):
        rendered.append((template_name, translation.get_language()))
        return real(template_name, *args, **kwargs)

    monkeypatch.setattr(emails, "render_to_string", spy)
    return rendered


# --- The workspace's calendar ------------------------------------------------------------------


def test_it_counts_days_on_each_workspaces_own_calendar(db, django_capture_on_commit_callbacks):
    # 17:00 UTC on March 1st: already March 2nd in Taipei, still March 1st in Los Angeles.
    with time_machine.travel(datetime(2026, 3, 1, 17, 0, tzinfo=UTC), tick=False):
        collabs = {}
        for zone in ("Asia/Taipei", "America/Los_Angeles"):
            workspace = WorkspaceFactory(timezone=zone)
            owner = UserFactory()
            MembershipFactory(workspace=workspace, user=owner, role="owner")
            workspace_campaign = CampaignFactory(
                brand=BrandFactory(workspace=workspace), owner=owner
            )
            collab = collaboration(workspace_campaign, min_live_days=31)
            for draft_due in (date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 4)):
                deliverable(collab, draft_due=draft_due, publish_due=date(2026, 3, 20))
            # 07:00 UTC on January 30th: 15:00 that day in Taipei, the 29th in Los Angeles.
            deliverable(
                collab,
                status="published",
                published_at=datetime(2026, 1, 30, 7, 0, tzinfo=UTC),
            )
            collabs[zone] = collab
        send(django_capture_on_commit_callbacks)

    def sent(zone):
        return {(r.kind, r.due_on) for r in Reminder.objects.filter(collaboration=collabs[zone])}

    assert sent("Asia/Taipei") == {
        (DRAFT_LATE, date(2026, 3, 1)),
        (DRAFT_SOON, date(2026, 3, 2)),  # due "today" there
        (DRAFT_SOON, date(2026, 3, 4)),
        (LIVE_ENDS, date(2026, 3, 2)),
    }
    assert sent("America/Los_Angeles") == {
        (DRAFT_SOON, date(2026, 3, 1)),
        (DRAFT_SOON, date(2026, 3, 2)),
        (LIVE_ENDS, date(2026, 3, 1)),
    }


# --- The daily task ----------------------------------------------------------------------------


def test_it_runs_the_daily_task_end_to_end(campaign, alice, django_capture_on_commit_callbacks):
    collab = collaboration(campaign, creator=CreatorFactory(email="mei@example.com"))
    PortalLinkFactory(collaboration=collab, language="en")
    deliverable(collab, draft_due=TODAY, publish_due=TODAY + timedelta(days=9))

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders.delay()

    assert list(Reminder.objects.values_list("kind", flat=True)) == [DRAFT_SOON]
    assert Notification.objects.filter(user=alice).count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == [alice.email, "mei@example.com"]


def _draft_awaiting_the_brand(campaign, passed_at: datetime) -> Draft:
    campaign.brand_approval = True
    campaign.auto_approve_days = 1
    campaign.save()
    collab = collaboration(campaign, stage=Stage.IN_REVIEW)
    item = deliverable(
        collab,
        draft_due=TODAY - timedelta(days=5),
        publish_due=TODAY + timedelta(days=20),
        status="in_review",
    )
    return DraftFactory(
        deliverable=item, status=DraftStatus.AWAITING_BRAND, agency_approved_at=passed_at
    )


FRIDAY = date(2026, 3, 6)


def test_it_auto_approves_a_friday_draft_on_monday(
    clock, campaign, django_capture_on_commit_callbacks
):
    draft = _draft_awaiting_the_brand(campaign, at(FRIDAY, hour=15))
    clock.move_to(at(FRIDAY + timedelta(days=3), hour=8))  # Monday morning
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders.delay()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED
    assert draft.deliverable.status == "approved"


@pytest.mark.parametrize("days_later", [1, 2])  # Saturday, Sunday
def test_it_does_not_auto_approve_over_the_weekend(
    clock, campaign, days_later, django_capture_on_commit_callbacks
):
    draft = _draft_awaiting_the_brand(campaign, at(FRIDAY, hour=15))
    clock.move_to(at(FRIDAY + timedelta(days=days_later), hour=20))
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders.delay()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.AWAITING_BRAND
