"""Audience fit against hand-computed overlaps of distributions."""

from __future__ import annotations

from tracking.results.scoring.fit import audience_fit, distribution_fit


def test_the_fit_of_a_dimension_is_the_overlap_of_the_two_distributions():
    audience = {"18-24": 0.5, "25-34": 0.3, "35-44": 0.2}
    target = {"18–24": 0.2, "25-34": 0.6, "45-54": 0.2}  # an en dash is the same bucket
    # min(0.5, 0.2) + min(0.3, 0.6) + 0 = 0.5
    assert distribution_fit(audience, target, "age") == 50.0
    assert distribution_fit(target, target, "age") == 100.0
    assert distribution_fit({"TW": 1.0}, {"jp": 1.0}, "countries") == 0.0


def test_overall_fit_is_the_mean_of_the_dimensions_both_sides_describe():
    audience = {
        "gender": {"female": 0.7, "male": 0.3},
        "countries": {"tw": 0.9, "hk": 0.1},
        "age": {},
    }
    target = {
        "gender": {"Female": 0.8, "male": 0.2},
        "countries": {"TW": 0.5, "JP": 0.5},
        "age": {"18-24": 1.0},
    }
    fit = audience_fit(audience, target)
    assert fit["dimensions"] == {"gender": 90.0, "countries": 50.0}
    assert fit["overall"] == 70.0
    assert audience_fit({}, target) == {"overall": None, "dimensions": {}}
