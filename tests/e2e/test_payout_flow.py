"""The money side of a collaboration in a real browser, in zh-Hant: a contract issued, signed on
the portal and for the brand, "contracted" only once both have signed, the post published by the
creator, an installment approved and paid with its withholding and NHI figures, and the creator
seeing it paid and signing the service remuneration receipt."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import (
    Collaboration,
    DeliverableStatus,
    DocumentKind,
    Installment,
    InstallmentStatus,
    PortalLink,
    Signature,
    SignedDocument,
    Stage,
)
from kolhub.models import Role
from tests.e2e.conftest import sign_in_marketer
from tests.factories import (
    BrandFactory,
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    DeliverableFactory,
    MembershipFactory,
    UserFactory,
    WorkspaceFactory,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def negotiating(transactional_db):
    """A zh-Hant agency that requires signed contracts, and a collaboration being negotiated
    at a fee of NT$50,000 with one deliverable."""
    workspace = WorkspaceFactory(
        name="茶行代理", slug="tea-tw", language="zh-hant", require_signed_contract=True
    )
    marketer = UserFactory(email="marketer@example.com", first_name="林", language="zh-hant")
    MembershipFactory(workspace=workspace, user=marketer, role=Role.OWNER)
    campaign = CampaignFactory(
        brand=BrandFactory(workspace=workspace, name="山嵐茶飲"), name="冷泡茶夏日開箱"
    )
    creator = CreatorFactory(workspace=workspace, display_name="美美愛爬山")
    collaboration = CollaborationFactory(
        campaign=campaign,
        creator=creator,
        stage=Stage.NEGOTIATING,
        fee=Decimal(50000),
        owner=marketer,
    )
    DeliverableFactory(collaboration=collaboration)
    return collaboration


def test_a_collaboration_goes_from_contract_to_paid_in_zh_hant(
    browser, page, live_server, negotiating
):
    collaboration = negotiating
    today = timezone.localdate()
    staff_url = (
        f"{live_server.url}/w/{collaboration.workspace.slug}/campaigns/collaborations/"
        f"{collaboration.pk}/"
    )
    sign_in_marketer(page, live_server)

    # The payments are planned: 30 % on signing, 70 % a month later.
    page.goto(staff_url)
    payouts = page.locator("#payouts")
    payouts.locator("select[name=split]").select_option("30-70")
    payouts.locator("input[name=first_due]").fill(today.isoformat())
    payouts.locator("input[name=last_due]").fill((today + timedelta(days=30)).isoformat())
    payouts.locator("button[type=submit]").first.click()
    expect(page.locator("#payouts")).to_contain_text("15,000")
    expect(page.locator("#payouts")).to_contain_text("35,000")

    # Without a signed contract, "contracted" is refused with the reason.
    page.select_option("#move-stage", "contracted")
    page.locator(".move-bar button[type=submit]").click()
    expect(page.locator(".toast--error, .alert--error").first).to_contain_text("合約")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("已簽約")

    # The contract is issued for signing and signed for the brand.
    page.locator(".signing-panel__issue button").click()
    expect(page.locator("#signing")).to_contain_text("第 1 版")
    page.locator(".signing-panel__sign summary").click()
    page.locator(".signing-panel__sign input[name=name]").fill("林品牌")
    page.locator(".signing-panel__sign input[name=consent]").check()
    page.locator(".signing-panel__sign button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("林品牌")  # the audit page

    # The creator's private link, opened on a phone.
    page.goto(staff_url)
    page.locator("#portal button[type=submit]").first.click()
    portal_url = page.locator("#portal-url").input_value()
    creator_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-TW")
    creator = creator_context.new_page()
    creator.set_default_timeout(15_000)
    creator.goto(portal_url)

    # The creator reads and signs the contract, and enters the payment details.
    contract = creator.locator("#contract")
    expect(contract).to_contain_text("50,000")
    contract.locator("input[name=name]").fill("王美美")
    contract.locator("input[name=consent]").check()
    contract.locator("button[type=submit]").click()
    expect(creator.locator("#contract")).to_contain_text("王美美")
    payment = creator.locator("#payment")
    payment.locator("select[name=kind]").select_option("resident")
    payment.locator("input[name=legal_name]").fill("王美美")
    payment.locator("input[name=tax_id]").fill("A123456789")
    payment.locator("input[name=bank_code]").fill("812")
    payment.locator("input[name=branch_code]").fill("0012")
    payment.locator("input[name=account_number]").fill("00123456789012")
    payment.locator("input[name=account_holder]").fill("王美美")
    payment.locator("button[type=submit]").click()
    expect(creator.locator("#payment")).to_contain_text("王美美")

    # Signed by both: now "contracted" is allowed.
    document = SignedDocument.objects.get(collaboration=collaboration, kind=DocumentKind.CONTRACT)
    assert set(Signature.objects.filter(document=document).values_list("role", flat=True)) == {
        "creator",
        "brand",
    }
    page.goto(staff_url)
    page.select_option("#move-stage", "contracted")
    page.locator(".move-bar button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已簽約")

    # Drafting and review have their own browser test (test_campaign_flow): the draft is
    # approved here directly, and the creator publishes from the portal.
    collaboration.deliverables.update(status=DeliverableStatus.APPROVED)
    Collaboration.objects.filter(pk=collaboration.pk).update(stage=Stage.APPROVED)
    creator.reload()
    creator.locator("input[name=url]").fill("https://www.instagram.com/reel/Cx1234567/")
    creator.locator("form:has(input[name=url]) button[type=submit]").click()
    expect(creator.locator(".toast--success")).to_be_visible()
    page.goto(staff_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("已發布")

    # The second installment (NT$35,000) is approved and paid: 10 % withheld (3,500), the NHI
    # supplement 2.11 % rounded half up (738.5 → 739), net 30,761.
    second = Installment.objects.get(collaboration=collaboration, position=2)
    row = page.locator(f"#installment-{second.pk}")
    row.locator("form:has(input[name=to][value=approved]) button").click()
    expect(page.locator(f"#installment-{second.pk}")).to_contain_text("已核准")
    row = page.locator(f"#installment-{second.pk}")
    row.locator("input[name=reference]").fill("ATM-0042")
    row.locator("form.ledger-pay button[type=submit]").click()
    expect(page.locator(f"#installment-{second.pk}")).to_contain_text("已付清")
    for figure in ("3,500", "739", "30,761", "ATM-0042"):
        expect(page.locator(f"#installment-{second.pk}")).to_contain_text(figure)
    second.refresh_from_db()
    assert second.status == InstallmentStatus.PAID and second.paid_net == Decimal(30761)

    # The creator sees it paid with the same figures, and signs the receipt.
    token = PortalLink.objects.get(collaboration=collaboration).token
    creator.goto(f"{live_server.url}/p/{token}/payments/")
    paid = creator.locator(f"#installment-{second.pk}")
    expect(paid).to_contain_text("已付清")
    expect(paid).to_contain_text("30,761")
    paid.locator(f"a[href$='/receipts/{second.pk}/']").click()
    receipt = creator.locator("#receipt-document")
    expect(receipt).to_contain_text("30,761")
    receipt.locator("input[name=name]").fill("王美美")
    receipt.locator("input[name=consent]").check()
    receipt.locator("button[type=submit]").click()
    expect(creator.locator("#receipt-document .alert--ok")).to_contain_text("王美美")
    creator_context.close()

    receipt_document = SignedDocument.objects.get(installment=second)
    assert receipt_document.signatures.get().document_sha256 == receipt_document.sha256
    assert page.console_errors == []
