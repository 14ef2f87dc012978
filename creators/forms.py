from __future__ import annotations

from itertools import pairwise

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from creators.audience import parse_shares, read_comments, read_identifiers, split_comments
from creators.models import (
    AudienceProfile,
    Category,
    Classification,
    CommentSample,
    Creator,
    DeliverableFormat,
    Platform,
    RelationshipStatus,
    SocialAccount,
    Tier,
    TierThresholds,
)
from creators.parsing import clean_handle, parse_count, parse_profile_url
from creators.selectors import SORTS
from kolhub.models import Membership, Role, User, Workspace
from kolhub.spreadsheets import MAX_IMPORT_BYTES

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
        self.is_valid()
        filters = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
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
            "owner",
            "notes",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "categories": forms.CheckboxSelectMultiple,
        }

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


class TierThresholdsForm(forms.ModelForm):
    class Meta:
        model = TierThresholds
        fields = ["micro_min", "mid_min", "macro_min", "mega_min"]

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(name) for name in self.Meta.fields]
        if None not in values and not all(a < b for a, b in pairwise(values)):
            raise forms.ValidationError(_("Each tier must start above the previous one."))
        if cleaned.get("micro_min") == 0:
            self.add_error("micro_min", _("Micro must start above zero."))
        return cleaned


IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp"}
MAX_SCREENSHOT_BYTES = 5 * 1024 * 1024


class SharesField(forms.CharField):
    """A textarea of `bucket: share%` lines, cleaned to {bucket: fraction}."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return parse_shares(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class AudienceForm(forms.ModelForm):
    age = SharesField(label=_("Age"), required=False, help_text=_("One line each, e.g. 18-24: 29%"))
    gender = SharesField(label=_("Gender"), required=False, help_text=_("e.g. female: 64%"))
    countries = SharesField(label=_("Countries"), required=False, help_text=_("e.g. TW: 82%"))
    cities = SharesField(label=_("Cities"), required=False, help_text=_("e.g. 台北市: 30%"))
    languages = SharesField(label=_("Languages"), required=False, help_text=_("e.g. zh-TW: 88%"))

    class Meta:
        model = AudienceProfile
        fields = [
            "account",
            "captured_on",
            "source",
            "screenshot",
            "age",
            "gender",
            "countries",
            "cities",
            "languages",
            "notes",
        ]
        widgets = {"captured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, creator: Creator, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = creator.workspace
        self.fields["account"].queryset = SocialAccount.objects.filter(creator=creator)
        self.fields["captured_on"].initial = timezone.localdate()

    def clean_screenshot(self):
        upload = self.cleaned_data.get("screenshot")
        if upload and hasattr(upload, "content_type"):
            if upload.content_type not in IMAGE_TYPES:
                raise forms.ValidationError(_("Upload a PNG, JPEG or WebP image."))
            if upload.size > MAX_SCREENSHOT_BYTES:
                raise forms.ValidationError(_("The image is larger than 5 MB."))
        return upload

    def clean(self):
        cleaned = super().clean()
        dimensions = ("age", "gender", "countries", "cities", "languages")
        if not self.errors and not any(cleaned.get(d) for d in dimensions):
            raise forms.ValidationError(_("Enter at least one dimension of the audience."))
        if cleaned.get("source") == "screenshot" and not cleaned.get("screenshot"):
            self.add_error("screenshot", _("Attach the screenshot the numbers come from."))
        return cleaned


class AccountSampleForm(forms.Form):
    """A sample of one of the creator's accounts (audience members or comments)."""

    # The audience page holds three forms with an account field: ids must differ.
    id_prefix = "sample"
    account = forms.ModelChoiceField(label=_("Account"), queryset=SocialAccount.objects.none())

    def __init__(self, *args, creator: Creator, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = SocialAccount.objects.filter(creator=creator)


class AudienceSampleForm(AccountSampleForm):
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=160,
        help_text=_("Where the list comes from, e.g. commenters on 10 posts, Nov 2026"),
    )
    file = forms.FileField(
        label=_("Identifiers"),
        help_text=_("A text or CSV file: one handle or user id per line."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        try:
            identifiers = read_identifiers(upload.read())
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if not identifiers:
            raise forms.ValidationError(_("The file holds no identifiers."))
        return identifiers


class CommentSampleForm(AccountSampleForm):
    """Comment texts, pasted one per line or uploaded as a comment export."""

    id_prefix = "comments"

    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=160,
        help_text=_("Where the comments come from, e.g. the last 10 posts, Nov 2026"),
    )
    text = forms.CharField(
        label=_("Comments"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Paste one comment per line…"),
    )
    file = forms.FileField(
        label=_("…or upload them"),
        required=False,
        help_text=_(
            "A CSV or XLSX comment export with a “comment” or “text” column, or a text file "
            "with one comment per line."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        text, upload = cleaned.get("text", ""), cleaned.get("file")
        if text.strip() and upload:
            raise forms.ValidationError(_("Paste the comments or upload a file, not both."))
        try:
            comments = read_comments(upload.read(), upload.name) if upload else split_comments(text)
        except ValueError as exc:
            self.add_error("file", str(exc))
            return cleaned
        if not comments:
            raise forms.ValidationError(_("Paste at least one comment or upload a file of them."))
        if len(comments) > CommentSample.MAX_COMMENTS:
            raise forms.ValidationError(
                _("That is %(count)s comments; a sample holds at most %(most)s.")
                % {"count": f"{len(comments):,}", "most": f"{CommentSample.MAX_COMMENTS:,}"}
            )
        cleaned["comments"] = comments
        cleaned["source"] = CommentSample.Source.UPLOADED if upload else CommentSample.Source.PASTED
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

    creators = IdListField(error_messages={"required": _("Tick at least one creator.")})
    name = forms.CharField(
        label=_("Shortlist"),
        max_length=120,
        error_messages={"required": _("Name the shortlist (an existing one or a new one).")},
    )
