"""The contract template editor's form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.contracts.placeholders import problems
from campaigns.models import MAX_TEMPLATE_LENGTH, ContractTemplate
from kolhub.models import Workspace


class ContractTemplateForm(forms.ModelForm):
    # Declared here so the length is checked before the placeholders are read.
    body = forms.CharField(
        label=_("text"),
        max_length=MAX_TEMPLATE_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false"}),
        help_text=_(
            "Plain text. A line starting with “# ” is a heading; a blank line starts a new "
            "paragraph; {{ placeholders }} are replaced by the collaboration's terms."
        ),
    )

    class Meta:
        model = ContractTemplate
        fields = ["name", "language", "is_default", "body"]

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = ContractTemplate.objects.for_workspace(self.instance.workspace).filter(name=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("Another contract template already has this name."))
        return name

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        found = problems(body)
        if found:
            raise ValidationError(found)
        return body
