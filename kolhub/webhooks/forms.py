from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kolhub.webhooks import delivery
from kolhub.webhooks.events import event_choices

MAX_ENDPOINTS = 20


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Endpoint URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https address of your own system; KOLHub POSTs signed JSON to it."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=event_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event to send.")},
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        problem = delivery.url_problem(url)
        if problem is delivery.Error.NOT_HTTPS:
            raise forms.ValidationError(_("Use an https:// address."), code="not_https")
        if problem is not None:
            raise forms.ValidationError(delivery.error_sentence(problem), code=problem.value)
        return url
