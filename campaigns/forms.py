from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.brief_check import MAX_BRIEF_ENTRIES, MAX_CAPTION_LENGTH
from campaigns.models import (
    KPI_KIND,
    BriefVersion,
    Campaign,
    CampaignStatus,
    Collaboration,
    Decision,
    Deliverable,
    Installment,
    KpiMetric,
    Shipment,
    Stage,
    funnel_position,
)
from campaigns.services.plan import BRIEF_FIELDS
from campaigns.services.portal import INSIGHT_FIELDS
from creators.models import FORMAT_PLATFORM, DeliverableFormat, Platform, Tier
from creators.post_urls import POST_PLATFORMS, PostUrlError, parse_post_url
from kolhub.models import Membership, Workspace
from kolhub.selectors import team_users, workspace_brands
from kolhub.uploads import BRIEF_ASSETS, DRAFT_MEDIA, SCREENSHOTS, UploadValidator

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each validated on its own."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class CurrencyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"list": "currency-codes", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value).strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise forms.ValidationError(_("Enter a three-letter currency code such as TWD."))
        return code


class CampaignForm(forms.ModelForm):
    currency = CurrencyField(label=_("Currency"))

    class Meta:
        model = Campaign
        fields = [
            "brand",
            "name",
            "objective",
            "description",
            "starts_on",
            "ends_on",
            "observation_ends_on",
            "currency",
            "total_budget",
            "status",
            "owner",
            "brand_approval",
            "auto_approve_days",
            "receipt_followup_days",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "observation_ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        workspace = membership.workspace
        self.instance.workspace = workspace
        self.fields["brand"].queryset = workspace_brands(membership)
        self.fields["owner"].queryset = team_users(workspace)
        self.fields["observation_ends_on"].required = False
        if not self.instance.pk:
            # A new campaign is being planned, in the workspace's currency (not the model's
            # defaults, which the form would otherwise show).
            self.initial["currency"] = workspace.currency
            self.initial["status"] = CampaignStatus.PLANNING

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in the groups the form page shows them in."""
        groups = [
            (_("The campaign"), ["brand", "name", "objective", "description"]),
            (_("Dates"), ["starts_on", "ends_on", "observation_ends_on"]),
            (_("Budget and people"), ["currency", "total_budget", "status", "owner"]),
            (
                _("Review and follow-up"),
                ["brand_approval", "auto_approve_days", "receipt_followup_days"],
            ),
        ]
        return [(title, [self[name] for name in names]) for title, names in groups]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends, observe = (
            data.get("starts_on"),
            data.get("ends_on"),
            data.get("observation_ends_on"),
        )
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last publish date cannot be before the start."))
        if ends and observe and observe < ends:
            self.add_error(
                "observation_ends_on",
                _("The observation window cannot end before the last publish date."),
            )
        if data.get("auto_approve_days") and not data.get("brand_approval"):
            self.add_error(
                "auto_approve_days",
                _("Auto-approval applies to the brand's approval step: turn that on first."),
            )
        return data


def kpi_field(metric: KpiMetric, currency: str) -> forms.DecimalField:
    kind = KPI_KIND[metric]
    suffix = {"percent": "%", "money": currency, "ratio": "×", "count": ""}[kind]
    return forms.DecimalField(
        label=str(metric.label) + (f" ({suffix})" if suffix else ""),
        required=False,
        min_value=Decimal(0),
        max_digits=18,
        decimal_places=4 if kind in ("percent", "ratio") else 2,
    )


class KpiTargetsForm(forms.Form):
    """One optional target per metric; empty means no target."""

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        current = {t.metric: t.target for t in campaign.kpi_targets.all()}
        for metric in sorted(KpiMetric, key=funnel_position):
            self.fields[metric.value] = kpi_field(metric, campaign.currency)
            if metric.value in current:
                self.initial[metric.value] = current[metric.value].normalize()

    def targets(self) -> dict[str, Decimal | None]:
        return {metric.value: self.cleaned_data.get(metric.value) for metric in KpiMetric}


class TierBudgetForm(forms.Form):
    """Per tier: a share of the budget or an amount (not both)."""

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        current = {b.tier: b for b in campaign.tier_budgets.all()}
        for tier in Tier:
            self.fields[f"{tier.value}_share"] = forms.DecimalField(
                label=_("%(tier)s: share (%%)") % {"tier": tier.label},
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
            )
            self.fields[f"{tier.value}_amount"] = forms.DecimalField(
                label=_("%(tier)s: amount (%(currency)s)")
                % {"tier": tier.label, "currency": campaign.currency},
                required=False,
                min_value=Decimal(0),
                decimal_places=2,
                max_digits=14,
            )
            if budget := current.get(tier.value):
                self.initial[f"{tier.value}_share"] = budget.share
                self.initial[f"{tier.value}_amount"] = budget.amount

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(t.label, self[f"{t.value}_share"], self[f"{t.value}_amount"]) for t in Tier]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        total_share = Decimal(0)
        for tier in Tier:
            share, amount = data.get(f"{tier.value}_share"), data.get(f"{tier.value}_amount")
            if share is not None and amount is not None:
                self.add_error(
                    f"{tier.value}_amount", _("Give a share or an amount for a tier, not both.")
                )
            total_share += share or 0
        if total_share > 100:
            raise forms.ValidationError(
                _("The shares add up to %(total)s%%; they cannot exceed 100%%.")
                % {"total": total_share.normalize()}
            )
        return data

    def plans(self) -> dict[str, tuple[Decimal | None, Decimal | None]]:
        return {
            t.value: (
                self.cleaned_data.get(f"{t.value}_share"),
                self.cleaned_data.get(f"{t.value}_amount"),
            )
            for t in Tier
        }


class BriefForm(forms.ModelForm):
    required_link = forms.URLField(
        label=_("Required link"), required=False, max_length=500, assume_scheme="https"
    )
    uploads = MultipleFileField(
        label=_("Add reference files"),
        required=False,
        validators=[UploadValidator(BRIEF_ASSETS)],
        help_text=_("Images, videos or PDF."),
    )
    remove_assets = forms.TypedMultipleChoiceField(
        label=_("Remove files"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = BriefVersion
        fields = BRIEF_FIELDS
        widgets = {
            "key_messages": forms.Textarea(attrs={"rows": 4}),
            "dos": forms.Textarea(attrs={"rows": 3}),
            "donts": forms.Textarea(attrs={"rows": 3}),
            "format_requirements": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, assets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove_assets"].choices = [(a.pk, a.name) for a in assets]
        if not assets:
            del self.fields["remove_assets"]

    def brief_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in BRIEF_FIELDS}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Read back the way the checker reads them (the model's lists).
        lists = BriefVersion(**{name: data.get(name) or "" for name in MAX_BRIEF_ENTRIES})
        entries = {
            "hashtags": lists.hashtag_list,
            "mentions": lists.mention_list,
            "forbidden_words": lists.forbidden_list,
        }
        for name, limit in MAX_BRIEF_ENTRIES.items():
            if len(entries[name]) > limit:
                self.add_error(
                    name,
                    _("At most %(limit)s entries, please; this list has %(count)s.")
                    % {"limit": limit, "count": len(entries[name])},
                )
        return data


class CollaborationForm(forms.ModelForm):
    currency = CurrencyField(label=_("Currency"))

    class Meta:
        model = Collaboration
        fields = [
            "owner",
            "tier",
            "currency",
            "fee",
            "product_cost",
            "shipping_cost",
            "other_cost",
            "payment_status",
            "deposit_paid_on",
            "paid_on",
            *Collaboration.RIGHTS_FIELDS,
            "exclusivity_ends_on",
            "min_live_days",
            "notes",
        ]
        widgets = {
            "deposit_paid_on": DATE,
            "paid_on": DATE,
            "rights_starts_on": DATE,
            "rights_ends_on": DATE,
            "exclusivity_ends_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    COST_FIELDS = ("fee", "product_cost", "shipping_cost", "other_cost")
    PAYMENT_FIELDS = ("payment_status", "deposit_paid_on", "paid_on")
    RIGHTS_FIELDS = (*Collaboration.RIGHTS_FIELDS, "exclusivity_ends_on", "min_live_days")

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_users(workspace)
        self.follows_ledger = bool(
            self.instance.pk
            and Installment.objects.filter(
                workspace_id=workspace.pk, collaboration_id=self.instance.pk
            ).exists()
        )
        if self.follows_ledger:
            # With a payout schedule, the payment summary is the ledger's to keep.
            for name in self.PAYMENT_FIELDS:
                del self.fields[name]
        for name in self.COST_FIELDS:
            # The model's validator speaks of "greater than or equal to 0"; say it plainly.
            self.fields[name].min_value = Decimal(0)
            self.fields[name].error_messages["min_value"] = _("A cost cannot be negative.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("rights_starts_on"), data.get("rights_ends_on")
        if starts and ends and ends < starts:
            self.add_error("rights_ends_on", _("Usage rights cannot end before they start."))
        if data.get("payment_status") == "paid" and not data.get("paid_on"):
            self.add_error("paid_on", _("When was it paid? Enter the date."))
        if data.get("payment_status") == "deposit" and not data.get("deposit_paid_on"):
            self.add_error("deposit_paid_on", _("When was the deposit paid? Enter the date."))
        return data

    def section(self, names) -> list[forms.BoundField]:
        return [self[name] for name in names]

    def cost_fields(self):
        return self.section(self.COST_FIELDS)

    def rights_fields(self):
        return self.section(self.RIGHTS_FIELDS)


class DeliverableForm(forms.ModelForm):
    class Meta:
        model = Deliverable
        fields = ["format", "platform", "draft_due", "publish_due", "requirements"]
        widgets = {
            "draft_due": DATE,
            "publish_due": DATE,
            "requirements": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, collaboration: Collaboration, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.collaboration = collaboration
        self.instance.workspace_id = collaboration.workspace_id
        self.campaign = collaboration.campaign

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts = self.campaign.starts_on
        for name in ("draft_due", "publish_due"):
            due = data.get(name)
            if due and due < starts:
                self.add_error(
                    name,
                    _("This is before the campaign starts (%(date)s).")
                    % {"date": starts.isoformat()},
                )
        draft_due, publish_due = data.get("draft_due"), data.get("publish_due")
        if draft_due and publish_due and publish_due < draft_due:
            self.add_error("publish_due", _("Publishing cannot be due before the draft."))
        self._check_platform_of_format(data.get("format"), data.get("platform"))
        return data

    def _check_platform_of_format(self, format: str | None, platform: str | None) -> None:
        """An Instagram reel cannot be a YouTube deliverable: its post would be read, and its
        errors shown, as another platform's."""
        wanted = FORMAT_PLATFORM.get(format or "")
        if wanted and platform and platform != wanted:
            self.add_error(
                "platform",
                _("%(format)s is posted on %(platform)s: choose %(platform)s or another format.")
                % {
                    "format": DeliverableFormat(format).label,
                    "platform": Platform(wanted).label,
                },
            )


class ShipmentForm(forms.ModelForm):
    class Meta:
        model = Shipment
        fields = [
            "items",
            "quantity",
            "value",
            "recipient_name",
            "recipient_phone",
            "recipient_address",
            "carrier",
            "tracking_number",
            "shipped_on",
            "delivered_on",
            "received_on",
        ]
        widgets = {
            "shipped_on": DATE,
            "delivered_on": DATE,
            "received_on": DATE,
            "recipient_address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, collaboration: Collaboration, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.collaboration = collaboration
        self.instance.workspace_id = collaboration.workspace_id
        self.fields["value"].min_value = Decimal(0)
        if not self.instance.pk:
            creator = collaboration.creator
            self.initial.setdefault("recipient_name", creator.real_name or creator.display_name)
            self.initial.setdefault("recipient_phone", creator.phone)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        shipped = data.get("shipped_on")
        for name in ("delivered_on", "received_on"):
            later = data.get(name)
            if later and not shipped:
                self.add_error("shipped_on", _("Enter the shipping date first."))
            elif later and shipped and later < shipped:
                self.add_error(name, _("This is before the shipping date."))
        return data


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class AddCreatorsForm(forms.Form):
    creators = forms.TypedMultipleChoiceField(label=_("Creators"), coerce=int, required=False)
    shortlist = forms.IntegerField(label=_("Shortlist"), required=False)

    def __init__(self, *args, creator_ids, shortlist_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creators"].choices = [(pk, pk) for pk in creator_ids]
        self.shortlist_ids = set(shortlist_ids)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("shortlist") and data["shortlist"] not in self.shortlist_ids:
            self.add_error("shortlist", _("Choose one of your shortlists."))
        if not data.get("creators") and not data.get("shortlist"):
            raise forms.ValidationError(_("Pick at least one creator or a shortlist."))
        return data


class BulkForm(forms.Form):
    ACTIONS = [
        ("move", _("Move to stage")),
        ("assign", _("Assign to")),
        ("remove", _("Remove from campaign")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    collaborations = forms.TypedMultipleChoiceField(label=_("Creators"), coerce=int)
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", "—"), *Stage.choices], required=False)
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("person in charge", "Owner"), queryset=None, required=False
    )

    def __init__(self, *args, workspace: Workspace, collaboration_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collaborations"].choices = [(pk, pk) for pk in collaboration_ids]
        self.fields["collaborations"].error_messages["required"] = _(
            "Tick at least one collaboration."
        )
        self.fields["owner"].queryset = team_users(workspace)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "move" and not data.get("stage"):
            self.add_error("stage", _("Choose the stage to move to."))
        return data


class DraftForm(forms.Form):
    caption = forms.CharField(
        label=_("Caption / text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=MAX_CAPTION_LENGTH,
        error_messages={
            "max_length": _(
                "A caption can be at most %(limit_value)s characters, the most any platform "
                "takes (Facebook); this one has %(show_value)s."
            )
        },
    )
    files = MultipleFileField(
        label=_("Photos or videos"),
        required=False,
        validators=[UploadValidator(DRAFT_MEDIA)],
        help_text=_(
            "JPEG, PNG, WebP, GIF, HEIC, MP4, MOV or WebM, up to %(size)s MB each, at most "
            "%(count)s files."
        )
        % {"size": settings.UPLOAD_MAX_MB, "count": settings.DATA_UPLOAD_MAX_NUMBER_FILES},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("caption") or "").strip() and not data.get("files"):
            raise forms.ValidationError(_("A draft needs a caption, files or both."))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=capfirst(_("decision")), choices=Decision.choices)
    body = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (d.value, d.label) for d in Decision if d.value in decisions
        ]


class PortalLinkForm(forms.Form):
    language = forms.ChoiceField(label=_("Creator's language"), choices=settings.LANGUAGES)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=120)


class LivePostForm(forms.Form):
    url = forms.CharField(label=_("Live post URL"), max_length=500)

    def __init__(self, *args, deliverable: Deliverable, **kwargs):
        super().__init__(*args, **kwargs)
        self.deliverable = deliverable

    def clean_url(self) -> str:
        """The post's canonical URL, on the platform the deliverable is for."""
        try:
            parsed = parse_post_url(self.cleaned_data["url"])
        except PostUrlError as error:
            raise forms.ValidationError(str(error)) from None
        expected = self.deliverable.platform
        if expected in POST_PLATFORMS and parsed.platform != expected:
            raise forms.ValidationError(
                _("This is a %(found)s link, but this deliverable is for %(expected)s.")
                % {
                    "found": Platform(parsed.platform).label,
                    "expected": Platform(expected).label,
                }
            )
        return parsed.url


class InsightsForm(forms.Form):
    screenshot = forms.FileField(
        label=_("Screenshot of the insights"),
        required=False,
        validators=[UploadValidator(SCREENSHOTS)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from campaigns.models import InsightReport

        for name in INSIGHT_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=InsightReport._meta.get_field(name).verbose_name,
                required=False,
                min_value=0,
            )
        # Figures first, then the proof.
        self.order_fields([*INSIGHT_FIELDS, "screenshot"])

    def figures(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in INSIGHT_FIELDS}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if all(data.get(name) is None for name in INSIGHT_FIELDS):
            raise forms.ValidationError(_("Fill in at least one figure."))
        return data
