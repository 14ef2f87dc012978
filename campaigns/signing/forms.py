from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.signing.services import MAX_NAME


class SignForm(forms.Form):
    name = forms.CharField(
        label=_("Your full name"),
        max_length=MAX_NAME,
        error_messages={
            "required": _("Type your full name to sign."),
            "max_length": _("The name is too long: at most %(limit_value)d characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    consent = forms.BooleanField(
        label=_("I have read this document and agree to sign it electronically."),
        error_messages={
            "required": _(
                "Tick the box to confirm that you have read the document and agree to sign it."
            )
        },
    )
