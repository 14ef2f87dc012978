"""Number formats people in Taiwan read at a glance, the one place every page, file and
message takes its figures from.

- `grouped`: an exact figure, grouped by thousands in both languages (218,700; 1,234.50).
  Django's own zh_Hant locale groups nothing (its THOUSAND_SEPARATOR is empty), so the
  project's formats module (kolhub/formats/zh_Hant) sets "," every three digits, as people
  write amounts in Taiwan; `floatformat:"g"`, `intcomma` and `number_format(force_grouping=
  True)` follow it too.
- `money`: an amount with its currency code (TWD 218,700).
- `compact_count`: a count at a glance (21.9萬 in Chinese, 219K in English).
- `approximate`: an estimated count, to two significant figures (1.2萬 in Chinese, 12,000 in
  English), for "about …".
- `percent`: a fraction as a percentage.
- `NOT_AVAILABLE`: what a figure that cannot be computed shows, translated.

USE_THOUSAND_SEPARATOR stays off on purpose: it would group every integer a template prints,
ids and years included (value="1,234" in a form, 2,026).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

NOT_AVAILABLE = _("n/a")
MISSING = "—"


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def grouped(value: object, digits: int = 0) -> str:
    """218700 → 218,700; grouped(1234.5, 2) → 1,234.50; a negative `digits` shows the decimals
    only when the rounded figure has some (grouped(12.5, -2) → 12.50, grouped(12, -2) → 12),
    as floatformat does. Rounded half up, never "-0"; "—" for nothing, text that is not a
    number as it is."""
    number = _decimal(value)
    if number is None:
        return MISSING if value is None or value == "" else str(value)
    if digits < 0:
        digits = -digits
        whole = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP) % 1 == 0
        digits = 0 if whole else digits
    rounded = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)
    return number_format(rounded, decimal_pos=digits, force_grouping=True)


def money(value: object, currency: str = "", digits: int = 0) -> str:
    """TWD 218,700; the currency code first, as invoices in Taiwan write it."""
    return f"{currency} {grouped(value, digits)}".strip()


def compact_count(value: int | None) -> str:
    """12300 → 1.2萬 in Chinese, 12.3K in English; small numbers stay as they are."""
    if value is None:
        return MISSING
    language = get_language() or ""
    if language.startswith("zh"):
        for size, unit in ((100_000_000, "億"), (10_000, "萬")):
            if abs(value) >= size:
                return f"{value / size:.1f}".rstrip("0").rstrip(".") + unit
        return grouped(value)
    for size, unit in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if abs(value) >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + unit
    return grouped(value)


def approximate(value: int | None) -> str:
    """An estimate, to two significant figures: 12345 → 1.2萬 in Chinese, 12,000 in English."""
    if value is None:
        return MISSING
    rounded = int(float(f"{value:.2g}"))
    if (get_language() or "").startswith("zh"):
        return compact_count(rounded)
    return grouped(rounded)


def percent(value: object, digits: int = 1) -> str:
    """0.0345 → 3.5%"""
    number = _decimal(value)
    if number is None:
        return MISSING
    return f"{grouped(number * 100, int(digits))}%"
