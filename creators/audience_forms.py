"""The forms of a creator's audience page: demographics typed in (with their screenshot), and
samples of an account's audience members or comments."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import BLANK_CHOICE_DASH
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from creators import audience_labels as labels
from creators.audience import (
    ShareLine,
    SharesError,
    label_name,
    parse_shares,
    preview_shares,
    read_comments,
    read_identifiers,
    split_comments,
)
from creators.models import (
    HAND_SOURCES,
    AudienceProfile,
    AudienceSample,
    CommentSample,
    Creator,
    SocialAccount,
)
from kolhub.formatting import grouped
from kolhub.spreadsheets import MAX_IMPORT_BYTES
from kolhub.uploads import sniffed_type

IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp"}
MAX_SCREENSHOT_BYTES = 5 * 1024 * 1024


class SharesField(forms.CharField):
    """A textarea of `bucket: share%` entries (one a line, or several on a line between
    separators such as " / " or ","), cleaned to {bucket: fraction}, each bucket read
    through the vocabulary of its dimension (creators.audience_labels)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *args, dimension: str | None = None, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(*args, **kwargs)
        self.dimension = dimension

    def to_python(self, value):
        text = super().to_python(value)
        # Django checks max_length after to_python; the lines are parsed only once it holds.
        if self.max_length is not None:
            MaxLengthValidator(self.max_length)(text)
        try:
            return parse_shares(text, self.dimension)
        except SharesError as exc:
            raise forms.ValidationError(exc.messages) from None
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


def share_readings(form: forms.Form) -> list[dict]:
    """How each label of the form's share lists was read, for the preview beside the form:
    per dimension its field label, its lines (typed, share, name read, state) and total."""
    readings = []
    for bound in form:
        field = bound.field
        if not isinstance(field, SharesField) or not field.dimension:
            continue
        text = bound.value() or ""
        if field.max_length is not None and len(text) > field.max_length:
            continue  # the field says it is too long; reading it would be unbounded work
        lines = [_reading(line, field.dimension) for line in preview_shares(text, field.dimension)]
        if lines:
            total = sum(line["share"] for line in lines if line["share"] is not None)
            readings.append({"label": field.label, "lines": lines, "total": total})
    return readings


def _reading(line: ShareLine | None, dimension: str) -> dict:
    if line is None:
        return {"typed": "", "share": None, "name": "", "state": "unreadable"}
    if line.known:
        state, name = "read", label_name(dimension, line.key)
    elif line.kept:
        state, name = "as_typed", line.key
    else:
        state, name = "unknown", ""
    return {"typed": line.typed, "share": line.share, "name": name, "state": state}


class AudienceForm(forms.ModelForm):
    age = SharesField(
        label=_("Age"),
        dimension=labels.AGE,
        required=False,
        help_text=_("e.g. 18-24: 29% / 25-34: 41%, on one line or one a line"),
    )
    gender = SharesField(
        label=_("Gender"), dimension=labels.GENDER, required=False, help_text=_("e.g. female: 64%")
    )
    countries = SharesField(
        label=_("Countries"),
        dimension=labels.COUNTRIES,
        required=False,
        help_text=_("e.g. TW: 82%"),
    )
    cities = SharesField(
        label=_("Cities"),
        dimension=labels.CITIES,
        required=False,
        help_text=_("e.g. 台北市: 30% (a city abroad KOLHub does not know: Kobe, Japan: 5%)"),
    )
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
        # Read from the platform and demo data are written by KOLHub, never typed in.
        self.fields["source"].choices = BLANK_CHOICE_DASH + [
            (source.value, source.label) for source in HAND_SOURCES
        ]

    def clean_screenshot(self):
        upload = self.cleaned_data.get("screenshot")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            if upload.size > MAX_SCREENSHOT_BYTES:
                raise forms.ValidationError(_("The image is larger than 5 MB."))
            # Judged by its bytes: the browser's content type is the uploader's word.
            content_type = sniffed_type(upload)
            if content_type not in IMAGE_TYPES:
                raise forms.ValidationError(_("Upload a PNG, JPEG or WebP image."))
            upload.content_type = content_type
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
            identifiers = read_identifiers(upload.read(), most=AudienceSample.MAX_IDENTIFIERS)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if not identifiers:
            raise forms.ValidationError(_("The file holds no identifiers."))
        if len(identifiers) > AudienceSample.MAX_IDENTIFIERS:
            raise forms.ValidationError(
                _("A sample holds at most %(most)s identifiers; this file has more.")
                % {"most": grouped(AudienceSample.MAX_IDENTIFIERS)}
            )
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
            most = CommentSample.MAX_COMMENTS
            comments = (
                read_comments(upload.read(), upload.name, most=most)
                if upload
                else split_comments(text, most=most)
            )
        except ValueError as exc:
            self.add_error("file", str(exc))
            return cleaned
        if not comments:
            raise forms.ValidationError(_("Paste at least one comment or upload a file of them."))
        if len(comments) > CommentSample.MAX_COMMENTS:
            raise forms.ValidationError(
                _("A sample holds at most %(most)s comments; this one has more.")
                % {"most": grouped(CommentSample.MAX_COMMENTS)}
            )
        cleaned["comments"] = comments
        cleaned["source"] = CommentSample.Source.UPLOADED if upload else CommentSample.Source.PASTED
        return cleaned
