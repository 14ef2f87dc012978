"""The admin's operations page: worker, queues, periodic tasks, quota, backlogs, refusals."""

from __future__ import annotations

import shutil
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from kolhub.celery import app
from kolhub.models import TaskFailure
from kolhub.services import TASK_FAILURES_KEPT, task_failure_record
from tests.factories import (
    PlatformConnectionFactory,
    PostFactory,
    UserFactory,
    WorkerHeartbeatFactory,
)
from tracking.ingest.quota import quota_spend
from tracking.models import ClickLogOffset, DeliveryOutcome, WebhookDelivery
from tracking.sales.conversions import sales_feed_create
from tracking.sales.webhooks import REFUSALS_KEPT, delivery_reject

URL = "/admin/operations/"


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    return client


def test_it_is_linked_from_the_admin_index(staff_client):
    assert reverse("admin_operations") == URL
    assert f'href="{URL}"' in staff_client.get("/admin/").text


def test_it_sends_visitors_and_non_staff_to_the_admin_login(client, alice):
    assert client.get(URL).url.startswith("/admin/login/")
    client.force_login(alice)
    assert client.get(URL).url.startswith("/admin/login/")


def test_it_refuses_post(staff_client):
    assert staff_client.post(URL).status_code == 405


def test_it_shows_a_stale_worker_stopped_and_a_fresh_one_running(staff_client, settings):
    beat = WorkerHeartbeatFactory(
        hostname="celery@a",
        beat_at=timezone.now() - timedelta(seconds=settings.WORKER_STOPPED_AFTER_SECONDS + 5),
    )
    page = staff_client.get(URL).text
    assert 'data-worker-state="stopped"' in page and "celery@a" in page
    beat.beat_at = timezone.now()
    beat.save()
    assert 'data-worker-state="alive"' in staff_client.get(URL).text


def test_it_shows_a_stopped_worker_before_any_heartbeat(staff_client):
    page = staff_client.get(URL).text
    assert 'data-worker-state="stopped"' in page and "No heartbeat received yet." in page


def test_it_counts_the_queued_tasks_without_taking_them(staff_client):
    app.conf.task_always_eager = False
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
        app.send_task("kolhub.tasks.heartbeat")
        app.send_task("kolhub.tasks.heartbeat")
        response = staff_client.get(URL)
        assert response.context["queues"][0].name == "celery"
        assert response.context["queues"][0].waiting == 2
        # Counted, not consumed: the tasks are still there.
        assert staff_client.get(URL).context["queues"][0].waiting == 2
        conn.default_channel.queue_purge("celery")


def test_it_shows_each_periodic_task_with_its_last_run_and_last_failure(staff_client, settings):
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    ran = timezone.now() - timedelta(minutes=2)
    PeriodicTask.objects.create(
        name="tracking-schedule-pulls",
        task="tracking.tasks.schedule_pulls",
        interval=every_minute,
        last_run_at=ran,
    )
    task_failure_record(task="tracking.tasks.schedule_pulls", error=ValueError("first"))
    task_failure_record(
        task="tracking.tasks.schedule_pulls",
        error=RuntimeError("https://api.example/v1?access_token=SECRET123 answered 500"),
    )
    response = staff_client.get(URL)
    rows = {row.name: row for row in response.context["periodic"]}
    assert set(rows) == set(settings.CELERY_BEAT_SCHEDULE)
    pulls = rows["tracking-schedule-pulls"]
    assert pulls.last_run_at == ran and pulls.enabled is True
    assert pulls.last_failure.error_type == "RuntimeError"
    assert "SECRET123" not in response.text and "[redacted]" in response.text
    assert pulls.failures_url.endswith("?task=tracking.tasks.schedule_pulls")
    failures = staff_client.get(pulls.failures_url)
    assert failures.status_code == 200 and "RuntimeError" in failures.text
    assert rows["worker-heartbeat"].last_failure is None


def test_it_keeps_the_newest_failures_of_each_task(db):
    for n in range(TASK_FAILURES_KEPT + 3):
        task_failure_record(task="kolhub.tasks.heartbeat", error=ValueError(f"n{n}"))
    task_failure_record(task="campaigns.tasks.send_reminders", error=ValueError("other"))
    kept = TaskFailure.objects.filter(task="kolhub.tasks.heartbeat")
    assert kept.count() == TASK_FAILURES_KEPT
    assert not kept.filter(message__in=["n0", "n1", "n2"]).exists()
    assert TaskFailure.objects.filter(task="campaigns.tasks.send_reminders").count() == 1


