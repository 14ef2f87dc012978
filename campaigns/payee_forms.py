"""The payee form the creator fills on the portal and staff fill on the collaboration page."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import PAYEE_SECRETS, Payee, PayeeKind, masked
from campaigns.payouts.identifiers import (
    is_business_number,
    is_national_id,
    is_resident_certificate,
)
from kolhub.uploads import DOCUMENTS, IMAGES, UploadValidator

PASSPORT = re.compile(r"[A-Z0-9]{5,20}")
# Bank, branch and account numbers are digits; people type them with spaces and dashes.
SEPARATORS = re.compile(r"[\s-]+")
DIGIT_RULES = {
    "bank_code": (re.compile(r"\d{3}"), _("The bank code is 3 digits (e.g. 812).")),
    "branch_code": (re.compile(r"\d{4}"), _("The branch code is 4 digits.")),
    "account_number": (re.compile(r"\d{1,16}"), _("The account number is 1 to 16 digits.")),
}


class PayeeForm(forms.ModelForm):
    """On an existing payee the secret fields start empty (never sent back to the browser);
    left empty they keep what is on file."""

    tax_id = forms.CharField(
        label=_("Tax ID"),
        max_length=20,
        help_text=_(
            "National ID or resident certificate number for a person; "
            "unified business number (統一編號) for a business."
        ),
    )
    bank_code = forms.CharField(label=_("Bank code"), max_length=5)
    branch_code = forms.CharField(label=_("Branch code"), max_length=6)
    account_number = forms.CharField(label=_("Account number"), max_length=24)
    account_holder = forms.CharField(label=_("Account holder"), max_length=200)
    nhi_proof = forms.FileField(
        label=_("Proof of NHI exemption"),
        required=False,
        validators=[UploadValidator(IMAGES | DOCUMENTS)],
    )

    class Meta:
        model = Payee
        fields = ["kind", "legal_name", *PAYEE_SECRETS, "nhi_exempt", "nhi_proof"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in PAYEE_SECRETS:
                field = self.fields[name]
                field.required = False
                self.initial[name] = ""
                shown = masked(getattr(self.instance, name))
                field.widget.attrs["placeholder"] = shown
                field.help_text = _("On file: %(value)s. Leave empty to keep it.") % {
                    "value": shown
                }

    def _kept(self, name: str) -> str:
        value = self.cleaned_data.get(name) or ""
        return value or (getattr(self.instance, name) if self.instance.pk else "")

    def clean_tax_id(self) -> str:
        return SEPARATORS.sub("", self.cleaned_data["tax_id"]).upper()

    def _digits(self, name: str) -> str:
        value = SEPARATORS.sub("", self.cleaned_data[name])
        pattern, message = DIGIT_RULES[name]
        if value and not pattern.fullmatch(value):
            raise forms.ValidationError(message)
        return value

    def clean_bank_code(self) -> str:
        return self._digits("bank_code")

    def clean_branch_code(self) -> str:
        return self._digits("branch_code")

    def clean_account_number(self) -> str:
        return self._digits("account_number")

    def clean(self) -> dict:
        data = super().clean()
        for name in PAYEE_SECRETS:
            if name in data:
                data[name] = self._kept(name)
                if not data[name]:  # Nothing typed and nothing on file (or no longer readable).
                    self.add_error(name, self.fields[name].error_messages["required"])
        kind, tax_id = data.get("kind"), data.get("tax_id")
        if kind and tax_id:
            error = tax_id_error(kind, tax_id)
            if error:
                self.add_error("tax_id", error)
        if data.get("nhi_exempt") and not (data.get("nhi_proof") or self.instance.nhi_proof):
            self.add_error("nhi_proof", _("Please attach the proof of the NHI exemption."))
        return data


def tax_id_error(kind: str, tax_id: str) -> str | None:
    """Why the tax ID does not fit the payee type (None when it does)."""
    if kind == PayeeKind.BUSINESS:
        if not is_business_number(tax_id):
            return str(_("The tax ID is not a valid unified business number (8 digits)."))
    elif kind == PayeeKind.RESIDENT:
        if not (is_national_id(tax_id) or is_resident_certificate(tax_id)):
            return str(
                _(
                    "The tax ID is not a valid national ID or resident certificate number "
                    "(e.g. A123456789)."
                )
            )
    elif not (is_resident_certificate(tax_id) or PASSPORT.fullmatch(tax_id)):
        return str(_("The tax ID is not a valid resident certificate or passport number."))
    return None
