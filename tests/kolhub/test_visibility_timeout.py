"""Redis hands a message still unacknowledged after the visibility timeout to another worker,
whether or not its first worker is still at it: with late acknowledgement, every task must be
done, or killed by its hard time limit, well before, or it runs twice at once.

A task holds its message for at most its hard time limit, plus, when it is a retry, the
countdown it waits out inside the worker (the message is delivered at once and held).
"""

from __future__ import annotations

import random

import pytest
from django.conf import settings

from kolhub.celery import app
from tests.kolhub.test_configuration import manage
from tracking.tasks import backoff_seconds, pull_posts

OUR_APPS = ("kolhub.", "campaigns.", "creators.", "tracking.")


def hard_limit(task) -> float:
    return task.time_limit or app.conf.task_time_limit


def soft_limit(task) -> float:
    return task.soft_time_limit or app.conf.task_soft_time_limit


def longest_countdown(task, monkeypatch: pytest.MonkeyPatch) -> float:
    """The longest a retry of `task` waits for its countdown, its message unacknowledged."""
    if task.name == pull_posts.name:
        # Its own backoff with jitter (self.retry(countdown=...)): the jitter at its top.
        monkeypatch.setattr(random, "uniform", lambda low, high: high)
        return max(backoff_seconds(retries) for retries in range(task.max_retries))
    if getattr(task, "autoretry_for", ()):
        if not getattr(task, "retry_backoff", False):
            return task.default_retry_delay
        # What celery.app.autoretry computes, its jitter only shortening it.
        ceiling = getattr(task, "retry_backoff_max", 600)
        return min(int(task.retry_backoff) * 2 ** (task.max_retries - 1), ceiling)
    return 0


def test_every_task_lets_go_of_its_message_before_the_visibility_timeout(monkeypatch):
    timeout = settings.VISIBILITY_TIMEOUT_SECONDS
    assert {name for name in app.tasks if name.startswith(OUR_APPS)} >= {
        "kolhub.tasks.heartbeat",
        "campaigns.tasks.send_reminders",
        "tracking.tasks.pull_posts",
        "tracking.tasks.refresh_accounts",
        "tracking.tasks.recompute_account_scores",
    }
    held = {}
    for name, task in app.tasks.items():  # Celery's own tasks too: they get the defaults
        assert hard_limit(task) > soft_limit(task) > 0, name
        held[name] = hard_limit(task) + longest_countdown(task, monkeypatch)
        assert held[name] < timeout, f"{name} may hold its message {held[name]:.0f} s"


def test_a_task_of_a_killed_worker_runs_again_within_half_an_hour():
    assert settings.VISIBILITY_TIMEOUT_SECONDS <= 30 * 60


def test_the_redis_broker_gets_the_visibility_timeout_of_the_environment():
    # A process of its own: this one's broker may be the filesystem. Nothing connects to Redis.
    shown = manage(
        "shell",
        "-c",
        "from kolhub.celery import app; print(app.conf.broker_transport_options)",
        REDIS_URL="redis://127.0.0.1:6399/0",
        CELERY_VISIBILITY_TIMEOUT="900",
    )
    assert "'visibility_timeout': 900" in shown.stdout, shown.stderr


def test_the_worker_and_beat_never_give_up_reconnecting_to_the_broker():
    assert app.conf.broker_connection_retry
    assert app.conf.broker_connection_max_retries is None