def test_a_task_that_fails_for_good_is_recorded_by_name_without_its_arguments(db):
    from celery import shared_task

    @shared_task(name="tests.operations.fails")
    def fails(secret_argument: str) -> None:
        raise LookupError("no such row")

    fails.apply(args=["do-not-store-me"])
    failure = TaskFailure.objects.get(task="tests.operations.fails")
    assert (failure.error_type, failure.message) == ("LookupError", "no such row")
    assert "do-not-store-me" not in failure.message


def test_it_names_each_quota_key_by_label_and_last_four_never_the_key(staff_client, settings):
    settings.YOUTUBE_API_KEY = "AIzaServerKey0000WXYZ"
    connection = PlatformConnectionFactory(
        platform="youtube", kind="api_key", label="Brand key", token="AIzaBrandKey1111ABCD"
    )
    quota_spend(platform="youtube", token=settings.YOUTUBE_API_KEY, units=3, limit=10_000)
    quota_spend(platform="youtube", token=connection.token, units=5, limit=10_000)
    oauth = PlatformConnectionFactory(platform="youtube", kind="oauth", token="ya29.access9876")
    quota_spend(platform="youtube", token=oauth.token, units=2, limit=10_000)
    quota_spend(platform="youtube", token="AIzaGoneKey", units=1, limit=10_000)
    response = staff_client.get(URL)
    keys = {use.key: use.units for use in response.context["quota"]}
    assert keys["server key …WXYZ"] == 3
    assert keys[f"Brand key ({connection.workspace.name}) …ABCD"] == 5
    assert keys[f"{oauth.label} ({oauth.workspace.name}) …9876"] == 2
    assert any(key.startswith("unknown key (fingerprint ") for key in keys)
    for secret in ("AIzaServerKey0000WXYZ", "AIzaBrandKey1111ABCD", "ya29.access", "AIzaGoneKey"):
        assert secret not in response.text
    assert "3 of 10000" in response.text
    for use in response.context["quota"]:
        assert staff_client.get(use.url).status_code == 200


def test_it_counts_posts_due_and_overdue_and_links_to_them(staff_client):
    now = timezone.now()
    PostFactory(next_pull_at=now - timedelta(minutes=1))
    late = PostFactory(next_pull_at=now - timedelta(hours=1))
    PostFactory(next_pull_at=now + timedelta(hours=1))
    PostFactory(next_pull_at=None)
    response = staff_client.get(URL)
    pulls = response.context["pulls"]
    assert (pulls.due, pulls.overdue) == (2, 1)
    overdue = staff_client.get(pulls.overdue_url)
    assert overdue.status_code == 200 and overdue.context["cl"].result_count == 1
    assert list(overdue.context["cl"].result_list) == [late]
    assert staff_client.get(pulls.due_url).context["cl"].result_count == 2


