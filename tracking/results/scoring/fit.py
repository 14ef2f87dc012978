"""Audience fit: how well an account's audience matches a campaign's target persona.

    fit of a dimension = Σ over the target's buckets of min(audience share, target share)
                         ÷ Σ target shares × 100
                         (the overlap of the two distributions: 100 when the audience has at
                         least the share the target names in each bucket, 0 when they share no
                         bucket; a target naming part of the audience, 台北市 40 %, is judged
                         on that part)
    overall fit        = the mean over the dimensions both sides describe

Shares are fractions (0.29 for 29 %). Buckets are compared through `read` (label, dimension)
→ key, so that 女性 and female, 台灣 and TW are one bucket: the caller passes the vocabulary
(creators.audience_labels.stored_label); this module stays free of the project. Without it,
spellings are only tidied ("18–24" and "18-24" are one bucket, country codes upper case)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

DIMENSIONS = ("age", "gender", "countries", "cities")

Reader = Callable[[str, str], str]


def bucket(dimension: str, name: str) -> str:
    text = str(name).strip().replace("–", "-").replace("—", "-").replace(" ", "")
    return text.upper() if dimension == "countries" else text.lower()


def _by_bucket(shares: Mapping[str, float], dimension: str, read: Reader) -> dict[str, float]:
    merged: dict[str, float] = {}
    for name, share in shares.items():
        key = read(dimension, name)
        merged[key] = merged.get(key, 0.0) + float(share)
    return merged


def distribution_fit(
    audience: Mapping[str, float],
    target: Mapping[str, float],
    dimension: str,
    *,
    read: Reader = bucket,
) -> float | None:
    """0–100; None when the target names no share at all (every bucket at 0 %)."""
    mine = _by_bucket(audience, dimension, read)
    wanted = _by_bucket(target, dimension, read)
    stated = sum(wanted.values())
    if stated <= 0:
        return None
    overlap = sum(min(mine.get(key, 0.0), share) for key, share in wanted.items())
    return round(100 * min(overlap / stated, 1.0), 1)


def audience_fit(
    audience: Mapping[str, Mapping[str, float]],
    target: Mapping[str, Mapping[str, float]],
    *,
    read: Reader = bucket,
) -> dict[str, float | dict[str, float] | None]:
    """{"overall": 0–100 or None, "dimensions": {dimension: 0–100}} for the dimensions that
    both the audience profile and the target persona describe."""
    fits = {
        dimension: distribution_fit(audience[dimension], target[dimension], dimension, read=read)
        for dimension in DIMENSIONS
        if audience.get(dimension) and target.get(dimension)
    }
    dimensions = {dimension: fit for dimension, fit in fits.items() if fit is not None}
    overall = round(sum(dimensions.values()) / len(dimensions), 1) if dimensions else None
    return {"overall": overall, "dimensions": dimensions}
