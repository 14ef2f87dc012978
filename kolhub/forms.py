from __future__ import annotations

import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kolhub.http import row_id
from kolhub.models import Brand, Invitation, Membership, Role, Workspace
from kolhub.timezones import timezone_choices

COMMON_CURRENCIES = ["TWD", "USD", "HKD", "JPY", "SGD", "MYR", "CNY", "EUR", "GBP", "KRW", "THB"]


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses an id past the database's range before asking
    the database: SQLite raises OverflowError for one in the IN lookup Django makes."""

    def _check_values(self, value):
        for pk in value:
            if not isinstance(pk, int) and row_id(str(pk)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class WorkspaceForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        help_text=_("ISO 4217 code, e.g. TWD, USD, HKD."),
        widget=forms.TextInput(attrs={"list": "currency-codes", "autocomplete": "off"}),
    )

    class Meta:
        model = Workspace
        fields = ["name", "timezone", "currency", "language", "require_signed_contract"]

    def __init__(self, *args, is_owner: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices(keep=self.instance.timezone or "")
        if not is_owner:
            # Managers see the contract rule; only owners change it.
            signed = self.fields["require_signed_contract"]
            signed.disabled = True
            signed.help_text = _("Only the workspace's owners can change this.")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if any(unicodedata.category(ch) == "Cc" for ch in name):
            raise forms.ValidationError(_("The name cannot contain line breaks or tabs."))
        return name

    def clean_currency(self) -> str:
        code = self.cleaned_data["currency"].strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise forms.ValidationError(_("Enter a three-letter currency code such as TWD."))
        return code


class WorkspaceCreateForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        fields = ["name", "timezone", "currency", "language"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "timezone": settings.TIME_ZONE,
                "currency": settings.DEFAULT_CURRENCY,
                "language": settings.LANGUAGE_CODE,
            },
        )
        super().__init__(*args, **kwargs)


class BrandForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Brand
        fields = ["name", "industry", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Brand.objects.for_workspace(self.instance.workspace).filter(name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This workspace already has a brand with that name."))
        return name


class BrandChoiceMixin:
    """A role select plus the brands a client viewer is limited to."""

    def _setup_brands(self, workspace: Workspace) -> None:
        field = self.fields["brands"]  # type: ignore[attr-defined]
        # Archived brands are not offered, but those already granted stay granted.
        granted = Q(pk__in=self.instance.brands.all()) if self.instance.pk else Q(pk__in=[])  # type: ignore[attr-defined]
        field.queryset = Brand.objects.for_workspace(workspace).filter(
            Q(is_archived=False) | granted
        )
        field.required = False
        field.help_text = _("Only for client viewers: the brands they may see.")

    def _clean_brands_for_role(self, cleaned: dict) -> dict:
        if cleaned.get("role") == Role.CLIENT and not cleaned.get("brands"):
            self.add_error(  # type: ignore[attr-defined]
                "brands", _("Choose at least one brand this client viewer may see.")
            )
        return cleaned


class InvitationForm(BrandChoiceMixin, forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role", "brands"]
        widgets = {"brands": forms.CheckboxSelectMultiple}
        field_classes = {"brands": BoundedModelMultipleChoiceField}

    def __init__(self, *args, workspace: Workspace, actor: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_brands(workspace)
        if not actor.has_role(Role.OWNER):
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.OWNER]

    def clean(self):
        return self._clean_brands_for_role(super().clean())


class MembershipForm(BrandChoiceMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "brands"]
        widgets = {"brands": forms.CheckboxSelectMultiple}
        field_classes = {"brands": BoundedModelMultipleChoiceField}

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_brands(workspace)

    def clean(self):
        return self._clean_brands_for_role(super().clean())


class AcceptInvitationForm(forms.Form):
    """For someone without an account: name and a password."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            from kolhub.models import User

            probe = User(email=self.email, first_name=cleaned.get("first_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
