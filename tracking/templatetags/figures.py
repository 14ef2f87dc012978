from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kolhub.formatting import compact_count

register = template.Library()


@register.simple_tag
def figure(value, kind: str, currency: str = "") -> SafeString | str:
    """A figure as people read it: money with its currency, a rate as %, a ratio as ×, a
    count compact (1.2萬 / 12.3K); a muted "n/a" when it cannot be computed."""
    if value is None or value == "":
        return format_html('<span class="na">{}</span>', _("n/a"))
    number = float(value)
    if kind == "money":
        digits = 2 if abs(number) < 100 else 0
        return f"{currency} {number:,.{digits}f}".strip()
    if kind == "rate":
        digits = 2 if abs(number) < 0.01 else 1
        return f"{number * 100:.{digits}f}%"
    if kind == "ratio":
        return f"{number:.2f}×"
    if kind == "percent":  # a KPI target typed as a percentage already
        return f"{number:.1f}%"
    if not number.is_integer():
        return f"{number:.1f}"
    return compact_count(int(number))
