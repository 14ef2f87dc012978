"""The directory as a spreadsheet: CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal

import pandas as pd
from django.utils.translation import gettext as _

from creators.models import Creator
from kolhub.spreadsheets import neutralise


def directory_frame(creators: Iterable[Creator]) -> pd.DataFrame:
    """One row per creator, accounts spelled out per platform, every text cell neutralised."""
    rows = []
    for creator in creators:
        row = {
            _("Name"): creator.display_name,
            _("Real name"): creator.real_name,
            _("KOL or influencer"): creator.get_classification_display(),
            _("Categories"): ", ".join(c.name for c in creator.categories.all()),
            _("Region"): creator.region,
            _("Followers"): creator.total_followers,
            _("Tier"): creator.get_top_tier_display(),
            _("Engagement rate"): _float(creator.engagement_rate),
            _("Engagement variation (CV)"): _float(creator.engagement_stability),
            _("Authenticity"): creator.authenticity_score,
            _("Red flags"): creator.red_flags,
            _("Engagement against its tier (×)"): _float(creator.engagement_vs_tier),
            _("Sponsored vs organic (×)"): _float(creator.sponsored_vs_organic),
            _("Lowest rate"): _float(creator.min_price),
            _("Currency"): creator.rate_currency,
            _("Relationship"): creator.get_relationship_status_display(),
        }
        for account in creator.accounts.all():
            label = account.get_platform_display()
            row.setdefault(label, account.profile_url or account.handle)
            row.setdefault(f"{label} {_('followers')}", account.followers)
        rows.append({str(k): neutralise(v) for k, v in row.items()})
    return pd.DataFrame(rows)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def to_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="Creators")
    return buffer.getvalue()
