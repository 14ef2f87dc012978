"""Per-provider call budgets shared by every worker: a token bucket in Redis.

Without REDIS_URL (the embedded default, one worker process) the bucket lives in memory.
A caller takes a token and sleeps the wait it is given; a wait longer than `max_wait` takes
nothing and raises RateLimited, so a worker never sleeps through a whole batch's time limit.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from functools import cache

import redis
from django.conf import settings
from django.utils import timezone

from tracking.ingest.providers.base import RateLimited

# Returns the seconds to wait before the call (0 when a token was free); when the wait
# would exceed ARGV[3] no token is taken and the negative wait tells the caller to give up.
BUCKET_SCRIPT = """
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(now - at, 0) * rate)
local wait = 0
if tokens < 1 then
  wait = (1 - tokens) / rate
  if wait > max_wait then
    return tostring(-wait)
  end
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 60)
return tostring(wait)
"""


class MemoryBuckets:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: dict[str, tuple[float, float]] = {}

    def take(self, key: str, rate: float, capacity: float, max_wait: float) -> float:
        with self._lock:
            now = time.monotonic()
            tokens, at = self._state.get(key, (capacity, now))
            tokens = min(capacity, tokens + max(now - at, 0) * rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / rate
            if wait > max_wait:
                return -wait
            self._state[key] = (tokens - 1, now)
            return wait


class RedisBuckets:
    def __init__(self, url: str) -> None:
        self._script = redis.Redis.from_url(url).register_script(BUCKET_SCRIPT)

    def take(self, key: str, rate: float, capacity: float, max_wait: float) -> float:
        return float(self._script(keys=[f"kolhub:bucket:{key}"], args=[rate, capacity, max_wait]))


@cache
def buckets() -> MemoryBuckets | RedisBuckets:
    return RedisBuckets(settings.REDIS_URL) if settings.REDIS_URL else MemoryBuckets()


def throttle(platform: str, *, max_wait: float = 30.0) -> None:
    """Wait for the platform's next call slot, or raise RateLimited when it is far away."""
    per_minute = settings.PROVIDER_CALLS_PER_MINUTE.get(platform, 60)
    rate = per_minute / 60
    # Bursts of up to ten seconds' worth of calls; never less than one.
    wait = buckets().take(platform, rate, max(rate * 10, 1.0), max_wait)
    if wait < 0:
        raise RateLimited(
            f"{platform} call budget ({per_minute} a minute) used up by other workers",
            retry_at=timezone.now() + timedelta(seconds=-wait),
        )
    if wait:
        time.sleep(wait)
