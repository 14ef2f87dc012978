"""How often a client may do something, counted where every web process sees the count.

One count per subject (an e-mail address, a client's network) and fixed window: the window
is `seconds` long and starts at a multiple of `seconds` by the wall clock, so every count
starts again at zero when its window ends. Counts live in the shared cache: Redis with
REDIS_URL (INCR is atomic on the server), otherwise the file cache under var/ that every
process of the host reads, whose read-then-write increment is made atomic by an exclusive
lock on a file beside it. Subjects are stored as salted hashes, never in clear.

Not tracking.ingest.ratelimit: that token bucket paces outbound platform calls (a caller
waits for its slot, timed by Redis's clock); here a request over the limit is refused.
"""

from __future__ import annotations

import fcntl
import ipaddress
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

_in_process = threading.Lock()


@dataclass(frozen=True)
class Usage:
    count: int  # this window's events, the one just counted included
    limit: int
    retry_after: int  # seconds until the window ends

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit


def hit(scope: str, subject: str, *, limit: int, seconds: int) -> Usage:
    """Count one event of `subject` in `scope`'s current window. With the cache server down
    nothing is counted and nothing is refused (logged): requests are not blocked by it."""
    now = time.time()
    window = int(now // seconds)
    retry_after = int((window + 1) * seconds - now) + 1
    digest = salted_hmac(f"kolhub.ratelimit.{scope}", subject).hexdigest()[:32]
    try:
        count = _increment(f"ratelimit:{scope}:{digest}:{window}", retry_after + 60)
    except Exception:
        logger.warning("Rate limit %s not counted: the cache is unavailable", scope)
        count = 0
    return Usage(count, limit, retry_after)


def network(ip: str) -> str:
    """What a per-client limit counts: the address, or its /64 for IPv6 (one subscriber is
    usually given a whole /64, so single addresses would be free to rotate)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:  # an IPv4 client of a dual-stack socket
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _increment(key: str, timeout: int) -> int:
    store = caches["default"]
    if isinstance(store, RedisCache):  # INCR: atomic on the server, and the expiry stays
        store.add(key, 0, timeout)
        try:
            return store.incr(key)
        except ValueError:  # evicted between the two calls
            store.set(key, 1, timeout)
            return 1
    # Elsewhere incr() is a get and a set (which would also drop the expiry): under a lock.
    with _exclusive(store):
        count = int(store.get(key, 0)) + 1
        store.set(key, count, timeout)
        return count


def _exclusive(store: BaseCache) -> AbstractContextManager[object]:
    if isinstance(store, FileBasedCache):
        return _file_lock(Path(settings.CACHES["default"]["LOCATION"]) / "ratelimit.lock")
    return _in_process  # an in-memory cache lives in one process


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        yield
