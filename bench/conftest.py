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


@pytest.fixture
def server_rendering(monkeypatch):
    """Render templates as a server does, without the test runner's instrumentation.

    pytest-django wraps Template._render so the test client can keep every template and a
    copy of every context it rendered; for a page of 300 rows that copying, not the page,
    dominates the timing, and it grows with each request the client makes.
    """
    from django.template import Template
    from django.test.utils import _TestState

    original = getattr(getattr(_TestState, "saved_data", None), "template_render", None)
    if original is not None:
        monkeypatch.setattr(Template, "_render", original)
