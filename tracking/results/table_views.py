"""Settings → Scoring tables: the exchange rates and the earned-media-value table."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from creators.models import Platform, Tier
from kolhub.models import ExchangeRate, Role
from kolhub.templatetags.kolhub_format import percent
from kolhub.tenancy import WorkspaceRequest, workspace_member
from tracking.models import EmvAction, EmvRate, EngagementBenchmark
from tracking.results import selectors, services
from tracking.results.forms import (
    BENCHMARK_PLATFORMS,
    BenchmarksForm,
    EmvRatesForm,
    ExchangeRateForm,
    emv_field,
)
from tracking.results.scoring.defaults import (
    DEFAULT_EMV_VALUES,
    DEFAULT_ENGAGEMENT_BENCHMARKS,
    EMV_CURRENCY,
)


def own_emv_values(workspace) -> tuple[dict, str]:
    rows = list(EmvRate.objects.for_workspace(workspace))
    currency = rows[0].currency if rows else EMV_CURRENCY
    return {(row.platform, row.action): row.value for row in rows}, currency


def own_benchmarks(workspace) -> dict:
    return {
        (row.platform, row.tier): row.rate
        for row in EngagementBenchmark.objects.for_workspace(workspace)
    }


def value_grid(form, platforms, columns, default) -> list[dict]:
    """One row per platform, one cell per column: the form's field and the documented default
    as text (None where there is none)."""
    return [
        {
            "label": Platform(platform).label,
            "cells": [
                {"field": form[emv_field(platform, column)], "default": default(platform, column)}
                for column in columns
            ],
        }
        for platform in platforms
    ]


def emv_default(platform: str, action: str) -> str:
    return floatformat(DEFAULT_EMV_VALUES[platform][action], -3)


def benchmark_default(platform: str, tier: str) -> str | None:
    rate = DEFAULT_ENGAGEMENT_BENCHMARKS.get(platform, {}).get(tier)
    return None if rate is None else percent(rate, 1)


def tables_page(
    request: WorkspaceRequest, *, rate_form=None, emv_form=None, benchmark_form=None
) -> HttpResponse:
    values, currency = own_emv_values(request.workspace)
    emv_form = emv_form or EmvRatesForm(values=values, initial={"currency": currency})
    benchmark_form = benchmark_form or BenchmarksForm(values=own_benchmarks(request.workspace))
    errors = bool((rate_form and rate_form.errors) or emv_form.errors or benchmark_form.errors)
    rate_form = rate_form or ExchangeRateForm(initial={"into": request.workspace.currency})
    return render(
        request,
        "tracking/scoring_tables.html",
        {
            "tab": "scoring",
            "rates": ExchangeRate.objects.for_workspace(request.workspace),
            "rate_form": rate_form,
            "emv_form": emv_form,
            "emv_grid": value_grid(emv_form, DEFAULT_EMV_VALUES, EmvAction.values, emv_default),
            "emv_actions": EmvAction.choices,
            "default_currency": EMV_CURRENCY,
            "benchmark_form": benchmark_form,
            "benchmark_grid": value_grid(
                benchmark_form, BENCHMARK_PLATFORMS, Tier.values, benchmark_default
            ),
            "tiers": Tier.choices,
        },
        status=422 if errors else 200,
    )


@require_GET
@workspace_member(role=Role.MEMBER)
def scoring_tables(request: WorkspaceRequest) -> HttpResponse:
    return tables_page(request)


@require_POST
@workspace_member(role=Role.MANAGER)
def exchange_rate_save(request: WorkspaceRequest) -> HttpResponse:
    form = ExchangeRateForm(request.POST)
    if not form.is_valid():
        return tables_page(request, rate_form=form)
    services.exchange_rate_set(workspace=request.workspace, **form.cleaned_data)
    messages.success(request, _("Exchange rate saved; the campaign figures are being recomputed."))
    return redirect("scoring_tables", workspace_slug=request.workspace.slug)


@require_POST
@workspace_member(role=Role.MANAGER)
def exchange_rate_remove(request: WorkspaceRequest, rate_id: int) -> HttpResponse:
    rate = selectors.get_exchange_rate(request.workspace, rate_id)
    services.exchange_rate_delete(rate=rate)
    messages.success(request, _("Exchange rate removed."))
    return redirect("scoring_tables", workspace_slug=request.workspace.slug)


@require_POST
@workspace_member(role=Role.MANAGER)
def emv_rates_save(request: WorkspaceRequest) -> HttpResponse:
    values, _currency = own_emv_values(request.workspace)
    form = EmvRatesForm(request.POST, values=values)
    if not form.is_valid():
        return tables_page(request, emv_form=form)
    services.emv_rates_set(
        workspace=request.workspace, currency=form.cleaned_data["currency"], values=form.values()
    )
    messages.success(request, _("Earned media values saved."))
    return redirect("scoring_tables", workspace_slug=request.workspace.slug)


@require_POST
@workspace_member(role=Role.MANAGER)
def benchmarks_save(request: WorkspaceRequest) -> HttpResponse:
    form = BenchmarksForm(request.POST, values=own_benchmarks(request.workspace))
    if not form.is_valid():
        return tables_page(request, benchmark_form=form)
    services.engagement_benchmarks_set(workspace=request.workspace, rates=form.rates())
    messages.success(request, _("Benchmarks saved; the account scores are being recomputed."))
    return redirect("scoring_tables", workspace_slug=request.workspace.slug)
