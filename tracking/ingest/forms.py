"""Forms of reading platforms: a connection's API key."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

# Google API keys: "AIza" and 35 more URL-safe characters.
GOOGLE_API_KEY = re.compile(r"AIza[0-9A-Za-z_\-]{35}")


class ApiKeyForm(forms.Form):
    label = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("To recognise the key later, e.g. the Google Cloud project it belongs to."),
    )
    key = forms.CharField(
        label=_("YouTube Data API key"),
        max_length=100,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    def clean_key(self) -> str:
        key = self.cleaned_data["key"].strip()
        if not GOOGLE_API_KEY.fullmatch(key):
            raise forms.ValidationError(
                _(
                    "This is not a Google API key: such a key starts with “AIza” and has 39 "
                    "characters. Create one under APIs & Services → Credentials in Google Cloud."
                )
            )
        return key
