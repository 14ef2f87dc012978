"""Forms of the tables results read (exchange rates, EMV values, tier benchmarks) and of
share links."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from creators.models import Platform, Tier
from tracking.models import EmvAction
from tracking.results.scoring.defaults import DEFAULT_EMV_VALUES


def currency_code(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise forms.ValidationError(_("Use a three-letter ISO 4217 code, such as TWD or USD."))
    return code


class ExchangeRateForm(forms.Form):
    currency = forms.CharField(label=_("1 unit of"), max_length=3)
    into = forms.CharField(label=_("is worth, in"), max_length=3)
    rate = forms.DecimalField(
        label=_("rate"), max_digits=18, decimal_places=8, min_value=Decimal("0.00000001")
    )

    def clean_currency(self) -> str:
        return currency_code(self.cleaned_data["currency"])

    def clean_into(self) -> str:
        return currency_code(self.cleaned_data["into"])

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("currency") and cleaned.get("currency") == cleaned.get("into"):
            self.add_error("into", _("Choose two different currencies."))
        return cleaned


class EmvRatesForm(forms.Form):
    """One optional value per platform and action; an empty one uses the documented default."""

    currency = forms.CharField(label=_("Currency of the values"), max_length=3)

    def __init__(self, *args, values: dict[tuple[str, str], Decimal], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for platform in DEFAULT_EMV_VALUES:
            for action in EmvAction.values:
                self.fields[emv_field(platform, action)] = forms.DecimalField(
                    label=f"{Platform(platform).label} · {EmvAction(action).label}",
                    required=False,
                    min_value=Decimal(0),
                    max_digits=12,
                    decimal_places=6,
                    initial=values.get((platform, action)),
                )

    def clean_currency(self) -> str:
        return currency_code(self.cleaned_data["currency"])

    def values(self) -> dict[tuple[str, str], Decimal | None]:
        return {
            (platform, action): self.cleaned_data.get(emv_field(platform, action))
            for platform in DEFAULT_EMV_VALUES
            for action in EmvAction.values
        }


def emv_field(platform: str, action: str) -> str:
    return f"{platform}__{action}"


class ShareForm(forms.Form):
    label = forms.CharField(
        label=_("For"), max_length=120, required=False, help_text=_("e.g. the client's name")
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        initial=30,
        choices=[(7, _("7 days")), (30, _("30 days")), (90, _("90 days"))],
    )


BENCHMARK_PLATFORMS = ["instagram", "facebook", "threads", "tiktok", "youtube"]


class BenchmarksForm(forms.Form):
    """One optional engagement rate (in %) per platform and tier; empty uses the default."""

    def __init__(self, *args, values: dict[tuple[str, str], Decimal], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for platform in BENCHMARK_PLATFORMS:
            for tier in Tier.values:
                own = values.get((platform, tier))
                self.fields[emv_field(platform, tier)] = forms.DecimalField(
                    label=f"{Platform(platform).label} · {Tier(tier).label}",
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(100),
                    max_digits=6,
                    decimal_places=2,
                    initial=None if own is None else (own * 100).quantize(Decimal("0.01")),
                )

    def rates(self) -> dict[tuple[str, str], Decimal | None]:
        """(platform, tier) → the rate as a share (2.4 % → 0.024), None for the default."""
        return {
            (platform, tier): None if value is None else value / 100
            for platform in BENCHMARK_PLATFORMS
            for tier in Tier.values
            for value in [self.cleaned_data.get(emv_field(platform, tier))]
        }
