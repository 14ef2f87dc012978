from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tracking.results.dashboards import format_figure

register = template.Library()


@register.simple_tag
def figure(value, kind: str, currency: str = "") -> SafeString | str:
    """A figure for a page; "n/a" is muted."""
    if value is None or value == "":
        return format_html('<span class="na">{}</span>', _("n/a"))
    return format_figure(value, kind, currency)
