"""Taiwanese identifiers a payee gives for tax filing, checked by their published check digits.

- 國民身分證統一編號 (national ID): one letter (the place of first registration), 1 or 2 (sex),
  seven digits and a check digit. The letter stands for a two-digit number (A=10 … Z=33, with
  I=34, O=35, W=32 out of order); weighted 1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1 the sum of all eleven
  digits is a multiple of 10 (內政部戶政司, 身分證統一編號編碼原則).
- 居留證 (resident certificate) number, new format since 2021: the same rule with 8 or 9 in the
  sex position; old format: two letters and eight digits, the second letter (A–D) counting by
  its number's last digit (內政部移民署, 新式外來人口統一證號).
- 統一編號 (business UBN): eight digits weighted 1, 2, 1, 2, 1, 2, 4, 1, each product's digits
  added; valid when the total is a multiple of 5. When the seventh digit is 7 its product 28
  (2+8 = 10, then 1+0) may count as 1 or as 0, so either total may be the multiple (財政部,
  營利事業統一編號檢查碼邏輯修正說明, 2023: divisible by 5, which every number valid under the
  old divisible-by-10 rule also is).
"""

from __future__ import annotations

import re

LETTER_CODES = {letter: code for code, letter in enumerate("ABCDEFGHJKLMNPQRSTUVXYWZIO", start=10)}
ID_WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
UBN_WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)

NATIONAL_ID = re.compile(r"[A-Z][12]\d{8}")
RESIDENT_NEW = re.compile(r"[A-Z][89]\d{8}")
RESIDENT_OLD = re.compile(r"[A-Z][A-D]\d{8}")
UBN = re.compile(r"\d{8}")


def _id_checksum_ok(first_letter: str, digits: str) -> bool:
    """`digits` are the nine after the letter (the sex position already as one digit)."""
    code = LETTER_CODES[first_letter]
    numbers = [code // 10, code % 10, *map(int, digits)]
    return sum(n * w for n, w in zip(numbers, ID_WEIGHTS, strict=True)) % 10 == 0


def is_national_id(value: str) -> bool:
    return bool(NATIONAL_ID.fullmatch(value)) and _id_checksum_ok(value[0], value[1:])


def is_resident_certificate(value: str) -> bool:
    if RESIDENT_NEW.fullmatch(value):
        return _id_checksum_ok(value[0], value[1:])
    if RESIDENT_OLD.fullmatch(value):
        return _id_checksum_ok(value[0], str(LETTER_CODES[value[1]] % 10) + value[2:])
    return False


def is_business_number(value: str) -> bool:
    if not UBN.fullmatch(value):
        return False
    products = [int(d) * w for d, w in zip(value, UBN_WEIGHTS, strict=True)]
    total = sum(p // 10 + p % 10 for p in products)
    if total % 5 == 0:
        return True
    # 7 × 4 = 28 counted as 10 above (the same as 0 modulo 5); the rule also lets it count as 1.
    return value[6] == "7" and (total - 9) % 5 == 0
