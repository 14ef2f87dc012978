"""The creator's fee and payments on the portal: the ledger's figures and why, requesting a
payment that is due, a business payee's invoice, and staff downloading it."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.events import describe_event
from campaigns.models import (
    ChargeKind,
    CollaborationEvent,
    EventKind,
    Installment,
    InstallmentStatus,
    Payee,
    PayeeKind,
    WithholdingRule,
)
from campaigns.payouts.ledger import collaboration_ledger
from campaigns.portal_payments import InvoiceForm
from campaigns.services.payouts import PayoutRefused, installment_invoice_attach
from kolhub.formatting import grouped
from kolhub.models import ExchangeRate, Role
from tests.factories import (
    PNG_BYTES,
    CampaignFactory,
    CollaborationFactory,
    InstallmentFactory,
    MembershipFactory,
    PortalLinkFactory,
    UserFactory,
)

S = InstallmentStatus
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def collaboration(brand):
    return CollaborationFactory(campaign=CampaignFactory(brand=brand), fee=Decimal(50000))


@pytest.fixture
def link(collaboration):
    return PortalLinkFactory(collaboration=collaboration)


def payee_for(collaboration, kind=PayeeKind.RESIDENT, nhi_exempt=False) -> Payee:
    return Payee.objects.create(
        workspace=collaboration.workspace,
        collaboration=collaboration,
        kind=kind,
        legal_name="王小美",
        nhi_exempt=nhi_exempt,
        updated_via="portal",
    )


def installment(collaboration, **fields) -> Installment:
    return InstallmentFactory(collaboration=collaboration, **fields)


def portal(link, name="portal_payments", *args) -> str:
    return reverse(name, args=[link.token, *args])


def article(html: str, item: Installment) -> str:
    """The part of the page about one installment."""
    match = re.search(rf'id="installment-{item.pk}".*?</article>', html, re.S)
    assert match, f"installment {item.pk} is not on the page"
    return match.group(0)


def invoice_upload(name="invoice.pdf", content=PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# The schedule and its figures ------------------------------------------------------------------


def test_it_shows_each_installment_with_the_ledgers_figures(client, link, collaboration):
    payee_for(collaboration)
    first = installment(collaboration, label="On signing", amount=Decimal(30000))
    second = installment(
        collaboration,
        label="After posting",
        amount=Decimal(20000),
        position=2,
        due_on=timezone.localdate() + timedelta(days=40),
    )
    response = client.get(portal(link))
    assert response.status_code == 200
    assert "Fee and payments" in response.text and "TWD 50,000" in response.text
    rows = {row.installment.pk: row.figures for row in collaboration_ledger(collaboration)}
    for item in (first, second):
        part = article(response.text, item)
        figures = rows[item.pk]
        assert item.label in part and item.due_on.isoformat() in part
        for value in (figures.gross, figures.withholding_tax, figures.nhi_supplement, figures.net):
            assert f"TWD {grouped(value)}" in part
    assert rows[first.pk].net == Decimal(30000 - 3000 - 633)
    assert "Scheduled" in article(response.text, second)


@pytest.mark.parametrize(
    ("kind", "amount", "exempt", "sentences"),
    [
        (
            PayeeKind.RESIDENT,
            30000,
            False,
            [
                "10% withholding tax: the tax on one 9A payment to a resident is over NT$ 2,000.",
                "2.11% NHI supplement: one 9A payment to a resident of NT$ 20,000 or more.",
            ],
        ),
        (
            PayeeKind.RESIDENT,
            15000,
            False,
            [
                "No withholding tax: the tax on this payment would be NT$ 2,000 or less.",
                "No NHI supplement: your payment is under NT$ 20,000.",
            ],
        ),
        (
            PayeeKind.NONRESIDENT,
            15000,
            False,
            [
                "20% withholding tax: charged on every 9A payment to a non-resident.",
                "No NHI supplement: your payment is under NT$ 20,000.",
            ],
        ),
        (
            PayeeKind.BUSINESS,
            30000,
            False,
            [
                "Nothing withheld: a business that issues an invoice (統一發票) has no "
                "withholding tax and no NHI supplement."
            ],
        ),
        (
            PayeeKind.RESIDENT,
            30000,
            True,
            [
                "10% withholding tax: the tax on one 9A payment to a resident is over NT$ 2,000.",
                "No NHI supplement: you are exempt (proof on file).",
            ],
        ),
    ],
)
def test_it_says_why_in_plain_sentences(
    client, link, collaboration, kind, amount, exempt, sentences
):
    payee_for(collaboration, kind, nhi_exempt=exempt)
    item = installment(collaboration, amount=Decimal(amount))
    part = article(client.get(portal(link)).text, item)
    for sentence in sentences:
        assert sentence in part
    assert "estimated for a resident individual" not in part


@pytest.mark.parametrize(
    ("kind", "income_type", "amount", "sentence"),
    [
        (PayeeKind.NONRESIDENT, "9B", 5000, "a payment of NT$ 5,000 or less is not withheld."),
        (PayeeKind.NONRESIDENT, "9B", 8000, "20% withholding tax: one 9B payment to a "),
        (PayeeKind.RESIDENT, "92", 30000, "92 income paid to a resident is not withheld."),
        (PayeeKind.RESIDENT, "92", 30000, "No NHI supplement: it is not charged on 92 income."),
        (PayeeKind.RESIDENT, "50", 30000, "a payment under NT$ 90,501 is not withheld."),
        (PayeeKind.RESIDENT, "50", 100000, "5% withholding tax: one 50 payment to a resident"),
    ],
)
def test_it_explains_other_income_types_from_their_rules(
    client, link, collaboration, kind, income_type, amount, sentence
):
    payee_for(collaboration, kind)
    item = installment(collaboration, amount=Decimal(amount), income_type=income_type)
    assert sentence in article(client.get(portal(link)).text, item)


def test_a_foreign_fee_is_explained_at_the_workspaces_rate(client, link, collaboration):
    payee_for(collaboration)
    ExchangeRate.objects.create(
        workspace=collaboration.workspace, currency="USD", into="TWD", rate=Decimal("32.5")
    )
    item = installment(collaboration, amount=Decimal(1000), currency="USD")
    part = article(client.get(portal(link)).text, item)
    assert "USD 1,000" in part and "TWD 32,500" in part
    assert "Converted at NT$ 32.5 per USD." in part


def test_a_fee_without_a_rate_says_so_instead_of_figures(client, link, collaboration):
    item = installment(collaboration, amount=Decimal(1000), currency="JPY")
    part = article(client.get(portal(link)).text, item)
    assert "No exchange rate from JPY to TWD" in part and "Gross" not in part


def test_without_payment_details_it_says_what_it_assumes_and_links_to_them(
    client, link, collaboration
):
    installment(collaboration, amount=Decimal(30000))
    response = client.get(portal(link))
    assert "Payment details not entered yet: estimated for a resident individual." in response.text
    assert portal(link, "portal_home") + "#payment" in response.text
    assert "10% withholding tax" in response.text


def test_it_words_the_reasons_from_the_rules_in_force(client, link, collaboration):
    payee_for(collaboration)
    WithholdingRule.objects.filter(
        income_type="9A", payee_kind=PayeeKind.RESIDENT, charge=ChargeKind.NHI_SUPPLEMENT
    ).update(threshold=Decimal(25000))
    item = installment(collaboration, amount=Decimal(22000))
    part = article(client.get(portal(link)).text, item)
    assert "No NHI supplement: your payment is under NT$ 25,000." in part
    assert "TWD 0" in part


def test_a_paid_installment_shows_the_figures_recorded_when_paid(client, link, collaboration):
    payee_for(collaboration)
    item = installment(collaboration, amount=Decimal(30000), due_on=timezone.localdate())
    Installment.objects.filter(pk=item.pk).update(
        status=S.PAID,
        paid_on=timezone.localdate(),
        paid_gross=Decimal(30000),
        paid_withholding=Decimal(3000),
        paid_nhi=Decimal(633),
        paid_net=Decimal(26367),
        paid_payee_kind=PayeeKind.RESIDENT,
    )
    part = article(client.get(portal(link)).text, item)
    assert "Net paid to you" in part and "TWD 26,367" in part
    assert f"Paid on {timezone.localdate().isoformat()}" in part


def test_the_portal_home_sums_up_the_fee_and_links_to_the_payments(client, link, collaboration):
    installment(collaboration, amount=Decimal(30000), due_on=timezone.localdate())
    response = client.get(portal(link, "portal_home"))
    assert "Fee and payments" in response.text and "TWD 50,000" in response.text
    assert "1 payment is due: you can ask for it now." in response.text
    assert portal(link) in response.text


def test_it_returns_only_the_schedule_to_htmx(client, link, collaboration):
    installment(collaboration)
    response = client.get(portal(link), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="payments"' in response.text


@pytest.mark.parametrize("name", ["portal_home", "portal_payments"])
def test_the_pages_cost_the_same_queries_for_1_or_6_installments(client, link, collaboration, name):
    payee_for(collaboration)
    installment(collaboration, due_on=timezone.localdate())
    client.get(portal(link, name))  # the first visit of the portal logs it once
    with CaptureQueriesContext(connection) as one:
        assert client.get(portal(link, name)).status_code == 200
    for position in range(2, 7):
        item = installment(collaboration, position=position, amount=Decimal(5000 * position))
        if position % 2:
            Installment.objects.filter(pk=item.pk).update(status=S.APPROVED)
    with CaptureQueriesContext(connection) as six:
        response = client.get(portal(link, name))
    assert response.status_code == 200
    assert len(six.captured_queries) == len(one.captured_queries) <= 25


def test_it_answers_410_to_an_expired_link(client, link, collaboration):
    item = installment(collaboration, due_on=timezone.localdate())
    link.expires_at = timezone.now() - timedelta(minutes=1)
    link.save()
    assert client.get(portal(link)).status_code == 410
    assert client.post(portal(link, "portal_payment_request", item.pk)).status_code == 410
    response = client.post(
        portal(link, "portal_invoice", item.pk),
        {"number": "AB12345678", "file": invoice_upload()},
    )
    assert response.status_code == 410
    assert Installment.objects.get(pk=item.pk).status == S.SCHEDULED


# Requesting a payment --------------------------------------------------------------------------


def test_the_creator_requests_a_payment_that_is_due(client, link, collaboration):
    item = installment(collaboration, label="On signing", due_on=timezone.localdate())
    assert "Request payment" in article(client.get(portal(link)).text, item)
    response = client.post(portal(link, "portal_payment_request", item.pk), follow=True)
    assert "We asked the team to pay “On signing”." in response.text
    item.refresh_from_db()
    assert item.status == S.REQUESTED and item.requested_at is not None
    event = CollaborationEvent.objects.get(kind=EventKind.PAYOUT, data__action=S.REQUESTED)
    assert event.by_creator and event.actor is None
    assert "Requested" in describe_event(event)
    assert "Request payment" not in article(response.text, item)


def test_a_payment_not_yet_due_cannot_be_requested(client, link, collaboration):
    later = timezone.localdate() + timedelta(days=3)
    item = installment(collaboration, due_on=later)
    assert "Request payment" not in article(client.get(portal(link)).text, item)
    response = client.post(portal(link, "portal_payment_request", item.pk), follow=True)
    assert f"This payment is due on {later.isoformat()}" in response.text
    assert Installment.objects.get(pk=item.pk).status == S.SCHEDULED
    assert not CollaborationEvent.objects.filter(data__action=S.REQUESTED).exists()


@pytest.mark.parametrize("status", [S.REQUESTED, S.APPROVED, S.PAID, S.CANCELLED])
def test_only_a_scheduled_payment_can_be_requested(client, link, collaboration, status):
    item = installment(collaboration, due_on=timezone.localdate() - timedelta(days=2))
    paid_on = timezone.localdate() if status == S.PAID else None
    Installment.objects.filter(pk=item.pk).update(status=status, paid_on=paid_on)
    assert "Request payment" not in article(client.get(portal(link)).text, item)
    response = client.post(portal(link, "portal_payment_request", item.pk), follow=True)
    assert "already asked for, paid or cancelled" in response.text
    assert Installment.objects.get(pk=item.pk).status == status


def test_the_payment_views_refuse_the_wrong_method(client, link, collaboration):
    item = installment(collaboration)
    assert client.get(portal(link, "portal_payment_request", item.pk)).status_code == 405
    assert client.get(portal(link, "portal_invoice", item.pk)).status_code == 405
    assert client.post(portal(link)).status_code == 405


def test_it_opens_no_other_collaborations_installments(client, link, brand):
    other = installment(
        CollaborationFactory(campaign=CampaignFactory(brand=brand)), due_on=timezone.localdate()
    )
    payee_for(link.collaboration, PayeeKind.BUSINESS)
    assert client.post(portal(link, "portal_payment_request", other.pk)).status_code == 404
    response = client.post(
        portal(link, "portal_invoice", other.pk), {"number": "AB12345678", "file": invoice_upload()}
    )
    assert response.status_code == 404
    assert Installment.objects.get(pk=other.pk).status == S.SCHEDULED
    assert client.get(portal(link, "portal_receipt", other.pk)).status_code == 404


# Receipts to sign ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "shown"),
    [
        (PayeeKind.RESIDENT, S.APPROVED, True),
        (PayeeKind.NONRESIDENT, S.PAID, True),
        (PayeeKind.RESIDENT, S.SCHEDULED, False),
        (PayeeKind.BUSINESS, S.APPROVED, False),
    ],
)
def test_it_links_individuals_to_the_receipt_of_each_approved_payment(
    client, link, collaboration, kind, status, shown
):
    payee_for(collaboration, kind)
    item = installment(collaboration)
    paid_on = timezone.localdate() if status == S.PAID else None
    Installment.objects.filter(pk=item.pk).update(status=status, paid_on=paid_on)
    part = article(client.get(portal(link)).text, item)
    assert (portal(link, "portal_receipt", item.pk) in part) is shown
    assert ("Sign the service remuneration receipt" in part) is shown


# A business payee's invoice --------------------------------------------------------------------


@pytest.fixture
def approved(collaboration):
    payee_for(collaboration, PayeeKind.BUSINESS)
    item = installment(collaboration, label="On signing")
    Installment.objects.filter(pk=item.pk).update(status=S.APPROVED)
    return item


def test_a_business_uploads_the_invoice_of_an_approved_payment(
    client, link, approved, alice_client
):
    assert "Upload your invoice (統一發票)" in article(client.get(portal(link)).text, approved)
    response = client.post(
        portal(link, "portal_invoice", approved.pk),
        {"number": "ab-1234 5678", "file": invoice_upload()},
        follow=True,
    )
    assert "The invoice AB12345678 was received." in response.text
    approved.refresh_from_db()
    assert approved.invoice_number == "AB12345678" and approved.invoice_uploaded_at
    assert approved.invoice_file.name.startswith(f"invoices/{approved.workspace_id}/")
    event = CollaborationEvent.objects.get(data__action="invoice")
    assert event.by_creator and event.data["number"] == "AB12345678"
    assert describe_event(event) == "uploaded the invoice AB12345678 for “On signing” (TWD 50,000)"
    assert "Invoice AB12345678 received on" in article(response.text, approved)


def test_a_new_invoice_replaces_the_earlier_one(
    client, link, approved, django_capture_on_commit_callbacks
):
    url = portal(link, "portal_invoice", approved.pk)
    client.post(url, {"number": "AB12345678", "file": invoice_upload()})
    approved.refresh_from_db()
    first = approved.invoice_file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"number": "CD87654321", "file": SimpleUploadedFile("i.png", PNG_BYTES)})
    approved.refresh_from_db()
    assert approved.invoice_number == "CD87654321" and approved.invoice_file.name != first
    assert not approved.invoice_file.storage.exists(first)


@pytest.mark.parametrize("number", ["A12345678", "AB1234567", "1212345678", "AB123456789", ""])
def test_it_refuses_a_malformed_invoice_number(client, link, approved, number):
    response = client.post(
        portal(link, "portal_invoice", approved.pk), {"number": number, "file": invoice_upload()}
    )
    assert response.status_code == 422
    message = "two letters and eight digits" if number else "This field is required"
    assert message in article(response.text, approved)
    assert not Installment.objects.get(pk=approved.pk).invoice_file


def test_it_refuses_a_file_that_is_not_a_photo_or_pdf(client, link, approved):
    fake = SimpleUploadedFile("invoice.pdf", b"just some text", content_type="application/pdf")
    response = client.post(
        portal(link, "portal_invoice", approved.pk), {"number": "AB12345678", "file": fake}
    )
    assert response.status_code == 422
    assert "invoice.pdf is not an accepted file type" in response.text
    assert not Installment.objects.get(pk=approved.pk).invoice_file


def test_it_refuses_a_file_over_the_size_limit(client, link, approved, monkeypatch):
    monkeypatch.setattr(InvoiceForm.base_fields["file"].validators[0], "max_bytes", 10)
    response = client.post(
        portal(link, "portal_invoice", approved.pk),
        {"number": "AB12345678", "file": invoice_upload()},
    )
    assert response.status_code == 422
    assert "the limit is 10" in response.text
    assert not Installment.objects.get(pk=approved.pk).invoice_file


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        (PayeeKind.RESIDENT, S.APPROVED, "Only a business payee uploads an invoice."),
        (None, S.APPROVED, "Only a business payee uploads an invoice."),
        (PayeeKind.BUSINESS, S.SCHEDULED, "An invoice is uploaded once the payment is approved."),
    ],
)
def test_it_refuses_an_invoice_where_none_is_asked_for(
    client, link, collaboration, kind, status, message
):
    if kind:
        payee_for(collaboration, kind)
    item = installment(collaboration)
    Installment.objects.filter(pk=item.pk).update(status=status)
    assert "Upload your invoice" not in article(client.get(portal(link)).text, item)
    response = client.post(
        portal(link, "portal_invoice", item.pk), {"number": "AB12345678", "file": invoice_upload()}
    )
    assert response.status_code == 422
    assert message in response.text
    assert not Installment.objects.get(pk=item.pk).invoice_file
    assert not CollaborationEvent.objects.filter(data__action="invoice").exists()


# Staff download the invoice --------------------------------------------------------------------


def staff_invoice_url(item: Installment, collaboration_id: int | None = None) -> str:
    return reverse(
        "installment_invoice",
        args=[item.workspace.slug, collaboration_id or item.collaboration_id, item.pk],
    )


@pytest.fixture
def invoiced(client, link, approved):
    client.post(
        portal(link, "portal_invoice", approved.pk),
        {"number": "AB12345678", "file": invoice_upload()},
    )
    approved.refresh_from_db()
    return approved


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MANAGER, Role.OWNER])
def test_members_and_up_download_the_invoice(client_for, workspace, invoiced, role):
    user = UserFactory()
    MembershipFactory(workspace=workspace, user=user, role=role)
    response = client_for(user).get(staff_invoice_url(invoiced))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == 'attachment; filename="invoice-AB12345678.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_client_viewers_and_outsiders_get_404(client_for, workspace, charlie_client, invoiced):
    viewer = UserFactory()
    MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT)
    assert client_for(viewer).get(staff_invoice_url(invoiced)).status_code == 404
    assert charlie_client.get(staff_invoice_url(invoiced)).status_code == 404


def test_the_download_is_404_without_an_invoice_or_under_another_collaboration(
    alice_client, brand, invoiced
):
    plain = installment(invoiced.collaboration, position=2)
    assert alice_client.get(staff_invoice_url(plain)).status_code == 404
    other = CollaborationFactory(campaign=CampaignFactory(brand=brand))
    assert alice_client.get(staff_invoice_url(invoiced, other.pk)).status_code == 404
    assert alice_client.post(staff_invoice_url(invoiced)).status_code == 405


def test_the_service_checks_the_number_itself(approved):
    with pytest.raises(PayoutRefused, match="two capital letters and eight digits"):
        installment_invoice_attach(installment=approved, number="ab12345678", file=invoice_upload())
    assert not Installment.objects.get(pk=approved.pk).invoice_file
