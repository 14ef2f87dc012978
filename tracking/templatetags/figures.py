from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kolhub.formatting import NOT_AVAILABLE
from tracking.results.dashboards import format_figure

register = template.Library()


@register.simple_tag
def figure(value, kind: str, currency: str = "") -> SafeString | str:
    """A figure for a page; "n/a" is muted."""
    if value is None or value == "":
        return format_html('<span class="na">{}</span>', NOT_AVAILABLE)
    return format_figure(value, kind, currency)
