"""The staff ledger's forms: one installment, a schedule from a preset split, a payment."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.forms import DATE
from campaigns.models import Installment

MAX_AMOUNT = Decimal("999999999999")


class InstallmentForm(forms.ModelForm):
    class Meta:
        model = Installment
        fields = ["label", "amount", "currency", "due_on", "income_type", "position"]
        widgets = {"due_on": DATE}

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
            raise ValidationError(_("A currency is a three-letter code, such as TWD or USD."))
        return currency

    def clean(self) -> dict:
        data = super().clean()
        amount, currency = data.get("amount"), data.get("currency")
        if amount is not None and amount > MAX_AMOUNT:
            self.add_error("amount", _("This amount is too large."))
        if amount is not None and currency == "TWD" and amount != amount.to_integral_value():
            # The withholding rules count whole New Taiwan dollars.
            self.add_error("amount", _("An amount in TWD is a whole number of dollars."))
        return data


class Split(models.TextChoices):
    FULL = "100", pgettext_lazy("payment schedule", "The whole fee at once")
    DEPOSIT = "30-70", pgettext_lazy("payment schedule", "30 % on signing, 70 % after the post")
    HALVES = "50-50", pgettext_lazy("payment schedule", "Half on signing, half after the post")


SPLIT_PERCENTS = {
    Split.FULL: [Decimal(100)],
    Split.DEPOSIT: [Decimal(30), Decimal(70)],
    Split.HALVES: [Decimal(50), Decimal(50)],
}


class ScheduleForm(forms.Form):
    split = forms.ChoiceField(label=_("split"), choices=Split.choices, initial=Split.DEPOSIT)
    first_due = forms.DateField(label=_("first payment due"), widget=DATE)
    last_due = forms.DateField(
        label=_("second payment due"),
        widget=DATE,
        required=False,
        help_text=_("For example when the post has been live for the minimum days."),
    )

    def clean(self) -> dict:
        data = super().clean()
        split, first, last = data.get("split"), data.get("first_due"), data.get("last_due")
        if split and split != Split.FULL and first:
            if not last:
                self.add_error("last_due", _("Enter when the second payment is due."))
            elif last < first:
                self.add_error("last_due", _("The second payment cannot be due before the first."))
        return data

    def parts(self) -> list[tuple[str, Decimal, object]]:
        """(label, percent, due date) of each installment the chosen split makes."""
        data = self.cleaned_data
        percents = SPLIT_PERCENTS[Split(data["split"])]
        if len(percents) == 1:
            return [(str(_("Fee")), percents[0], data["first_due"])]
        return [
            (str(_("On signing")), percents[0], data["first_due"]),
            (str(_("After the post is live")), percents[1], data["last_due"]),
        ]


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=DATE)
    reference = forms.CharField(
        label=_("payment reference"),
        max_length=100,
        required=False,
        help_text=_("The bank transfer's reference, so it can be found later."),
    )
    fx_rate = forms.DecimalField(
        label=_("exchange rate to TWD"),
        max_digits=18,
        decimal_places=8,
        min_value=Decimal("0.00000001"),
        required=False,
        help_text=_("One unit of the installment's currency in TWD on the payment date."),
    )

    def __init__(self, *args, installment: Installment, **kwargs) -> None:
        kwargs.setdefault("initial", {"paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.installment = installment
        if installment.currency == "TWD":
            del self.fields["fx_rate"]
