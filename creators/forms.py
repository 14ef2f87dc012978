from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from creators.models import (
    Category,
    Classification,
    Creator,
    Platform,
    RelationshipStatus,
    SocialAccount,
    Tier,
)
from creators.parsing import clean_handle, parse_count, parse_profile_url
from creators.selectors import SORTS
from kolhub.models import Workspace

SORT_CHOICES = [
    ("-followers", _("Most followers")),
    ("followers", _("Fewest followers")),
    ("-er", _("Highest engagement rate")),
    ("-authenticity", _("Most authentic")),
    ("price", _("Lowest rate")),
    ("name", _("Name")),
    ("-updated", _("Recently updated")),
]
assert {key for key, _label in SORT_CHOICES} == set(SORTS)


class CountField(forms.CharField):
    """Accepts counts the way people write them: 12,300 or 1.2萬 or 12.3K."""

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return parse_count(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": _("Search by name, @handle, tag, category or bio"),
            }
        ),
    )
    platform = forms.ChoiceField(label=_("Platform"), required=False)
    tier = forms.ChoiceField(label=_("Tier"), required=False)
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    classification = forms.ChoiceField(label=_("KOL or influencer"), required=False)
    relationship_status = forms.ChoiceField(label=_("Relationship"), required=False)
    followers_min = CountField(label=_("Followers from"), required=False)
    followers_max = CountField(label=_("Followers to"), required=False)
    er_min = forms.DecimalField(
        label=_("Engagement rate from (%)"), required=False, min_value=0, max_value=100
    )
    er_max = forms.DecimalField(
        label=_("Engagement rate to (%)"), required=False, min_value=0, max_value=100
    )
    authenticity_min = forms.IntegerField(
        label=_("Authenticity from"), required=False, min_value=0, max_value=100
    )
    authenticity_max = forms.IntegerField(
        label=_("Authenticity to"), required=False, min_value=0, max_value=100
    )
    price_min = CountField(label=_("Rate from"), required=False)
    price_max = CountField(label=_("Rate to"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, workspace: Workspace, categories, regions, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["platform"].choices = anything + Platform.choices
        self.fields["tier"].choices = anything + Tier.choices
        self.fields["classification"].choices = anything + Classification.choices
        self.fields["relationship_status"].choices = anything + RelationshipStatus.choices
        self.fields["region"].choices = anything + [(r, r) for r in regions]
        # The page already loaded the categories: choices from that list, no second query.
        self.fields["category"].choices = anything + [(c.pk, c.name) for c in categories]

    def filters(self) -> dict:
        """The valid filters (engagement rate as a fraction); invalid ones are left out."""
        if not self.is_valid():
            return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        filters = dict(self.cleaned_data)
        for name in ("er_min", "er_max"):
            if filters.get(name) is not None:
                filters[name] = filters[name] / 100
        return filters


class CreatorForm(forms.ModelForm):
    class Meta:
        model = Creator
        fields = [
            "display_name",
            "real_name",
            "classification",
            "classification_reason",
            "categories",
            "region",
            "city",
            "languages",
            "bio",
            "relationship_status",
            "do_not_work_reason",
            "email",
            "phone",
            "line_id",
            "agent_name",
            "agent_contact",
            "rate_currency",
            "notes",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "categories": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        self.fields["categories"].queryset = Category.objects.for_workspace(workspace)

    def clean_rate_currency(self) -> str:
        code = self.cleaned_data["rate_currency"].strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise forms.ValidationError(_("Enter a three-letter currency code such as TWD."))
        return code

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("relationship_status") == RelationshipStatus.DO_NOT_WORK and not cleaned.get(
            "do_not_work_reason"
        ):
            self.add_error("do_not_work_reason", _("Say why, so the team knows next time."))
        return cleaned


class AccountForm(forms.Form):
    """An account from a pasted profile URL, or from a platform and a handle."""

    url = forms.CharField(
        label=_("Profile URL"),
        required=False,
        max_length=500,
        help_text=_("Paste the profile link; platform and handle are read from it."),
    )
    platform = forms.ChoiceField(label=_("Platform"), required=False)
    handle = forms.CharField(label=_("Handle"), required=False, max_length=120)
    followers = CountField(
        label=_("Followers"), required=False, help_text=_("e.g. 12,300 or 1.2萬")
    )

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["platform"].choices = [("", "—"), *Platform.choices]
        self.existing: SocialAccount | None = None

    def clean(self):
        cleaned = super().clean()
        try:
            if cleaned.get("url"):
                profile = parse_profile_url(cleaned["url"])
                cleaned.update(
                    platform=profile.platform,
                    handle=profile.handle,
                    url=profile.url,
                    platform_id=profile.platform_id,
                )
            elif cleaned.get("platform") and cleaned.get("handle"):
                cleaned["handle"] = clean_handle(cleaned["platform"], cleaned["handle"])
                cleaned["platform_id"] = ""
            else:
                raise forms.ValidationError(
                    _("Paste a profile URL, or choose a platform and type the handle.")
                )
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.existing = (
            SocialAccount.objects.for_workspace(self.workspace)
            .select_related("creator")
            .filter(platform=cleaned["platform"], handle=cleaned["handle"])
            .first()
        )
        if self.existing:
            raise forms.ValidationError(
                _("%(account)s already belongs to %(creator)s."),
                params={"account": self.existing, "creator": self.existing.creator},
                code="duplicate",
            )
        return cleaned


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


class ColumnMappingForm(forms.Form):
    """One select per spreadsheet column: what it holds."""

    def __init__(self, *args, columns: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.column_names = list(columns)
        choices = column_choices()
        for index, (name, role) in enumerate(columns.items()):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=name, required=False, choices=choices, initial=role.key if role else ""
            )

    def mapping(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(f"col_{index}", "")
            for index, name in enumerate(self.column_names)
        }
