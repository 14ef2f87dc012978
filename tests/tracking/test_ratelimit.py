"""Per-provider call budgets: a token bucket shared by every worker through Redis."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from tracking.ingest.providers.base import RateLimited
from tracking.ingest.ratelimit import MemoryBuckets, RedisBuckets, throttle


def drain(buckets, key: str, calls: int) -> list[float]:
    return [buckets.take(key, rate=1.0, capacity=3.0, max_wait=10.0) for _ in range(calls)]


def test_a_bucket_lets_a_burst_through_then_spaces_calls():
    waits = drain(MemoryBuckets(), "youtube", 5)
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == pytest.approx(1.0, abs=0.05)
    assert waits[4] == pytest.approx(2.0, abs=0.05)


def test_a_wait_beyond_the_limit_takes_nothing():
    buckets = MemoryBuckets()
    drain(buckets, "tiktok", 3)
    assert buckets.take("tiktok", rate=1.0, capacity=3.0, max_wait=0.5) < 0
    assert buckets.take("tiktok", rate=1.0, capacity=3.0, max_wait=5.0) == pytest.approx(
        1.0, abs=0.05
    )


@pytest.mark.skipif(not settings.REDIS_URL, reason="the shared bucket lives in Redis")
def test_two_workers_share_one_budget_in_redis():
    key = f"test-{uuid.uuid4().hex}"
    worker_a, worker_b = RedisBuckets(settings.REDIS_URL), RedisBuckets(settings.REDIS_URL)
    waits = [w.take(key, 1.0, 3.0, 10.0) for w in (worker_a, worker_b, worker_a, worker_b)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == pytest.approx(1.0, abs=0.1)


def test_throttle_gives_up_with_a_retry_time_when_the_budget_is_far_away(settings):
    settings.PROVIDER_CALLS_PER_MINUTE = {"facebook": 1}
    from tracking.ingest import ratelimit

    ratelimit.buckets.cache_clear()
    original = settings.REDIS_URL
    settings.REDIS_URL = ""
    try:
        throttle("facebook", max_wait=1)
        with pytest.raises(RateLimited) as raised:
            throttle("facebook", max_wait=1)
        assert "1 a minute" in raised.value.detail
    finally:
        settings.REDIS_URL = original
        ratelimit.buckets.cache_clear()
