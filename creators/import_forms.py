"""The forms of a creators import from the browser: the upload, then what each column holds."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from creators.import_headers import header_unit
from creators.models import Platform


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("CSV (UTF-8 or Big5) or XLSX, up to 20 MB. Chinese or English headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


CREATOR_COLUMN_CHOICES = [
    ("display_name", _("Name")),
    ("real_name", _("Real name")),
    ("platform", _("Platform")),
    ("handle", _("Handle")),
    ("url", _("Profile URL")),
    ("followers", _("Followers")),
    ("following", _("Following")),
    ("posts_count", _("Posts")),
    ("avg_views", _("Average views")),
    ("categories", _("Categories")),
    ("tags", _("Tags")),
    ("region", _("Region")),
    ("city", _("City / district")),
    ("email", _("Email")),
    ("phone", _("Phone")),
    ("line_id", _("LINE ID")),
    ("price", _("Rate")),
    ("classification", _("KOL or influencer")),
    ("bio", _("Bio")),
    ("languages", _("Languages")),
    ("agent_name", _("Agent / manager")),
    ("notes", _("Notes")),
]


def column_choices() -> list:
    platform_parts = [
        ("handle", _("handle or URL")),
        ("followers", _("followers")),
        ("avg_views", _("average views")),
    ]
    per_platform = [
        (
            str(label),
            [(f"{value}:{part}", f"{label}: {part_label}") for part, part_label in platform_parts],
        )
        for value, label in Platform.choices
    ]
    return [
        ("", _("— ignore this column —")),
        (_("Creator"), CREATOR_COLUMN_CHOICES),
        *per_platform,
    ]


def _unit_hint(header: str) -> str:
    """What a unit in the header does to the column's numbers (粉絲數(萬): 3.5 is 35,000)."""
    unit = header_unit(header)
    if unit == 1:
        return ""
    return _("A number without its own unit counts × %(unit)s (the header's unit).") % {
        "unit": f"{unit:,}"
    }


class ColumnMappingForm(forms.Form):
    """One select per spreadsheet column: what it holds."""

    def __init__(self, *args, columns: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.column_names = list(columns)
        choices = column_choices()
        for index, (name, role) in enumerate(columns.items()):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=name,
                required=False,
                choices=choices,
                initial=role.key if role else "",
                help_text=_unit_hint(name),
            )

    def mapping(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(f"col_{index}", "")
            for index, name in enumerate(self.column_names)
        }
