"""The staff payout ledger: read by the team, planned, approved and paid by managers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Installment, InstallmentStatus
from kolhub.models import Role
from tests.factories import (
    CollaborationFactory,
    InstallmentFactory,
    MembershipFactory,
    UserFactory,
)

S = InstallmentStatus
TODAY = timezone.localdate


@pytest.fixture
def collaboration(workspace, brand):
    return CollaborationFactory(
        campaign__workspace=workspace, campaign__brand=brand, fee=Decimal(50000)
    )


@pytest.fixture
def manager_client(client, workspace):
    user = UserFactory(email="mia@example.com")
    MembershipFactory(workspace=workspace, user=user, role=Role.MANAGER)
    client.force_login(user)
    return client


def url(name, collaboration, *extra):
    return reverse(name, args=[collaboration.workspace.slug, collaboration.pk, *extra])


def test_it_shows_each_installment_with_its_figures(alice_client, collaboration):
    InstallmentFactory(collaboration=collaboration, amount=Decimal(50000), label="Fee")
    response = alice_client.get(url("collaboration_payouts", collaboration))
    assert response.status_code == 200
    body = response.content.decode()
    # 10 % withheld and 2.11 % NHI on 50,000 of 9A to a resident (assumed: no payee yet).
    for figure in ("50,000", "5,000", "1,055", "43,945"):
        assert figure in body
    assert "resident" in body.lower() or "居住者" in body


def test_the_htmx_branch_returns_only_the_panel(alice_client, collaboration):
    response = alice_client.get(
        url("collaboration_payouts", collaboration), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert b"<html" not in response.content and b'id="payouts"' in response.content


def test_an_outsider_gets_404(client, charlie, collaboration):
    client.force_login(charlie)
    installment = InstallmentFactory(collaboration=collaboration)
    assert client.get(url("collaboration_payouts", collaboration)).status_code == 404
    response = client.post(
        url("installment_move", collaboration, installment.pk), {"to": S.APPROVED}
    )
    assert response.status_code == 404


def test_the_panel_refuses_other_methods(alice_client, collaboration):
    assert alice_client.post(url("collaboration_payouts", collaboration)).status_code == 405


def test_a_manager_plans_a_thirty_seventy_schedule(manager_client, collaboration):
    response = manager_client.post(
        url("installments_plan", collaboration),
        {
            "split": "30-70",
            "first_due": TODAY().isoformat(),
            "last_due": (TODAY() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    amounts = list(
        Installment.objects.filter(collaboration=collaboration).values_list("amount", flat=True)
    )
    assert amounts == [Decimal(15000), Decimal(35000)]


def test_a_schedule_with_the_second_payment_first_is_refused(manager_client, collaboration):
    response = manager_client.post(
        url("installments_plan", collaboration),
        {
            "split": "50-50",
            "first_due": TODAY().isoformat(),
            "last_due": (TODAY() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert not Installment.objects.filter(collaboration=collaboration).exists()


def test_a_member_cannot_plan_or_approve(bob, client, collaboration):
    client.force_login(bob)
    installment = InstallmentFactory(collaboration=collaboration)
    assert client.get(url("installments_plan", collaboration)).status_code in (403, 404)
    response = client.post(
        url("installment_move", collaboration, installment.pk),
        {"to": S.APPROVED},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    installment.refresh_from_db()
    assert installment.status == S.SCHEDULED


def test_a_member_may_request_a_payment(bob, client, collaboration):
    client.force_login(bob)
    installment = InstallmentFactory(collaboration=collaboration)
    client.post(url("installment_move", collaboration, installment.pk), {"to": S.REQUESTED})
    installment.refresh_from_db()
    assert installment.status == S.REQUESTED


def test_a_manager_approves_then_pays_with_a_reference(manager_client, collaboration):
    installment = InstallmentFactory(collaboration=collaboration, amount=Decimal(15000))
    move = url("installment_move", collaboration, installment.pk)
    manager_client.post(move, {"to": S.APPROVED})
    response = manager_client.post(
        move,
        {"to": S.PAID, "paid_on": TODAY().isoformat(), "reference": "ATM-778"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    installment.refresh_from_db()
    # 15,000 of 9A: the tax (1,500) is under NT$2,000, so nothing is withheld; under the
    # NT$20,000 NHI threshold too.
    assert (installment.status, installment.paid_net, installment.paid_reference) == (
        S.PAID,
        Decimal(15000),
        "ATM-778",
    )


def test_paying_without_a_date_re_renders_with_the_error(manager_client, collaboration):
    installment = InstallmentFactory(collaboration=collaboration, status=S.APPROVED)
    response = manager_client.post(
        url("installment_move", collaboration, installment.pk),
        {"to": S.PAID, "paid_on": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert b"errorlist" in response.content or b"field--error" in response.content


def test_an_unknown_move_is_refused_with_a_reason(manager_client, collaboration):
    installment = InstallmentFactory(collaboration=collaboration)
    response = manager_client.post(
        url("installment_move", collaboration, installment.pk),
        {"to": "refunded"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422


def test_an_installment_of_another_collaboration_is_404(manager_client, collaboration, workspace):
    other = InstallmentFactory(collaboration__campaign__workspace=workspace)
    response = manager_client.post(
        url("installment_move", collaboration, other.pk), {"to": S.APPROVED}
    )
    assert response.status_code == 404


def test_a_twd_amount_with_cents_is_refused(manager_client, collaboration):
    response = manager_client.post(
        url("installment_create", collaboration),
        {
            "label": "Fee",
            "amount": "100.50",
            "currency": "TWD",
            "due_on": TODAY().isoformat(),
            "income_type": "9A",
            "position": 1,
        },
    )
    assert response.status_code == 422


def test_the_panel_costs_the_same_for_one_or_six_installments(
    alice_client, collaboration, django_assert_max_num_queries
):
    InstallmentFactory(collaboration=collaboration)
    with django_assert_max_num_queries(14) as one:
        alice_client.get(url("collaboration_payouts", collaboration))
    for position in range(2, 7):
        InstallmentFactory(collaboration=collaboration, position=position)
    with django_assert_max_num_queries(len(one.captured_queries)):
        alice_client.get(url("collaboration_payouts", collaboration))


def test_with_a_schedule_the_terms_form_leaves_the_payment_summary_to_the_ledger(
    alice_client, collaboration
):
    InstallmentFactory(collaboration=collaboration)
    response = alice_client.get(
        reverse("collaboration_edit", args=[collaboration.workspace.slug, collaboration.pk])
    )
    assert response.status_code == 200
    assert b'name="payment_status"' not in response.content


def test_an_uploaded_invoice_is_linked_from_the_ledger(alice_client, collaboration):
    installment = InstallmentFactory(collaboration=collaboration, invoice_number="AB12345678")
    installment.invoice_file.save("invoice.pdf", ContentFile(b"%PDF-1.4"), save=True)
    body = alice_client.get(url("collaboration_payouts", collaboration)).content.decode()
    assert url("installment_invoice", collaboration, installment.pk) in body
    assert "AB12345678" in body


def test_a_refused_schedule_comes_back_in_the_panel_with_its_errors(manager_client, collaboration):
    response = manager_client.post(
        url("installments_plan", collaboration),
        {"split": "30-70", "first_due": TODAY().isoformat(), "last_due": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert b'id="payouts"' in response.content and b"<html" not in response.content
