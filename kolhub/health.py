"""What /healthz reports: the database, the broker and the newest worker heartbeat."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from kolhub.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def _failure(what: str, exc: Exception) -> dict[str, Any]:
    # The endpoint is public: the details (hosts, users, URLs) go to the log only.
    logger.warning("healthz: %s check failed", what, exc_info=exc)
    return {"ok": False, "error": type(exc).__name__}


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return _failure("database", exc)
    return {"ok": True, "vendor": connection.vendor}


def check_broker() -> dict[str, Any]:
    from kolhub.celery import app

    transport = app.conf.broker_url.split("://", 1)[0]
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises many types; all mean the broker is unreachable
        return {**_failure("broker", exc), "transport": transport}
    return {"ok": True, "transport": transport}


def check_worker(max_age: int | None = None) -> dict[str, Any]:
    """The newest heartbeat, stale after `max_age` seconds (HEARTBEAT_MAX_AGE_SECONDS)."""
    try:
        latest = WorkerHeartbeat.objects.order_by("-beat_at").first()
    except Exception as exc:  # the database check reports the cause
        return _failure("worker heartbeat", exc)
    if latest is None:
        return {"ok": False, "error": "no heartbeat received yet"}
    age = (timezone.now() - latest.beat_at).total_seconds()
    max_age = max_age or settings.HEARTBEAT_MAX_AGE_SECONDS
    return {
        "ok": age <= max_age,
        "last_heartbeat": latest.beat_at.isoformat(),
        "hostname": latest.hostname,
        "age_seconds": round(age, 1),
        "max_age_seconds": max_age,
    }


def report() -> dict[str, Any]:
    checks = {"database": check_database(), "broker": check_broker(), "worker": check_worker()}
    status = "ok" if all(check["ok"] for check in checks.values()) else "error"
    return {"status": status, "time": timezone.now().isoformat(), **checks}
