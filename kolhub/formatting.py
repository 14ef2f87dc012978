"""Number formats people in Taiwan read at a glance."""

from __future__ import annotations

from django.utils.translation import get_language


def compact_count(value: int | None) -> str:
    """12300 → 1.2萬 in Chinese, 12.3K in English; small numbers stay as they are."""
    if value is None:
        return "—"
    language = get_language() or ""
    if language.startswith("zh"):
        for size, unit in ((100_000_000, "億"), (10_000, "萬")):
            if abs(value) >= size:
                return f"{value / size:.1f}".rstrip("0").rstrip(".") + unit
        return f"{value:,}"
    for size, unit in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if abs(value) >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + unit
    return f"{value:,}"


def percent(value: object, digits: int = 1) -> str:
    """0.0345 → 3.5%"""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"  # type: ignore[arg-type]
