from __future__ import annotations

from django import template

from kolhub import formatting
from kolhub.formatting import compact_count

register = template.Library()


@register.filter
def compact(value):
    """{{ account.followers|compact }} → 1.2萬 / 12.3K"""
    try:
        return compact_count(None if value is None or value == "" else int(value))
    except (TypeError, ValueError):
        return value


@register.filter
def percent(value, digits: int = 1):
    """0.0345 → 3.5 %"""
    return formatting.percent(value, digits)
