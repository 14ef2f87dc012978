"""What the documents to sign say, and the fingerprint of their terms.

The fingerprint (`terms_digest`) is the SHA-256 of the text as it would be signed, so any change
of a figure, a date, a deliverable or the template's wording makes a new version; only the
contract's own date is left out, since it is the day the text is generated and changes daily.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from campaigns.contracts.document import HEADING, Contract, blocks
from campaigns.contracts.placeholders import substitute
from campaigns.contracts.selectors import ChosenTemplate
from campaigns.contracts.terms import contract_values
from campaigns.models import Collaboration, Installment, Payee
from campaigns.models.payouts import IncomeType, InstallmentStatus, PayeeKind, masked
from campaigns.payouts.figures import InstallmentFigures
from kolhub.formatting import money

# Placeholders whose value is the day of generation, not a term.
DATED = ("contract.date",)


def digest(*parts: str) -> str:
    return hashlib.sha256("\n\x1e".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Draft:
    """A document ready to issue: its title, text and the fingerprint of its terms."""

    language: str
    title: str
    body: str
    terms_digest: str

    def contract(self) -> Contract:
        """As blocks, for contracts.pdf.contract_pdf and the pages."""
        return Contract(language=self.language, title=self.title, blocks=blocks(self.body))


def _title(body: str, fallback: str) -> str:
    return next((text for kind, text in blocks(body) if kind == HEADING), fallback)


def contract_draft(collaboration: Collaboration, chosen: ChosenTemplate) -> Draft:
    """The contract from the chosen template, as contracts.document.generate words it."""
    values = contract_values(collaboration, chosen.language)
    body = substitute(chosen.body, values)
    undated = substitute(chosen.body, {**values, **dict.fromkeys(DATED, "")})
    return Draft(
        language=chosen.language,
        title=_title(body, str(collaboration)),
        body=body,
        terms_digest=digest("contract", chosen.language, undated),
    )


class ReceiptUnavailable(Exception):
    """The receipt cannot be written yet; the message says what is missing."""


def receipt_draft(
    installment: Installment, payee: Payee | None, figures: InstallmentFigures, language: str
) -> Draft:
    """The service remuneration receipt (勞務報酬單) of one installment, in `language`, with the
    figures of campaigns.payouts.ledger (never computed here)."""
    collaboration = installment.collaboration
    if payee is None:
        raise ReceiptUnavailable(
            _("Please enter your payment details first: the receipt is made out to the payee.")
        )
    if payee.kind == PayeeKind.BUSINESS:
        # A business is paid against its own invoice (統一發票), never a remuneration receipt.
        raise ReceiptUnavailable(
            _("A business payee sends an invoice for this payment instead of signing a receipt.")
        )
    if not figures.complete:
        raise ReceiptUnavailable(
            figures.problem or _("The amounts of this installment cannot be computed yet.")
        )
    with translation.override(language):
        title = _("Service remuneration receipt")
        campaign = collaboration.campaign
        paid_on = installment.paid_on if installment.status == InstallmentStatus.PAID else None
        lines = [
            "# " + title,
            "",
            "# " + _("Payer"),
            _("%(workspace)s, for the brand %(brand)s")
            % {"workspace": collaboration.workspace.name, "brand": campaign.brand.name},
            _("Campaign: %(campaign)s") % {"campaign": campaign.name},
            "",
            "# " + _("Payee"),
            _("Name: %(name)s") % {"name": payee.legal_name},
            _("Payee type: %(kind)s") % {"kind": PayeeKind(payee.kind).label},
            _("Tax ID: %(id)s") % {"id": masked(payee.tax_id) or _("not entered")},
            "",
            "# " + _("Payment"),
            _("Income type: %(type)s") % {"type": _income_label(installment.income_type)},
            _("Installment: %(label)s") % {"label": installment.label},
            _("Due: %(date)s") % {"date": installment.due_on.isoformat()},
            _("Paid: %(date)s") % {"date": paid_on.isoformat() if paid_on else _("not paid yet")},
            _("Gross amount: %(v)s") % {"v": money(figures.gross, "TWD")},
            _("Withholding tax: %(v)s") % {"v": money(figures.withholding_tax, "TWD")},
            _("NHI supplementary premium: %(v)s") % {"v": money(figures.nhi_supplement, "TWD")},
            _("Net amount: %(v)s") % {"v": money(figures.net, "TWD")},
            "",
            "# " + _("Statement"),
            _(
                "I, %(name)s, confirm that I received the amount above from %(payer)s as "
                "remuneration for services provided in the campaign “%(campaign)s”, with the "
                "withholding tax and the NHI supplementary premium shown deducted and paid on my "
                "behalf."
            )
            % {
                "name": payee.legal_name,
                "payer": collaboration.workspace.name,
                "campaign": campaign.name,
            },
        ]
        body = "\n".join(str(line) for line in lines)
        return Draft(
            language=language,
            title=str(title),
            body=body,
            terms_digest=digest("receipt", language, body),
        )


def _income_label(code: str) -> str:
    try:
        return str(IncomeType(code).label)
    except ValueError:
        return code
