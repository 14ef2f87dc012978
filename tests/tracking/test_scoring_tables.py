"""Settings → Scoring tables: exchange rates and the EMV value table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kolhub.models import ExchangeRate, Role
from tests.campaigns import url
from tests.factories import MembershipFactory, UserFactory
from tracking.models import EmvRate, EngagementBenchmark
from tracking.results.figures import emv_table


def test_the_page_lists_rates_and_the_emv_defaults(alice_client, workspace):
    ExchangeRate.objects.create(workspace=workspace, currency="USD", into="TWD", rate=32)
    page = alice_client.get(url("scoring_tables", workspace))
    assert page.status_code == 200
    assert "1 USD = 32 TWD" in page.text
    assert "default 0.020" in page.text  # a YouTube view
    assert "<title>Scoring tables" in page.text and "<title>Scoring tables<" not in page.text
    assert page.text.count('id="benchmarks"') == 1


def test_a_rate_is_saved_and_replaces_the_opposite_pair(alice_client, workspace):
    ExchangeRate.objects.create(workspace=workspace, currency="TWD", into="USD", rate="0.03")
    response = alice_client.post(
        url("exchange_rate_save", workspace), {"currency": "usd", "into": "twd", "rate": "31.5"}
    )
    assert response.status_code == 302
    assert list(ExchangeRate.objects.values_list("currency", "into", "rate")) == [
        ("USD", "TWD", Decimal("31.5"))
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"currency": "US", "into": "TWD", "rate": "30"}, "three-letter ISO 4217 code"),
        ({"currency": "TWD", "into": "TWD", "rate": "1"}, "two different currencies"),
        ({"currency": "USD", "into": "TWD", "rate": "0"}, "greater than or equal to"),
        ({"currency": "USD", "into": "TWD", "rate": "abc"}, "Enter a number"),
    ],
)
def test_a_bad_rate_re_renders_with_the_reason(alice_client, workspace, data, message):
    response = alice_client.post(url("exchange_rate_save", workspace), data)
    assert response.status_code == 422
    assert message in response.text
    assert not ExchangeRate.objects.exists()


def test_a_rate_can_be_removed(alice_client, workspace):
    rate = ExchangeRate.objects.create(workspace=workspace, currency="USD", into="TWD", rate=32)
    response = alice_client.post(url("exchange_rate_remove", workspace, rate.pk))
    assert response.status_code == 302
    assert not ExchangeRate.objects.exists()


def test_emv_values_override_the_defaults_and_an_empty_one_falls_back(alice_client, workspace):
    response = alice_client.post(
        url("emv_rates_save", workspace), {"currency": "twd", "youtube__views": "0.5"}
    )
    assert response.status_code == 302
    assert list(EmvRate.objects.values_list("platform", "action", "value", "currency")) == [
        ("youtube", "views", Decimal("0.5"), "TWD")
    ]
    table = emv_table(workspace.pk).set_index(["platform", "action"])
    assert table.loc[("youtube", "views"), "currency"] == "TWD"
    assert table.loc[("youtube", "likes"), "value"] == Decimal("0.10")


def test_a_negative_emv_value_is_refused(alice_client, workspace):
    response = alice_client.post(
        url("emv_rates_save", workspace), {"currency": "USD", "tiktok__likes": "-1"}
    )
    assert response.status_code == 422
    assert not EmvRate.objects.exists()


def test_members_read_the_tables_and_only_managers_change_them(client, workspace):
    member = UserFactory()
    MembershipFactory(workspace=workspace, user=member, role=Role.MEMBER)
    client.force_login(member)
    assert client.get(url("scoring_tables", workspace)).status_code == 200
    response = client.post(
        url("exchange_rate_save", workspace), {"currency": "USD", "into": "TWD", "rate": "30"}
    )
    assert response.status_code == 404
    assert client.get(url("exchange_rate_save", workspace)).status_code in (404, 405)


def test_benchmarks_are_typed_in_percent_and_an_empty_one_keeps_the_default(
    alice_client, workspace
):
    response = alice_client.post(url("benchmarks_save", workspace), {"facebook__micro": "1.8"})
    assert response.status_code == 302
    assert list(EngagementBenchmark.objects.values_list("platform", "tier", "rate")) == [
        ("facebook", "micro", Decimal("0.0180"))
    ]
    page = alice_client.get(url("scoring_tables", workspace))
    assert 'value="1.80"' in page.text and "default 2.4%" in page.text
    bad = alice_client.post(url("benchmarks_save", workspace), {"tiktok__nano": "150"})
    assert bad.status_code == 422 and "less than or equal to 100" in bad.text
