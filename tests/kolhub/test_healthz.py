from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kolhub import health
from tests.factories import WorkerHeartbeatFactory


def test_it_is_healthy_with_a_fresh_heartbeat(client, db):
    WorkerHeartbeatFactory(hostname="celery@a")
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["broker"]["ok"] and body["worker"]["ok"]
    assert body["worker"]["hostname"] == "celery@a"


def test_it_is_unhealthy_before_any_heartbeat(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["worker"] == {"ok": False, "error": "no heartbeat received yet"}


def test_it_is_unhealthy_with_a_stale_heartbeat(client, db, settings):
    WorkerHeartbeatFactory(
        beat_at=timezone.now() - timedelta(seconds=settings.HEARTBEAT_MAX_AGE_SECONDS + 5)
    )
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["worker"]["ok"] is False


def test_it_reads_the_newest_of_several_workers(client, db):
    WorkerHeartbeatFactory(hostname="old", beat_at=timezone.now() - timedelta(hours=1))
    WorkerHeartbeatFactory(hostname="new")
    assert client.get(reverse("healthz")).json()["worker"]["hostname"] == "new"


def test_it_reports_an_unreachable_broker(db, settings):
    from kolhub.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    try:
        result = health.check_broker()
    finally:
        app.conf.broker_url = original
    assert result["ok"] is False
    assert result["transport"] == "redis"
    assert result["error"]


def test_it_refuses_post(client, db):
    assert client.post(reverse("healthz")).status_code == 405


def test_it_is_not_cached(client, db):
    assert "no-cache" in client.get(reverse("healthz"))["Cache-Control"]
