"""A post's or a connection's last read error, in words: {{ post|read_error }}."""

from __future__ import annotations

from django import template

from tracking.ingest.errors import HasReadError, error_code_of, needs_setup, read_error

register = template.Library()


@register.filter(name="read_error")
def read_error_filter(row: HasReadError) -> str:
    """The translated sentence of the row's last error; "" when it has none."""
    return read_error(row)


@register.filter
def read_error_needs_setup(row: HasReadError) -> bool:
    """Whether the row's error is fixed in Settings → Platform connections."""
    code = error_code_of(row)
    return code is not None and needs_setup(code)
