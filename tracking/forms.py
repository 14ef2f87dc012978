from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from campaigns.models import Collaboration
from creators.models import Platform, Tier
from tracking.models import EmvAction, SalesChannel, TrackedLink
from tracking.scoring.defaults import DEFAULT_EMV_VALUES

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


class TrackedLinkForm(forms.ModelForm):
    """A tracked link of one collaboration; the UTM fields come prefilled with the defaults."""

    destination = forms.URLField(
        label=_("destination"),
        max_length=1000,
        assume_scheme="https",
        help_text=_("The brand's page the link leads to, e.g. the product page."),
    )

    class Meta:
        model = TrackedLink
        fields = [
            "destination",
            "deliverable",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_content",
            "utm_term",
        ]

    def __init__(self, *args, collaboration: Collaboration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliverable"].queryset = collaboration.deliverables.all()
        self.fields["deliverable"].required = False
        self.fields["deliverable"].empty_label = _("The whole collaboration")
        self.fields["destination"].widget.attrs["placeholder"] = "https://"

    def clean_destination(self) -> str:
        destination = self.cleaned_data["destination"]
        parts = urlsplit(destination)
        if parts.scheme not in ("http", "https"):
            raise forms.ValidationError(_("The destination must be a web page (http or https)."))
        if parts.netloc == urlsplit(settings.SITE_URL).netloc and parts.path.startswith("/r/"):
            raise forms.ValidationError(_("A tracked link cannot lead to another tracked link."))
        return destination


class SalesFeedForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Where orders come from"),
        choices=[
            (SalesChannel.SHOPIFY, "Shopify"),
            (SalesChannel.WOOCOMMERCE, "WooCommerce"),
            (SalesChannel.PIXEL, _("Thank-you page pixel (any shop)")),
        ],
    )
    label = forms.CharField(label=_("Name"), max_length=120)
    secret = forms.CharField(
        label=_("Shopify signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Shopify only: the key shown under Settings → Notifications → Webhooks, or your "
            "app's client secret. WooCommerce gets a secret generated here."
        ),
    )
    attribution_days = forms.IntegerField(
        label=_("Click attribution window (days)"), min_value=1, max_value=90, initial=30
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == SalesChannel.SHOPIFY and not cleaned.get("secret"):
            self.add_error("secret", _("Shopify signs every webhook: paste its signing secret."))
        return cleaned


class PromoCodeForm(forms.Form):
    code = forms.CharField(label=_("New code"), max_length=40)


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
        cleaned = super().clean()
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
