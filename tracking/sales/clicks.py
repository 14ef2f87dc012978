"""Clicks on tracked links: the redirect's hot path, and the drain that stores them.

The hot path looks the link up without a query (a per-process table in front of the shared
cache, emptied within a second of any change to a link: tracking/link_cache.py) and appends
one line per click to a log file of its own process (one write() call: the line is whole or
absent). That file outlives a restart of Redis, of the web process and
of the worker; the drain task copies complete lines into the database, remembers how far it
read in the same transaction, and a click id unique in the table absorbs any replay. So a
click counts as recorded once its redirect is answered, and is stored exactly once.

Measured (bench/test_clicks.py) against a synchronous INSERT per click, the log keeps the
redirect near a bare 302; see docs/tracking.md.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import socket
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.http import HttpRequest

from kolhub.http import client_ip
from tracking import link_cache, marks
from tracking.link_cache import LiveLink
from tracking.models import Click, ClickDay, ClickLogOffset, TrackedLink
from tracking.sales.conversions import conversions_attribute_clicks_unscoped

logger = logging.getLogger(__name__)

# Crawlers, link-preview fetchers (chat apps unfurling a pasted link) and scripts.
BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|preview|externalhit|externalagent|embedly|whatsapp|telegram|"
    r"skype|discord|slack|linkedin|pinterest|vkshare|bitlybot|headless|lighthouse|curl|wget|"
    r"python-|httpx|go-http-client|java/|okhttp|axios|node-fetch|libwww|scrapy",
    re.IGNORECASE,
)
SHARED_SECONDS = 300
MISSING = "-"  # cached "no such active link"
DRAIN_BYTES = 16 * 1024 * 1024  # per file and transaction


# The hot path ---------------------------------------------------------------------------------


def link_for_code(code: str) -> LiveLink | None:
    now = time.monotonic()
    version = link_cache.table.version(now)
    found, link = link_cache.table.get(code, now)
    if found:
        return link
    link = _shared_lookup(code, version)
    link_cache.table.put(code, link, now)
    return link


def _shared_lookup(code: str, version: str) -> LiveLink | None:
    key = f"tracking:link:{version}:{code}"
    try:
        cached = cache.get(key)
    except Exception:  # the cache server restarting: the database still answers
        cached = None
    if isinstance(cached, LiveLink):
        return cached
    if cached == MISSING:
        return None
    link = link_by_code_unscoped(code)
    try:
        cache.set(key, link or MISSING, SHARED_SECONDS)
    except Exception:
        logger.warning("Tracked link cache unavailable")
    return link


def link_by_code_unscoped(code: str) -> LiveLink | None:
    found = TrackedLink.objects.filter(code=code, is_active=True).first()
    if found is None:
        return None
    return LiveLink(found.pk, found.workspace_id, target_url(found))


def target_url(link: TrackedLink) -> str:
    """The destination with the link's UTM fields (they replace any of the same name)."""
    parts = urlsplit(link.destination)
    utm = {
        name: value
        for name in ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
        if (value := getattr(link, name))
    }
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in utm]
    return urlunsplit(parts._replace(query=urlencode([*query, *utm.items()])))


def with_click_id(target: str, click_id: str) -> str:
    parts = urlsplit(target)
    query = f"{parts.query}&kh_click={click_id}" if parts.query else f"kh_click={click_id}"
    return urlunsplit(parts._replace(query=query))


def click_record(link: LiveLink, request: HttpRequest) -> str:
    """Append the click to this process's log and return its id (the `kh_click` parameter)."""
    click_id = uuid.uuid4().hex
    agent = request.headers.get("User-Agent", "")
    now = time.time()
    fields = (
        click_id,
        str(link.link_id),
        str(link.workspace_id),
        str(int(now * 1000)),
        visitor_hash(client_ip(request), agent, datetime.fromtimestamp(now, UTC).date()),
        "1" if is_bot(agent, request.method) else "0",
        _country(request),
        _clean(request.headers.get("Referer", ""))[:500],
    )
    click_log().append(("\t".join(fields) + "\n").encode())
    return click_id


def is_bot(agent: str, method: str | None) -> bool:
    return not agent or method == "HEAD" or bool(BOT_AGENTS.search(agent))


def visitor_hash(ip: str, agent: str, day: date) -> str:
    """The same visitor on the same day hashes alike; the salt changes daily and never leaves
    the server, so the hash cannot be turned back into an address."""
    salt = hmac.new(settings.SECRET_KEY.encode(), f"clicks:{day}".encode(), hashlib.sha256)
    return hmac.new(salt.digest(), f"{ip}|{agent}".encode(), hashlib.sha256).hexdigest()[:32]


def _country(request: HttpRequest) -> str:
    # Set by a CDN or proxy in front (Cloudflare's CF-IPCountry); unknown otherwise.
    code = request.headers.get(settings.CLICK_COUNTRY_HEADER, "").strip().upper()
    return code if re.fullmatch(r"[A-Z]{2}", code) and code != "XX" else ""


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


