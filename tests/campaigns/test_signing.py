"""Documents to sign: issuing is idempotent and versions on change, signing refuses what it
must, the audit PDF carries the hash, and the stage rule asks for a signed contract."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from campaigns import stages
from campaigns.contracts.selectors import choose_template
from campaigns.events import describe_event
from campaigns.models import (
    CollaborationEvent,
    DocumentKind,
    EventKind,
    InstallmentStatus,
    Payee,
    PayeeKind,
    Signature,
    SignerRole,
    Stage,
)
from campaigns.services.roster import StageRefused, collaboration_move, stage_facts
from campaigns.signing import selectors, services
from campaigns.signing.audit import signed_pdf
from campaigns.signing.texts import ReceiptUnavailable, contract_draft
from kolhub.models import Notification
from tests.factories import (
    CollaborationFactory,
    DeliverableFactory,
    InstallmentFactory,
    PortalLinkFactory,
)

SIGNER = {"ip": "203.0.113.7", "user_agent": "Mozilla/5.0 (test)"}


def issue(collaboration, body="# Contract\n\nText", digest="a" * 64, pdf=None):
    return services.document_issue(
        collaboration=collaboration,
        kind=DocumentKind.CONTRACT,
        title="Contract",
        body=body,
        language="en",
        pdf=pdf or _pdf(body),
        terms_digest=digest,
    )


def _pdf(text: str) -> bytes:
    from campaigns.contracts.document import Contract, blocks
    from campaigns.contracts.pdf import contract_pdf

    return contract_pdf(Contract("en", "Contract", blocks(text)))


def sign(document, role=SignerRole.CREATOR, name="Mei Lin", consent=True, **kwargs):
    return services.document_sign(
        document=document, role=role, name=name, consent=consent, **{**SIGNER, **kwargs}
    )


def test_it_issues_once_for_the_same_terms(db, alice):
    collaboration = CollaborationFactory(
        campaign__brand__workspace=alice.memberships.get().workspace
    )
    first = issue(collaboration)
    again = issue(collaboration, body="# Contract\n\nNew date, same terms")
    assert again.pk == first.pk and first.version == 1
    assert first.sha256 == services.sha256_of(services.stored_pdf(first))
    events = CollaborationEvent.objects.filter(kind=EventKind.SIGNING)
    assert [e.data for e in events] == [{"document": "contract", "version": 1, "issued": True}]
    assert "issued version 1" in describe_event(events[0])


def test_it_issues_the_next_version_when_the_terms_change(db):
    collaboration = CollaborationFactory()
    first = issue(collaboration)
    second = issue(collaboration, body="# Contract\n\nMore money", digest="b" * 64)
    first.refresh_from_db()
    assert second.version == 2 and first.superseded_at is not None
    assert selectors.current_document(collaboration, DocumentKind.CONTRACT) == second
    assert [d.version for d in selectors.document_versions(collaboration, "contract")] == [2, 1]


def test_a_replaced_version_cannot_be_signed(db):
    collaboration = CollaborationFactory()
    first = issue(collaboration)
    issue(collaboration, digest="b" * 64)
    with pytest.raises(services.SigningRefused, match="replaced"):
        sign(first)


def test_each_party_signs_once(db, alice):
    document = issue(CollaborationFactory())
    sign(document)
    with pytest.raises(services.SigningRefused, match="already been signed"):
        sign(document, name="Someone Else")
    assert Signature.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "consent", "message"),
    [
        ("   ", True, "Type your full name"),
        ("x" * 201, True, "too long"),
        ("Mei Lin", False, "Tick the box"),
    ],
)
def test_it_refuses_a_signature_without_name_or_consent(db, name, consent, message):
    document = issue(CollaborationFactory())
    with pytest.raises(services.SigningRefused, match=message):
        sign(document, name=name, consent=consent)


def test_it_refuses_to_sign_a_pdf_changed_after_issuing(db):
    document = issue(CollaborationFactory())
    with open(document.pdf.path, "ab") as file:
        file.write(b"%tampered")
    with pytest.raises(services.SigningRefused, match="no longer matches"):
        sign(document)


def test_a_signature_keeps_a_keyed_hash_of_the_address_and_the_hash_signed(db, alice):
    link = PortalLinkFactory()
    document = issue(link.collaboration)
    signature = sign(document, portal_link=link, user_agent="A" * 400)
    assert signature.ip_hash == services.ip_hash("203.0.113.7")
    assert "203.0.113.7" not in signature.ip_hash and len(signature.ip_hash) == 64
    assert signature.ip_hash != services.ip_hash("203.0.113.8")
    assert signature.document_sha256 == document.sha256
    assert len(signature.user_agent) == 300
    event = CollaborationEvent.objects.filter(kind=EventKind.SIGNING).order_by("pk").last()
    assert event.by_creator and "Mei Lin signed version 1" in describe_event(event)


def test_the_owners_are_told_when_the_creator_signs(db, alice, bob):
    workspace = alice.memberships.get().workspace
    document = issue(CollaborationFactory(campaign__brand__workspace=workspace))
    sign(document)
    assert list(Notification.objects.values_list("user__email", flat=True)) == [alice.email]
    sign(document, role=SignerRole.BRAND, name="Alice Owner", user=alice)
    assert Notification.objects.count() == 1
    assert selectors.is_fully_signed(document)


def test_the_signed_pdf_is_the_original_and_an_audit_page_with_the_hash(db, alice):
    link = PortalLinkFactory()
    document = issue(link.collaboration, body="# Contract\n\n" + "Long text.\n\n" * 150)
    original = len(PdfReader(io.BytesIO(services.stored_pdf(document))).pages)
    sign(document, portal_link=link)
    reader = PdfReader(io.BytesIO(signed_pdf(document)))
    assert len(reader.pages) == original + 1 and original > 1
    # pypdf reads fpdf2's two-byte CID codes of the CJK font with a NUL before each character
    # (the contract pages read the same): the characters themselves are right.
    audit = reader.pages[-1].extract_text().replace("\x00", "")
    assert document.sha256 in audit.replace("\n", "")
    assert "Mei Lin" in audit and f"#{link.pk}" in audit and link.token not in audit
    assert "Brand" in audit  # still to sign


def test_the_contract_fingerprint_ignores_the_date_but_not_the_terms(db):
    collaboration = CollaborationFactory(fee=Decimal(30000), min_live_days=30)
    chosen = choose_template([], language="zh-hant", template_id=None)
    draft = contract_draft(collaboration, chosen)
    assert timezone.localdate().isoformat() in draft.body
    later = timezone.now() + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        assert contract_draft(collaboration, chosen).terms_digest == draft.terms_digest
    collaboration.fee = Decimal(31000)
    assert contract_draft(collaboration, chosen).terms_digest != draft.terms_digest
    collaboration.fee = Decimal(30000)
    DeliverableFactory(collaboration=collaboration)
    assert contract_draft(collaboration, chosen).terms_digest != draft.terms_digest


def test_contract_issue_freezes_the_generated_contract(db, alice):
    collaboration = CollaborationFactory(fee=Decimal(30000))
    chosen = choose_template([], language="en", template_id=None)
    document = services.contract_issue(collaboration=collaboration, chosen=chosen, actor=alice)
    assert document.language == "en" and "TWD 30,000" in document.body
    assert services.contract_issue(collaboration=collaboration, chosen=chosen, actor=alice) == (
        document
    )
    collaboration.fee = Decimal(40000)
    collaboration.save()
    assert (
        services.contract_issue(collaboration=collaboration, chosen=chosen, actor=alice).version
        == 2
    )


def _ready(collaboration):
    collaboration.fee = Decimal(1000)
    collaboration.stage = Stage.NEGOTIATING
    collaboration.save()
    DeliverableFactory(collaboration=collaboration)
    return collaboration


def test_contracted_needs_a_contract_signed_by_both_when_the_workspace_asks(db, alice):
    collaboration = _ready(CollaborationFactory())
    workspace = collaboration.workspace
    workspace.require_signed_contract = True
    workspace.save()
    facts = stage_facts(collaboration)
    assert facts.contract_required and not facts.contract_signed
    with pytest.raises(StageRefused, match="signed by the creator and the brand"):
        collaboration_move(collaboration=collaboration, target=Stage.CONTRACTED, user=alice)
    document = issue(collaboration)
    sign(document)
    with pytest.raises(StageRefused):
        collaboration_move(collaboration=collaboration, target=Stage.CONTRACTED, user=alice)
    sign(document, role=SignerRole.BRAND, name="Alice Owner", user=alice)
    collaboration_move(collaboration=collaboration, target=Stage.CONTRACTED, user=alice)
    assert collaboration.stage == Stage.CONTRACTED


def test_without_the_setting_contracted_needs_no_signature(db, alice):
    collaboration = _ready(CollaborationFactory())
    assert not stage_facts(collaboration).contract_required
    collaboration_move(collaboration=collaboration, target=Stage.CONTRACTED, user=alice)


def test_the_stage_rule_is_pure():
    facts = stages.StageFacts(
        fee_set=True,
        deliverables=1,
        shipped=0,
        drafts_waiting=0,
        deliverables_approved=0,
        deliverables_live=0,
        deliverables_reported=0,
        contract_required=True,
    )
    assert stages.requirement_missing(Stage.CONTRACTED, facts)
    signed = stages.StageFacts(**{**facts.__dict__, "contract_signed": True})
    assert stages.requirement_missing(Stage.CONTRACTED, signed) is None


def payee(collaboration, kind=PayeeKind.RESIDENT):
    return Payee.objects.create(
        workspace=collaboration.workspace,
        collaboration=collaboration,
        kind=kind,
        legal_name="林小美",
        tax_id="A123456789",
        updated_via="staff",
    )


def test_a_receipt_has_the_ledger_figures_and_the_tax_id_masked(db):
    installment = InstallmentFactory(amount=Decimal(50000), status=InstallmentStatus.APPROVED)
    payee(installment.collaboration)
    document = services.receipt_issue(installment=installment, language="en")
    assert document.kind == DocumentKind.RECEIPT and document.installment == installment
    body = document.body
    assert "A123456789" not in body and "••••••6789" in body
    assert "TWD 50,000" in body and "TWD 5,000" in body  # 10 % withheld
    assert "TWD 1,055" in body and "TWD 43,945" in body  # 2.11 % NHI, net
    assert services.receipt_issue(installment=installment, language="en") == document
    installment.amount = Decimal(60000)
    installment.save()
    assert services.receipt_issue(installment=installment, language="en").version == 2


def test_receipts_by_installment_reads_current_versions_in_two_queries(
    db, django_assert_num_queries
):
    installment = InstallmentFactory(status=InstallmentStatus.APPROVED)
    other = InstallmentFactory(
        collaboration=installment.collaboration, status=InstallmentStatus.APPROVED, position=2
    )
    payee(installment.collaboration)
    first = services.receipt_issue(installment=installment, language="en")
    second = services.receipt_issue(installment=other, language="en")
    sign(second)
    with django_assert_num_queries(2):
        found = selectors.receipts_by_installment(installment.collaboration)
        assert selectors.is_fully_signed(found[other.pk])
    assert found == {installment.pk: first, other.pk: second}


def test_a_business_payee_gets_no_receipt(db):
    installment = InstallmentFactory(status=InstallmentStatus.APPROVED)
    payee(installment.collaboration, kind=PayeeKind.BUSINESS)
    with pytest.raises(ReceiptUnavailable, match="invoice"):
        services.receipt_issue(installment=installment, language="en")
