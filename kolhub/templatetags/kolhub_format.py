"""The template side of kolhub.formatting: every figure a page shows goes through these."""

from __future__ import annotations

from django import template

from kolhub import formatting

register = template.Library()


@register.filter
def compact(value):
    """{{ account.followers|compact }} → 1.2萬 / 12.3K"""
    try:
        return formatting.compact_count(None if value is None or value == "" else int(value))
    except (TypeError, ValueError):
        return value


@register.filter
def approximate(value):
    """{{ total.value|approximate }} → 1.2萬 / 12,000 (an estimate, two significant figures)"""
    return formatting.approximate(value)


@register.filter
def grouped(value, digits: int = 0):
    """{{ campaign.total_budget|grouped }} → 218,700; {{ x|grouped:2 }} → 1,234.50"""
    return formatting.grouped(value, int(digits))


@register.filter
def percent(value, digits: int = 1):
    """0.0345 → 3.5 %"""
    return formatting.percent(value, digits)


@register.simple_tag
def not_available() -> str:
    """The one "n/a" of the project, translated."""
    return str(formatting.NOT_AVAILABLE)