def test_it_measures_the_click_log_not_yet_drained(staff_client, settings):
    directory = Path(settings.CLICK_LOG_DIR)
    directory.mkdir(parents=True)
    hour = int(time.time() // 3600)
    drained = directory / f"clicks-web-1-{hour}.log"
    drained.write_bytes(b"line one\nline two\n")
    ClickLogOffset.objects.create(name=drained.name, offset=len(b"line one\n"))
    fresh = directory / f"clicks-web-2-{hour}.log"
    fresh.write_bytes(b"a\nb\nhalf a li")
    done = directory / f"clicks-web-3-{hour}.log"
    done.write_bytes(b"x\n")
    ClickLogOffset.objects.create(name=done.name, offset=2)
    clicks = staff_client.get(URL).context["clicks"]
    assert (clicks.files, clicks.lines) == (2, 3)
    assert clicks.bytes == len(b"line two\n") + len(b"a\nb\nhalf a li")


def refuse(feed, reason: str) -> None:
    delivery_reject(
        feed=feed,
        event_id="",
        topic="orders/create",
        outcome=DeliveryOutcome.REFUSED,
        reason=reason,
    )


def test_it_lists_the_last_refused_webhooks_and_why(staff_client, workspace):
    feed = sales_feed_create(
        workspace_id=workspace.pk, channel="shopify", label="Tea store", secret="s3cret"
    )
    refuse(feed, "invalid signature")
    response = staff_client.get(URL)
    (refusal,) = response.context["refusals"]
    assert (refusal.outcome, refusal.reason, refusal.workspace) == (
        DeliveryOutcome.REFUSED.label,
        "invalid signature",
        workspace.name,
    )
    listed = staff_client.get(refusal.url)
    assert listed.status_code == 200 and listed.context["cl"].result_count == 1


def test_it_keeps_the_newest_refusals_of_each_feed(db, workspace):
    feed = sales_feed_create(workspace_id=workspace.pk, channel="woocommerce", label="Lumi")
    for n in range(REFUSALS_KEPT + 2):
        refuse(feed, f"r{n}")
    assert WebhookDelivery.objects.count() == REFUSALS_KEPT
    assert not WebhookDelivery.objects.filter(reason__in=["r0", "r1"]).exists()


def test_it_answers_in_a_constant_number_of_queries(
    staff_client, workspace, django_assert_max_num_queries
):
    feed = sales_feed_create(workspace_id=workspace.pk, channel="shopify", label="Tea store")
    for n in range(5):
        refuse(feed, f"r{n}")
        PostFactory(next_pull_at=timezone.now() - timedelta(hours=n))
        task_failure_record(task="tracking.tasks.drain_clicks", error=ValueError(str(n)))
    with django_assert_max_num_queries(15):
        assert staff_client.get(URL).status_code == 200


def test_the_webhooks_note_what_they_refuse_and_keep_what_they_apply(db, workspace):
    from django.test import Client

    feed = sales_feed_create(
        workspace_id=workspace.pk, channel="shopify", label="Tea store", secret="s3cret"
    )
    bad = Client().post(
        f"/hooks/shopify/{feed.token}/",
        b"{}",
        content_type="application/json",
        HTTP_X_SHOPIFY_HMAC_SHA256="bm90IHRoZSBzaWduYXR1cmU=",
    )
    assert bad.status_code == 401
    refusal = WebhookDelivery.objects.get()
    assert (refusal.feed, refusal.outcome) == (feed, DeliveryOutcome.REFUSED)
    assert refusal.reason and not refusal.body


def test_an_unreadable_signed_order_is_noted_and_not_applied(db, workspace):
    import base64
    import hashlib
    import hmac

    from django.test import Client

    feed = sales_feed_create(workspace_id=workspace.pk, channel="woocommerce", label="Lumi")
    body = b"not json"
    signature = base64.b64encode(hmac.new(feed.secret.encode(), body, hashlib.sha256).digest())
    response = Client().post(
        f"/hooks/woocommerce/{feed.token}/",
        body,
        content_type="application/json",
        HTTP_X_WC_WEBHOOK_SIGNATURE=signature.decode(),
        HTTP_X_WC_WEBHOOK_DELIVERY_ID="d-1",
        HTTP_X_WC_WEBHOOK_TOPIC="order.created",
    )
    assert response.status_code == 400
    # Noted as unreadable, not applied: a corrected resend of the same event still applies.
    noted = WebhookDelivery.objects.get()
    assert noted.outcome == DeliveryOutcome.UNREADABLE and noted.reason


def test_the_htmx_refresh_answers_the_worker_part_only(staff_client):
    WorkerHeartbeatFactory(hostname="celery@a")
    response = staff_client.get(URL, {"part": "worker"}, headers={"HX-Request": "true"})
    assert 'data-worker-state="alive"' in response.text
    assert 'id="ops-worker"' in response.text and "ops-periodic" not in response.text
    assert "<html" not in response.text


def test_it_counts_the_queued_tasks_on_redis_at_every_priority(staff_client, tmp_path):
    from tests.kolhub.test_worker_reconnect import RedisServer

    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server on PATH, to start a Redis of its own")
    (tmp_path / "redis").mkdir()
    server = RedisServer(tmp_path / "redis")
    server.start()
    app.conf.task_always_eager = False
    default_url = app.conf.broker_url
    app.conf.broker_url = server.url
    try:
        assert staff_client.get(URL).context["queues"][0].waiting == 0  # no list, no key
        # Through a connection of its own: the app's producer pool still holds the first broker.
        with app.connection_for_write(server.url) as conn:
            app.send_task("kolhub.tasks.heartbeat", connection=conn)
            # Another priority step: kombu's Redis transport keeps it in another list.
            app.send_task("kolhub.tasks.heartbeat", connection=conn, priority=5)
        assert staff_client.get(URL).context["queues"][0].waiting == 2
    finally:
        app.conf.broker_url = default_url
        server.stop()


def test_by_default_a_stopped_worker_shows_within_a_minute():
    # Stale after WORKER_STOPPED_AFTER_SECONDS, seen at the worker part's next refresh.
    from django.conf import settings as defaults

    from tracking import ops

    assert defaults.WORKER_STOPPED_AFTER_SECONDS + ops.REFRESH_SECONDS <= 60
    assert defaults.WORKER_STOPPED_AFTER_SECONDS <= defaults.HEARTBEAT_MAX_AGE_SECONDS
