"""The roster's forms: the directory's filters, a creator and their accounts, tier thresholds,
shortlists."""

from __future__ import annotations

from itertools import pairwise

from django import forms
from django.utils.translation import gettext_lazy as _

from creators import audience_labels as labels
from creators.audience import label_name
from creators.audience_labels import canonical_region
from creators.models import (
    Category,
    Classification,
    Creator,
    DeliverableFormat,
    Platform,
    RelationshipStatus,
    SocialAccount,
    Tier,
    TierThresholds,
)
from creators.parsing import clean_handle, parse_count, parse_profile_url
from creators.selectors import AUDIENCE_FILTERS, SORTS
from kolhub.forms import BoundedModelMultipleChoiceField
from kolhub.models import Membership, Role, User, Workspace

SORT_CHOICES = [
    ("-followers", _("Most followers")),
    ("followers", _("Fewest followers")),
    ("-er", _("Highest engagement rate")),
    ("-authenticity", _("Most authentic")),
    ("-vs_tier", _("Most engaging for their tier")),
    ("stability", _("Steadiest engagement")),
    ("red_flags", _("Fewest red flags")),
    ("-sponsored", _("Sponsored posts engage most")),
    ("price", _("Lowest rate")),
    ("name", _("Name")),
    ("-updated", _("Recently updated")),
]


assert {key for key, _label in SORT_CHOICES} == set(SORTS)
AUDIENCE_SHARES = [minimum for _dimension, minimum in AUDIENCE_FILTERS.values()]


