"""Contract templates in the admin: the same placeholder check as the settings page, saved
through the same service (a new default takes over from the previous one)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from campaigns.contracts.placeholders import problems
from campaigns.contracts.services import contract_template_save
from campaigns.models import ContractTemplate


class ContractTemplateAdminForm(forms.ModelForm):
    class Meta:
        model = ContractTemplate
        fields = ["workspace", "name", "language", "is_default", "body"]

    def _get_validation_exclusions(self) -> set[str]:
        # One default per language is the service's to keep: it unsets the previous default
        # when this one is saved, so that constraint is not a form error here.
        # (Django's hook for what the model's validation leaves out; the stubs omit it.)
        return {*super()._get_validation_exclusions(), "is_default"}  # type: ignore[misc]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if found := problems(body):
            raise ValidationError(found)
        return body


@admin.register(ContractTemplate)
class ContractTemplateAdmin(admin.ModelAdmin):
    form = ContractTemplateAdminForm
    list_display = ["name", "workspace", "language", "is_default", "updated_by", "updated_at"]
    list_filter = ["workspace", "language", "is_default"]
    search_fields = ["name", "workspace__name"]
    list_select_related = ["workspace", "updated_by"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(
        self, request: HttpRequest, obj: ContractTemplate, form: Any, change: bool
    ) -> None:
        contract_template_save(template=obj, user=request.user)  # type: ignore[arg-type]
