"""kolhub.ratelimit: counts per subject and window in the shared cache."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import caches

from kolhub import ratelimit

START = datetime(2026, 3, 2, 9, 0, 30, tzinfo=UTC)


def test_it_counts_up_to_the_limit_then_past_it():
    with time_machine.travel(START, tick=False):
        usages = [ratelimit.hit("test", "a", limit=2, seconds=3600) for _ in range(3)]
    assert [u.count for u in usages] == [1, 2, 3]
    assert [u.exceeded for u in usages] == [False, False, True]
    assert usages[0].retry_after == 3600 - 30 + 1


def test_each_subject_and_scope_counts_alone():
    with time_machine.travel(START, tick=False):
        ratelimit.hit("test", "a", limit=1, seconds=60)
        assert ratelimit.hit("test", "b", limit=1, seconds=60).count == 1
        assert ratelimit.hit("other", "a", limit=1, seconds=60).count == 1


def test_a_new_window_starts_from_zero():
    with time_machine.travel(START, tick=False) as clock:
        ratelimit.hit("test", "a", limit=1, seconds=60)
        clock.shift(timedelta(seconds=29))
        assert ratelimit.hit("test", "a", limit=1, seconds=60).count == 2
        clock.shift(timedelta(seconds=1))  # 09:01:00
        assert ratelimit.hit("test", "a", limit=1, seconds=60).count == 1


def test_no_hit_is_lost_when_processes_count_at_once():
    # Threads opening the lock file each for themselves exclude each other as processes do.
    counts: list[int] = []

    def hits() -> None:
        for _ in range(25):
            counts.append(ratelimit.hit("test", "shared", limit=1000, seconds=3600).count)

    threads = [threading.Thread(target=hits) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 201))


def test_no_subject_is_stored_in_clear(monkeypatch):
    keys: list[str] = []
    increment = ratelimit._increment
    monkeypatch.setattr(
        ratelimit, "_increment", lambda key, t: keys.append(key) or increment(key, t)
    )
    ratelimit.hit("test", "alice@example.com", limit=1, seconds=60)
    assert len(keys) == 1 and "alice" not in keys[0]


@pytest.mark.parametrize(
    ("ip", "counted_as"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.5", "203.0.113.5"),  # an IPv4 client on a dual-stack socket
        ("", ""),
        ("not an address", "not an address"),
    ],
)
def test_a_client_is_its_address_or_its_ipv6_network(ip, counted_as):
    assert ratelimit.network(ip) == counted_as


def test_a_cache_server_that_is_down_blocks_no_password_reset(client, alice, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens here
        }
    }
    caches._settings = None  # rebuild from the new settings
    try:
        for _ in range(2):
            response = client.post("/accounts/password/reset/", {"email": "alice@example.com"})
            assert response.status_code == 302
    finally:
        caches._settings = None
    assert len(mail.outbox) == 2