def share_field(label) -> forms.DecimalField:
    """The smallest share of the audience a directory filter asks for, in percent."""
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_value=100, decimal_places=1
    )


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
    vs_tier_min = forms.DecimalField(
        label=_("Engagement against its tier, from (×)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("1 is the typical rate for the tier; 1.5 is half again as engaging."),
    )
    stability_max = forms.DecimalField(
        label=_("Engagement variation, up to"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Coefficient of variation of the last 12 posts: 0.5 or less is steady."),
    )
    red_flags_max = forms.IntegerField(
        label=_("Red flags, at most"),
        required=False,
        min_value=0,
        max_value=99,
        help_text=_("Authenticity warning signals that fired; unscored creators are left out."),
    )
    sponsored_min = forms.DecimalField(
        label=_("Sponsored vs organic, from (×)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("1 means sponsored posts engage like the creator's own posts."),
    )
    price_min = CountField(label=_("Rate from"), required=False)
    price_max = CountField(label=_("Rate to"), required=False)
    audience_country = forms.CharField(
        label=_("Audience country"),
        required=False,
        max_length=60,
        help_text=_(
            "台灣, Japan or TW. Read in each creator's newest audience profile (of the chosen "
            "platform's account), whether the platform reported it or it was entered by hand."
        ),
    )
    audience_country_min = share_field(_("Audience in that country, from (%)"))
    audience_gender = forms.ChoiceField(label=_("Audience gender"), required=False)
    audience_gender_min = share_field(_("Audience of that gender, from (%)"))
    audience_age = forms.ChoiceField(label=_("Audience age"), required=False)
    audience_age_min = share_field(_("Audience of that age, from (%)"))
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
        self.fields["audience_gender"].choices = anything + [
            (key, label_name(labels.GENDER, key)) for key in ("female", "male", "other")
        ]
        self.fields["audience_age"].choices = anything + [(a, a) for a in labels.AGE_BUCKETS]

    def clean_audience_country(self) -> str:
        """The country's code, as audience profiles store it (creators.audience_labels)."""
        text = self.cleaned_data["audience_country"]
        if not text:
            return ""
        code = labels.read_country(text)
        if code is None:
            raise forms.ValidationError(
                _("Not a country or region KOLHub knows: write its name (台灣, Japan) or its code.")
            )
        return code

    def filters(self) -> dict:
        """The valid filters (rates and audience shares as fractions); invalid ones are left
        out."""
        self.is_valid()
        filters = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        for name in ("er_min", "er_max", *AUDIENCE_SHARES):
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
            "owner",
            "notes",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "categories": forms.CheckboxSelectMultiple,
        }
        field_classes = {"categories": BoundedModelMultipleChoiceField}

    profile_url = forms.CharField(
        label=_("Profile URL"),
        required=False,
        max_length=500,
        help_text=_("Paste one profile link to add the first account; more can be added later."),
    )
    profile_followers = CountField(label=_("Followers of that account"), required=False)
    tags_text = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas, e.g. 敏感肌, 母嬰, long-term"),
    )

    CONTACT_FIELDS = ("email", "phone", "line_id", "agent_name", "agent_contact")

    def __init__(self, *args, workspace: Workspace, show_contacts: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        if not show_contacts:
            # Members neither see nor overwrite contact details (managers and owners do).
            for name in self.CONTACT_FIELDS:
                del self.fields[name]
        self.duplicate: Creator | None = None
        self.profile = None
        self.account_owner: Creator | None = None
        self.fields["categories"].queryset = Category.objects.for_workspace(workspace)
        # The owner is someone of this workspace's team (client viewers are not the team).
        self.fields["owner"].queryset = User.objects.filter(
            memberships__in=Membership.objects.for_workspace(workspace).exclude(role=Role.CLIENT)
        )
        if self.instance.pk:  # accounts of an existing creator are managed on the profile
            del self.fields["profile_url"], self.fields["profile_followers"]
        rates = {}
        if self.instance.pk:
            self.fields["tags_text"].initial = ", ".join(t.name for t in self.instance.tags.all())
            rates = {r.format: r.price for r in self.instance.rates.all()}
        for value, label in DeliverableFormat.choices:
            self.fields[f"rate_{value}"] = forms.DecimalField(
                label=label,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=rates.get(value),
            )

    @property
    def rate_fields(self):
        return [self[f"rate_{value}"] for value, _label in DeliverableFormat.choices]

    @property
    def main_fields(self):
        """Everything but the rate card (shown in its own fieldset with its currency)."""
        rate_card = {f"rate_{value}" for value, _label in DeliverableFormat.choices}
        return [f for f in self if f.name not in rate_card and f.name != "rate_currency"]

    def tag_names(self) -> list[str]:
        parts = [p.strip().lstrip("#")[:60] for p in self.cleaned_data["tags_text"].split(",")]
        return list(dict.fromkeys(p for p in parts if p))

    def rates(self) -> dict[str, object]:
        return {
            value: self.cleaned_data.get(f"rate_{value}") for value, _ in DeliverableFormat.choices
        }

    def clean_region(self) -> str:
        """One spelling per place (臺北, 台北 and Taipei are 台北市), so the directory's region
        filter does not list near-duplicates."""
        return canonical_region(self.cleaned_data["region"])

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        self.duplicate = (
            Creator.objects.for_workspace(self.instance.workspace)
            .filter(display_name__iexact=name)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if self.duplicate and not self.data.get("different_person"):
            raise forms.ValidationError(
                _("A creator named “%(name)s” is already on the roster."), params={"name": name}
            )
        return name

    def clean_profile_url(self) -> str:
        url = self.cleaned_data["profile_url"].strip()
        if not url:
            return ""
        try:
            self.profile = parse_profile_url(url)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        taken = (
            SocialAccount.objects.for_workspace(self.instance.workspace)
            .select_related("creator")
            .filter(platform=self.profile.platform, handle=self.profile.handle)
            .first()
        )
        if taken:
            self.account_owner = taken.creator
            raise forms.ValidationError(
                _("%(account)s already belongs to %(creator)s."),
                params={"account": taken, "creator": taken.creator},
            )
        return url

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


class TierThresholdsForm(forms.ModelForm):
    class Meta:
        model = TierThresholds
        fields = ["micro_min", "mid_min", "macro_min", "mega_min"]

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(name) for name in self.Meta.fields]
        if None not in values:
            # On the first field out of order: a field with an error is left out of the model's
            # own check, which would otherwise show the database constraint's name as well.
            for name, (before, value) in zip(self.Meta.fields[1:], pairwise(values), strict=True):
                if value <= before:
                    self.add_error(name, _("Each tier must start above the previous one."))
                    break
        if cleaned.get("micro_min") == 0:
            self.add_error("micro_min", _("Micro must start above zero."))
        return cleaned


class IdListField(forms.Field):
    """Ticked checkboxes carrying row ids; which ids are allowed is the service's business."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            ids = [int(v) for v in (value or [])[:1000]]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Invalid selection.")) from None
        if any(not 0 < i < 2**63 for i in ids):
            raise forms.ValidationError(_("Invalid selection."))
        return ids


class ShortlistAddForm(forms.Form):
    """The directory's bulk action: the ticked creators into a shortlist, found or made by name."""

    creators = IdListField(
        label=_("Creators"), error_messages={"required": _("Tick at least one creator.")}
    )
    name = forms.CharField(
        label=_("Shortlist"),
        max_length=120,
        error_messages={"required": _("Name the shortlist (an existing one or a new one).")},
    )
