"""Audience overlap, counted and estimated, and the deduplicated reach of a roster."""

from __future__ import annotations

import numpy as np
import pytest

from tracking.results.scoring.overlap import (
    NUM_PERM,
    audience_overlap,
    deduplicated_reach,
    exact_overlap,
    minhash_overlap,
)


def members(*ranges) -> np.ndarray:
    """Members as hashes spread over 64 bits (as creators.audience stores them)."""
    ids = np.concatenate([np.arange(a, b, dtype=np.uint64) for a, b in ranges])
    return np.unique(ids * np.uint64(0x9E3779B97F4A7C15))


def test_exact_overlap_counts_every_intersection():
    samples = {1: members((0, 100)), 2: members((50, 250)), 3: members((1000, 1010))}
    overlap = exact_overlap(samples)
    assert overlap.method == "exact" and overlap.error_bound == 0
    assert overlap.intersections[0, 1] == 50 and overlap.intersections[0, 2] == 0
    # A's 100 with B's 200 share 50: 50 % of A is in B, 25 % of B in A; Jaccard 50 / 250.
    assert overlap.directional[0, 1] == pytest.approx(0.5)
    assert overlap.directional[1, 0] == pytest.approx(0.25)
    assert overlap.jaccard[0, 1] == pytest.approx(0.2)


def test_minhash_estimates_within_its_error_bound():
    samples = {1: members((0, 10_000)), 2: members((5_000, 15_000)), 3: members((20_000, 30_000))}
    estimated = minhash_overlap(samples)
    exact = exact_overlap(samples)
    assert estimated.method == "minhash"
    assert estimated.error_bound == pytest.approx(1 / (2 * NUM_PERM**0.5))
    # Jaccard 5,000 / 15,000 = 1/3, within four standard errors.
    assert abs(estimated.jaccard[0, 1] - exact.jaccard[0, 1]) < 4 * estimated.error_bound
    assert estimated.jaccard[0, 2] < 0.03


def test_the_method_follows_the_size_of_the_samples(monkeypatch):
    samples = {1: members((0, 600)), 2: members((300, 900))}
    assert audience_overlap(samples).method == "exact"
    monkeypatch.setattr("tracking.results.scoring.overlap.EXACT_MAX_MEMBERSHIPS", 1_000)
    assert audience_overlap(samples).method == "minhash"


def test_deduplicated_reach_removes_the_duplication_the_samples_show():
    # Samples of 100 and 100 sharing 50: 150 distinct of 200, a factor of 0.75.
    samples = {1: members((0, 100)), 2: members((50, 150))}
    reach = {1: 10_000, 2: 30_000, 3: 5_000}  # account 3 has no sample: counted as is
    assert deduplicated_reach(reach, samples) == pytest.approx(40_000 * 0.75 + 5_000)
    assert deduplicated_reach(reach, {}) == 45_000
