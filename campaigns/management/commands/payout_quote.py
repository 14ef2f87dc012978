"""python manage.py payout_quote --fee AMOUNT --payee resident|nonresident|business
[--income-type 9A] [--nhi-exempt] [--date YYYY-MM-DD]"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models.payouts import IncomeType, PayeeKind
from campaigns.payouts.selectors import quote
from campaigns.payouts.tax import Quote, QuoteError

# Bad input exits 2, as argparse does for an unknown payee or income type.
BAD_INPUT = 2


def parse_fee(text: str) -> Decimal:
    try:
        fee = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise CommandError(
            _("The fee must be a number, not %(text)r.") % {"text": text}, returncode=BAD_INPUT
        ) from None
    if not fee.is_finite() or fee < 0:
        raise CommandError(_("The fee must be a positive amount or zero."), returncode=BAD_INPUT)
    return fee


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("The date must read YYYY-MM-DD, not %(text)r.") % {"text": text}, returncode=BAD_INPUT
        ) from None


def quote_json(result: Quote) -> str:
    # Amounts as JSON strings: a Decimal printed exactly, never through a float.
    return json.dumps(
        {
            "gross": str(result.gross),
            "withholding_tax": str(result.withholding_tax),
            "nhi_supplement": str(result.nhi_supplement),
            "net": str(result.net),
        }
    )


class Command(BaseCommand):
    help = (
        "Print the withholding tax, NHI supplementary premium and net of one TWD payment to a "
        "creator as JSON, under the rules in force on the date (today by default)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fee", required=True, help="gross amount in whole NT$")
        parser.add_argument("--payee", required=True, choices=PayeeKind.values)
        parser.add_argument(
            "--income-type", default=IncomeType.PROFESSIONAL, choices=IncomeType.values
        )
        parser.add_argument(
            "--nhi-exempt", action="store_true", help="exempt by their own insurance status"
        )
        parser.add_argument("--date", help="payment date, YYYY-MM-DD (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        fee = parse_fee(options["fee"])
        on = parse_date(options["date"]) if options["date"] else timezone.localdate()
        try:
            result = quote(fee, options["payee"], options["income_type"], options["nhi_exempt"], on)
        except QuoteError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
        self.stdout.write(quote_json(result))
