"""Where an audience profile comes from, as every page that shows audience data says it: the
platform that read it and the day, or that a person entered it by hand (typed from the insights
screen, from a creator's screenshot, or estimated)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from creators.models import HAND_SOURCES, AudienceSource, Platform


def _day(captured_on: date | str | None) -> str:
    """The day as the pages write dates (2026-11-20); stored reports hold it as ISO text."""
    day = parse_date(captured_on) if isinstance(captured_on, str) else captured_on
    return day.isoformat() if day else "—"


def entered_by_hand(source: str) -> bool:
    return source in HAND_SOURCES


def audience_provenance(*, source: str, platform: str, captured_on: date | str | None) -> str:
    """ "Read from Instagram on 2026-11-20", "Entered by hand on 2026-11-20 (Estimate)"."""
    day = _day(captured_on)
    if source == AudienceSource.API:
        name = Platform(platform).label if platform in Platform.values else platform
        return _("Read from %(platform)s on %(date)s") % {"platform": name, "date": day}
    if source == AudienceSource.DEMO:
        return _("Demo data, %(date)s") % {"date": day}
    kind = AudienceSource(source).label if source in AudienceSource.values else source
    return _("Entered by hand on %(date)s (%(source)s)") % {"date": day, "source": kind}


def audience_provenance_short(*, source: str, platform: str, captured_on: date | str | None) -> str:
    """The same in a table cell: "Instagram, 2026-11-20", "entered by hand", "demo data"."""
    if source == AudienceSource.API:
        name = Platform(platform).label if platform in Platform.values else platform
        return f"{name}, {_day(captured_on)}"
    if source == AudienceSource.DEMO:
        return _("demo data")
    return _("entered by hand")


def audience_source_label(given: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a score read from a profile says of it ({"source", "platform", "captured_on"} as a
    stored report keeps it): short for a table cell, whole for its title, and whether a person
    entered it. None when no profile was read (or the report predates this)."""
    if not given or not {"source", "platform", "captured_on"} <= set(given):
        return None
    where = {key: given[key] for key in ("source", "platform", "captured_on")}
    return {
        "short": audience_provenance_short(**where),
        "whole": audience_provenance(**where),
        "by_hand": entered_by_hand(where["source"]),
    }
