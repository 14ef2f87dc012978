"""Audience fit: how well an account's audience matches a campaign's target persona.

    fit of a dimension = Σ over buckets of min(audience share, target share) × 100
                         (the overlap of the two distributions: 100 when identical, 0 when
                         they share no bucket)
    overall fit        = the mean over the dimensions both sides describe

Shares are fractions (0.29 for 29 %); buckets are compared after normalising their spelling
("18–24" and "18-24" are one bucket, country codes are upper case)."""

from __future__ import annotations

from collections.abc import Mapping

DIMENSIONS = ("age", "gender", "countries", "cities")


def bucket(name: str, dimension: str) -> str:
    text = str(name).strip().replace("–", "-").replace("—", "-").replace(" ", "")
    return text.upper() if dimension == "countries" else text.lower()


def distribution_fit(
    audience: Mapping[str, float], target: Mapping[str, float], dimension: str
) -> float:
    mine: dict[str, float] = {}
    for name, share in audience.items():
        key = bucket(name, dimension)
        mine[key] = mine.get(key, 0.0) + float(share)
    wanted: dict[str, float] = {}
    for name, share in target.items():
        key = bucket(name, dimension)
        wanted[key] = wanted.get(key, 0.0) + float(share)
    return round(100 * sum(min(mine.get(key, 0.0), share) for key, share in wanted.items()), 1)


def audience_fit(
    audience: Mapping[str, Mapping[str, float]], target: Mapping[str, Mapping[str, float]]
) -> dict[str, float | dict[str, float] | None]:
    """{"overall": 0–100 or None, "dimensions": {dimension: 0–100}} for the dimensions that
    both the audience profile and the target persona describe."""
    dimensions = {
        dimension: distribution_fit(audience[dimension], target[dimension], dimension)
        for dimension in DIMENSIONS
        if audience.get(dimension) and target.get(dimension)
    }
    overall = round(sum(dimensions.values()) / len(dimensions), 1) if dimensions else None
    return {"overall": overall, "dimensions": dimensions}
