"""The roster's audience overlap as the Results tab draws it: a heatmap of the biggest
samples and the share of sampled members counted more than once."""

from __future__ import annotations

from typing import Any

HEATMAP_SIZE = 30
HEAT_STEPS = (0.0, 0.05, 0.1, 0.2, 0.4)


def heat(share: float) -> int:
    """0 for no overlap, then 1–5 by the steps above (CSS classes heat-0 … heat-5)."""
    if share <= 0:
        return 0
    return sum(1 for step in HEAT_STEPS if share > step)


def overlap_view(report: dict[str, Any]) -> dict[str, Any] | None:
    """The heatmap of the roster's biggest samples (directional overlap, row in column) and
    the deduplicated reach of the whole roster."""
    overlap = report.get("overlap")
    if not overlap:
        return None
    accounts = overlap["accounts"]
    shown = sorted(range(len(accounts)), key=lambda i: -accounts[i]["size"])[:HEATMAP_SIZE]
    matrix = overlap["directional"]
    return overlap | {
        "shown": len(shown),
        "total": len(accounts),
        "columns": [accounts[i]["handle"] for i in shown],
        "rows": [
            {
                "handle": accounts[i]["handle"],
                "size": accounts[i]["size"],
                "cells": [
                    {"share": matrix[i][j], "heat": heat(matrix[i][j]), "self": i == j}
                    for j in shown
                ],
            }
            for i in shown
        ],
        "duplication": 1 - overlap["distinct_members"] / overlap["sampled_members"]
        if overlap["sampled_members"]
        else None,
    }
