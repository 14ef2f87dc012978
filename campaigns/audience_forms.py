"""The campaign's target audience: the persona each creator's audience is scored against."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from creators import audience_labels as labels
from creators.audience import format_shares
from creators.audience_forms import SharesField


class TargetAudienceForm(forms.Form):
    """The campaign's target persona as shares per bucket; an empty dimension is not judged.
    A dimension may name part of the audience (台北市: 40% alone): fit is then judged on the
    buckets it names."""

    age = SharesField(
        label=_("Age"),
        dimension=labels.AGE,
        required=False,
        help_text=_(
            "e.g. 25-34: 60% / 35-44: 40%, on one line or one a line "
            "(18至24歲 and 65歲以上 are read too)"
        ),
    )
    gender = SharesField(
        label=_("Gender"),
        dimension=labels.GENDER,
        required=False,
        help_text=_("e.g. female: 80% or 女性: 70% / 男性: 30%"),
    )
    countries = SharesField(
        label=_("Countries"),
        dimension=labels.COUNTRIES,
        required=False,
        help_text=_("e.g. 台灣: 90% / 香港: 10% (TW and Taiwan are read too)"),
    )
    cities = SharesField(
        label=_("Cities"),
        dimension=labels.CITIES,
        required=False,
        help_text=_(
            "e.g. 台北市: 40%; a list of some cities is fine. A city abroad KOLHub does not "
            "know goes with its country: Kobe, Japan: 5%"
        ),
    )

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            shares = campaign.target_audience.get(name)
            if shares:
                self.initial[name] = format_shares(shares)

    def target(self) -> dict[str, dict[str, float]]:
        return {name: shares for name in self.fields if (shares := self.cleaned_data.get(name))}