class ClickLog:
    """Append-only files, one per process and hour: clicks-<host>-<pid>-<hour>.log."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._fd: int | None = None
        self._key: tuple[int, int] | None = None

    def append(self, line: bytes) -> None:
        key = (os.getpid(), int(time.time() // 3600))
        if key != self._key:
            self._open(key)
        assert self._fd is not None
        os.write(self._fd, line)

    def _open(self, key: tuple[int, int]) -> None:
        # A forked child must not write into its parent's file: the pid is in the key.
        if self._fd is not None and self._key is not None and self._key[0] == key[0]:
            os.close(self._fd)
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"clicks-{socket.gethostname()}-{key[0]}-{key[1]}.log"
        self._fd = os.open(self.directory / name, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        self._key = key


_log: ClickLog | None = None


def click_log() -> ClickLog:
    global _log
    if _log is None or _log.directory != Path(settings.CLICK_LOG_DIR):
        _log = ClickLog(Path(settings.CLICK_LOG_DIR))
    return _log


# The drain ------------------------------------------------------------------------------------


def clicks_drain_unscoped(*, max_bytes: int = DRAIN_BYTES) -> int:
    """Store every complete click line written so far; returns how many clicks were new."""
    directory = Path(settings.CLICK_LOG_DIR)
    stored = 0
    for path in sorted(directory.glob("clicks-*.log")):
        while (added := _drain_file(path, max_bytes)) is not None:
            stored += added
        _remove_if_finished(path)
    return stored


@transaction.atomic
def _drain_file(path: Path, max_bytes: int) -> int | None:
    """One transaction: the next complete lines of the file, and the new position. None when
    there is nothing more to read."""
    position, _created = ClickLogOffset.objects.select_for_update().get_or_create(name=path.name)
    with path.open("rb") as log:
        log.seek(position.offset)
        data = log.read(max_bytes)
    end = data.rfind(b"\n") + 1
    if end == 0:
        return None
    clicks = [click for line in data[:end].splitlines() if (click := _parse(line, path))]
    new = _store(clicks)
    position.offset += end
    position.save(update_fields=["offset", "updated_at"])
    return new


def _parse(line: bytes, path: Path) -> Click | None:
    try:
        click_id, link, workspace, millis, visitor, bot, country, referrer = line.decode().split(
            "\t"
        )
        return Click(
            click_id=click_id,
            link_id=int(link),
            workspace_id=int(workspace),
            occurred_at=datetime.fromtimestamp(int(millis) / 1000, UTC),
            visitor=visitor,
            is_bot=bot == "1",
            country=country,
            referrer=referrer,
        )
    except (ValueError, UnicodeDecodeError):
        logger.warning("Skipped a malformed line in %s", path.name)
        return None


def _store(clicks: list[Click]) -> int:
    """Insert the clicks (a replayed one is ignored by its unique id) and recount their days."""
    if not clicks:
        return 0
    ids = [c.click_id for c in clicks]
    before = Click.objects.filter(click_id__in=ids).count()
    Click.objects.bulk_create(clicks, batch_size=2000, ignore_conflicts=True)
    recount_days({(c.link_id, c.occurred_at.date()) for c in clicks})
    # A quick buyer's order may have named one of these clicks before it was stored.
    conversions_attribute_clicks_unscoped(ids)
    return len(set(ids)) - before


def recount_days(pairs: set[tuple[int, date]]) -> None:
    """Per link and UTC day: human clicks, unique human visitors, bot and preview requests."""
    links = {link for link, _day in pairs}
    first = min(day for _link, day in pairs)
    last = max(day for _link, day in pairs)
    counts = (
        Click.objects.filter(
            link_id__in=links,
            occurred_at__gte=datetime.combine(first, datetime.min.time(), UTC),
            occurred_at__lt=datetime.combine(last + timedelta(days=1), datetime.min.time(), UTC),
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=UTC))
        .values("link_id", "workspace_id", "day")
        .annotate(
            clicks=Count("pk", filter=Q(is_bot=False)),
            unique_visitors=Count("visitor", filter=Q(is_bot=False), distinct=True),
            bot_clicks=Count("pk", filter=Q(is_bot=True)),
        )
    )
    ClickDay.objects.bulk_create(
        [ClickDay(**row) for row in counts if (row["link_id"], row["day"]) in pairs],
        update_conflicts=True,
        unique_fields=["link", "day"],
        update_fields=["clicks", "unique_visitors", "bot_clicks"],
    )
    marks.collaborations_changed(
        TrackedLink.objects.filter(pk__in=links).values_list("collaboration_id", flat=True)
    )


def _remove_if_finished(path: Path) -> None:
    """A file of a past hour, read to its end, is done: its writer has moved to a new one."""
    try:
        hour = int(path.stem.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return
    if hour >= int(time.time() // 3600):
        return
    position = ClickLogOffset.objects.filter(name=path.name).first()
    if position is not None and position.offset >= path.stat().st_size:
        path.unlink()
        position.delete()
