"""What the API shows of each resource, and the shapes of the bodies it takes. Input is
checked here for types only; the rules are the pages' own forms and services (api.views)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.models import Campaign, Collaboration, Deliverable, Draft, Stage
from creators.models import Creator, CreatorImport, SocialAccount
from kolhub.http import MAX_ID
from tracking.models import Conversion, MetricSnapshot, Post, TrackedLink

CONTACT_FIELDS = ("email", "phone", "line_id", "agent_name", "agent_contact")


def _text(help_text: str = "", *, nullable: bool = False) -> serializers.CharField:
    """A read-only text that may be empty (a blank choice, an unset e-mail)."""
    return serializers.CharField(read_only=True, allow_null=nullable, help_text=help_text)


class AccountSerializer(serializers.ModelSerializer):
    tier = _text("nano, micro, mid, macro, mega, or empty before followers are known.")

    class Meta:
        model = SocialAccount
        fields = ["id", "platform", "handle", "profile_url", "followers", "tier", "verified"]


class CreatorSerializer(serializers.ModelSerializer):
    accounts = AccountSerializer(many=True, read_only=True)
    categories = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    rates = serializers.SerializerMethodField()
    classification = _text("kol, influencer, or empty.")
    top_tier = _text("The tier of the creator's biggest account, or empty.")
    email = _text("Null for a member's session: members see no contact details.", nullable=True)
    phone = _text(nullable=True)
    line_id = _text(nullable=True)
    agent_name = _text(nullable=True)
    agent_contact = _text(nullable=True)

    class Meta:
        model = Creator
        fields = [
            "id",
            "display_name",
            "real_name",
            "classification",
            "classification_reason",
            "region",
            "city",
            "languages",
            "bio",
            "relationship_status",
            "do_not_work_reason",
            *CONTACT_FIELDS,
            "rate_currency",
            "rates",
            "categories",
            "tags",
            "notes",
            "total_followers",
            "top_tier",
            "engagement_rate",
            "authenticity_score",
            "accounts",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_categories(self, creator: Creator) -> list[str]:
        return [c.name for c in creator.categories.all()]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_tags(self, creator: Creator) -> list[str]:
        return sorted(t.name for t in creator.tags.all())

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "string", "format": "decimal"}}
    )
    def get_rates(self, creator: Creator) -> dict[str, str]:
        return {r.format: str(r.price) for r in creator.rates.all()}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        membership = self.context.get("membership")
        if membership is not None and not membership.can_manage:
            # Members see no contact details on the pages either.
            for name in CONTACT_FIELDS:
                data[name] = None
        return data


class AccountWriteSerializer(serializers.Serializer):
    """A profile URL, or a platform and a handle (as on the creator's profile page)."""

    url = serializers.CharField(max_length=500, required=False, allow_blank=True)
    platform = serializers.CharField(max_length=12, required=False, allow_blank=True)
    handle = serializers.CharField(max_length=120, required=False, allow_blank=True)
    followers = serializers.IntegerField(min_value=0, max_value=10**12, required=False)


class CreatorWriteSerializer(serializers.Serializer):
    """A creator's fields; on update, the ones left out keep their value."""

    display_name = serializers.CharField(max_length=120)
    real_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    classification = serializers.CharField(required=False, allow_blank=True)
    classification_reason = serializers.CharField(required=False, allow_blank=True)
    region = serializers.CharField(max_length=60, required=False, allow_blank=True)
    city = serializers.CharField(max_length=60, required=False, allow_blank=True)
    languages = serializers.CharField(required=False, allow_blank=True)
    bio = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    relationship_status = serializers.CharField(required=False, allow_blank=True)
    do_not_work_reason = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    line_id = serializers.CharField(max_length=60, required=False, allow_blank=True)
    agent_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    agent_contact = serializers.CharField(max_length=160, required=False, allow_blank=True)
    rate_currency = serializers.CharField(max_length=3, required=False)
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    categories = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, max_length=50
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=50
    )
    rates = serializers.DictField(
        child=serializers.DecimalField(
            max_digits=14, decimal_places=2, min_value=0, allow_null=True
        ),
        required=False,
        help_text="A price per format (post, story, reel, video…); null removes that format.",
    )
    profile_url = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="On creation only: one profile link, which adds the first account.",
    )
    profile_followers = serializers.IntegerField(min_value=0, max_value=10**12, required=False)
    different_person = serializers.BooleanField(
        required=False,
        help_text="Create even though a creator of the same name is on the roster.",
    )


class BrandRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CampaignSerializer(serializers.ModelSerializer):
    brand = BrandRefSerializer(read_only=True)
    roster = serializers.IntegerField(read_only=True, help_text="Collaborations on the roster.")
    committed = serializers.IntegerField(
        read_only=True, help_text="Collaborations contracted or further on."
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "slug",
            "brand",
            "objective",
            "status",
            "starts_on",
            "ends_on",
            "observation_ends_on",
            "currency",
            "total_budget",
            "roster",
            "committed",
            "created_at",
        ]
        read_only_fields = fields


class CreatorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class CollaborationSerializer(serializers.ModelSerializer):
    creator = CreatorRefSerializer(read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    tier = _text("The creator's tier when added, or empty.")

    class Meta:
        model = Collaboration
        fields = [
            "id",
            "campaign",
            "creator",
            "stage",
            "stage_label",
            "stage_changed_at",
            "tier",
            "currency",
            "fee",
            "product_cost",
            "shipping_cost",
            "other_cost",
            "payment_status",
            "created_at",
        ]
        read_only_fields = fields


class RosterAddSerializer(serializers.Serializer):
    creator = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of a creator."
    )


class StageMoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PostSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = [
            "id",
            "collaboration",
            "platform",
            "url",
            "published_at",
            "status",
            "views",
            "reach",
            "impressions",
            "likes",
            "comments",
            "shares",
            "saves",
            "last_pulled_at",
            "created_at",
        ]
        read_only_fields = fields


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = MetricSnapshot
        fields = [
            "captured_at",
            "views",
            "reach",
            "impressions",
            "likes",
            "comments",
            "shares",
            "saves",
            "source",
        ]
        read_only_fields = fields


class DraftSerializer(serializers.ModelSerializer):
    class Meta:
        model = Draft
        fields = [
            "id",
            "version",
            "status",
            "caption",
            "by_creator",
            "submitted_at",
            "agency_approved_at",
        ]
        read_only_fields = fields


class DeliverableSerializer(serializers.ModelSerializer):
    drafts = DraftSerializer(many=True, read_only=True)

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "collaboration",
            "format",
            "platform",
            "status",
            "draft_due",
            "publish_due",
            "requirements",
            "live_url",
            "published_at",
            "draft_submitted_at",
            "approved_at",
            "drafts",
            "created_at",
        ]
        read_only_fields = fields


class TrackedLinkSerializer(serializers.ModelSerializer):
    short_url = serializers.SerializerMethodField()
    human_clicks = serializers.IntegerField(read_only=True)
    daily_visitors = serializers.IntegerField(
        read_only=True, help_text="Unique visitors summed over the days."
    )
    bot_requests = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrackedLink
        fields = [
            "id",
            "collaboration",
            "deliverable",
            "code",
            "short_url",
            "destination",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_content",
            "utm_term",
            "is_active",
            "human_clicks",
            "daily_visitors",
            "bot_requests",
            "created_at",
        ]
        read_only_fields = fields

    def get_short_url(self, link: TrackedLink) -> str:
        return f"{settings.SITE_URL}{reverse('tracked_redirect', args=[link.code])}"


class ConversionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Conversion
        fields = [
            "id",
            "channel",
            "order_id",
            "amount",
            "currency",
            "refunded",
            "cancelled",
            "occurred_at",
            "promo_code",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_content",
            "utm_term",
            "collaboration",
            "rule",
            "created_at",
        ]
        read_only_fields = fields


class ImportJobSerializer(serializers.ModelSerializer):
    checked = serializers.SerializerMethodField(
        help_text="Once checked: what confirming would do (a dry run) and the rows in error."
    )

    class Meta:
        model = CreatorImport
        fields = [
            "id",
            "filename",
            "status",
            "progress",
            "error",
            "checked",
            "summary",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "summary": {
                "help_text": "Once applied: the JSON summary `manage.py import_creators` prints."
            }
        }

    @extend_schema_field({"type": "object", "nullable": True})
    def get_checked(self, job: CreatorImport) -> dict | None:
        preview = job.preview or {}
        if not preview:
            return None
        return {
            "total_rows": preview.get("total_rows"),
            "columns": preview.get("columns"),
            "unmapped_columns": preview.get("unmapped_columns"),
            "errors": preview.get("errors"),
            "error_count": preview.get("error_count"),
            "summary": preview.get("summary"),
        }


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A CSV or XLSX file of creators.")


class ImportStartSerializer(serializers.Serializer):
    skip_invalid = serializers.BooleanField(
        default=False,
        help_text="Import the valid rows and skip the others; without it, any row in error "
        "means nothing is written.",
    )


class MergeSerializer(serializers.Serializer):
    source = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="The creator folded into this one and then deleted.",
    )


PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail"],
}


_PAGES: dict[type, type] = {}


def paginated(serializer_class: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The schema of a cursor page of `serializer_class` rows."""
    if serializer_class not in _PAGES:
        base = serializer_class.__name__.removesuffix("Serializer")
        _PAGES[serializer_class] = type(
            f"Paginated{base}ListSerializer",
            (serializers.Serializer,),
            {
                "next": serializers.URLField(allow_null=True, help_text="The next page."),
                "previous": serializers.URLField(allow_null=True, help_text="The page before."),
                "results": serializer_class(many=True),
            },
        )
    return _PAGES[serializer_class]
