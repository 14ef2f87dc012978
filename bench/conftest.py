from __future__ import annotations

import pytest


def report(name: str, seconds: float, budget_seconds: float) -> None:
    verdict = "within budget" if seconds <= budget_seconds else "OVER BUDGET"
    print(f"\n{name}: {seconds * 1000:.1f} ms (budget {budget_seconds * 1000:.0f} ms) {verdict}")


@pytest.fixture
def budget(benchmark):
    """Run the benchmark, print the mean beside its budget, fail the bench run when over."""

    def check(name: str, budget_seconds: float) -> None:
        mean = benchmark.stats.stats.mean
        report(name, mean, budget_seconds)
        assert mean <= budget_seconds, f"{name} over budget"

    return check
