"""The time-zone choices people can read: "台北 (UTC+08:00) — Asia/Taipei".

The stored value stays the IANA name. Labels start with the city in the reader's language
(from CLDR through babel), so typing 台北 or Tokyo in the select jumps to it; they carry the
UTC offset and the IANA name, and the list runs from the westernmost offset to the easternmost.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from babel.core import get_global
from babel.dates import get_timezone_location
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def utc_offset(zone: str, moment: datetime) -> timedelta:
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() or timedelta(0)


def offset_text(offset: timedelta) -> str:
    """+08:00, -03:30, +05:45"""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def city(zone: str, language: str) -> str:
    locale = "zh_Hant_TW" if language.startswith("zh") else "en"
    try:
        return str(get_timezone_location(zone, locale=locale, return_city=True))
    except LookupError:
        return zone.rsplit("/", 1)[-1].replace("_", " ")


# The regions of canonical IANA zones; the rest (Etc/GMT+12, US/Eastern, Brazil/East…) are
# links kept for old software, which would list one place twice or under a riddle of a name.
REGIONS = {
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
}


def timezone_choices(keep: str = "") -> list[tuple[str, str]]:
    """Every canonical IANA zone, in the active language, by today's offset; `keep` (a zone
    stored before, even an alias) stays among them so saving a form does not change it."""
    choices = list(_choices(get_language() or "en", timezone.localdate()))
    if keep and keep not in dict(choices) and keep in zoneinfo.available_timezones():
        choices.append((keep, keep))
    return choices


def canonical_zones() -> set[str]:
    aliases = get_global("zone_aliases")
    return {
        zone
        for zone in zoneinfo.available_timezones()
        if zone.split("/", 1)[0] in REGIONS and "/" in zone and zone not in aliases
    }


@lru_cache(maxsize=8)
def _choices(language: str, today: date) -> tuple[tuple[str, str], ...]:
    # Offsets at noon UTC today: a zone on summer time shows its summer offset in summer.
    noon = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
    rows = []
    for zone in canonical_zones():
        offset = utc_offset(zone, noon)
        name = city(zone, language)
        label = _("%(city)s (UTC%(offset)s) — %(zone)s") % {
            "city": name,
            "offset": offset_text(offset),
            "zone": zone,
        }
        rows.append((offset, name, zone, label))
    rows.sort(key=lambda row: (row[0], row[1], row[2]))
    return tuple((zone, label) for _offset, _name, zone, label in rows)
