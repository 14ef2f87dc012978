"""Posting an admin change page back as a browser would, to test what saving it does."""

from __future__ import annotations

from typing import Any


def as_posted(response) -> dict[str, Any]:
    """What the browser sends back for an admin change page left as it is."""
    inlines = [inline.formset for inline in response.context["inline_admin_formsets"]]
    forms = [response.context["adminform"].form]
    for formset in inlines:
        forms += [formset.management_form, *formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue  # an empty field or an unticked box sends nothing
            data[form.add_prefix(name)] = "on" if value is True else value
    return data
