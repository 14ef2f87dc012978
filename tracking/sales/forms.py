"""Forms of sales: tracked links, sales feeds, promo codes."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from campaigns.models import Collaboration
from tracking.models import SalesChannel, TrackedLink


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
        deliverable = self.fields["deliverable"]
        assert isinstance(deliverable, forms.ModelChoiceField)
        deliverable.queryset = collaboration.deliverables.all()
        deliverable.required = False
        deliverable.empty_label = _("The whole collaboration")
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
            (SalesChannel.CUSTOM, _("Your own shop: signed webhooks (docs/api.md)")),
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
            "app's client secret. WooCommerce and your own shop get a secret generated here."
        ),
    )
    attribution_days = forms.IntegerField(
        label=_("Click attribution window (days)"), min_value=1, max_value=90, initial=30
    )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("channel") == SalesChannel.SHOPIFY and not cleaned.get("secret"):
            self.add_error("secret", _("Shopify signs every webhook: paste its signing secret."))
        return cleaned


class PromoCodeForm(forms.Form):
    code = forms.CharField(label=_("New code"), max_length=40)
