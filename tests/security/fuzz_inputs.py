"""Hypothesis strategies for what no form expects: every script, control characters, huge
strings, numbers past any limit, dates at and beyond the calendar's ends, lists for scalars,
JSON nested past the parser's stack, and files of the wrong kind."""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

from tests.factories import PNG_BYTES

BIG = 10**30  # 30 digits: past bigint, past float precision

NASTY_TEXT = (
    "",
    " ",
    "測試中文字",  # CJK
    "𠜎𠜱𠝹",  # CJK outside the BMP
    "مرحبا بالعالم",  # RTL
    "\u202eevil\u202c",  # RTL override
    "e\u0301\u0308\u0327\u0338",  # combining marks
    "Z̴̡̛͈a̶l̵g̶o̶",
    "👩\u200d👩\u200d👧\u200d👦🏳️\u200d🌈",  # emoji sequences
    "\ufeff\u200b\u2028\u2029",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f\x85",
    "\r\n\t",
    "'; DROP TABLE x;--",
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}{% debug %}",
    "%s%n%(x)s{0}",
    "../../../etc/passwd",
    "javascript:alert(1)",
    "https://[::1",
    "//example.com/",
    "@",
    "a@b",
    "true",
    "null",
    "[]",
    "{}",
    "on",
)
NASTY_NUMBERS = (
    "0",
    "-0",
    "-1",
    "-99999999999",
    str(BIG),
    str(-BIG),
    "9223372036854775808",
    "2147483648",
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "nan",
    "-NaN",
    "Infinity",
    "-Infinity",
    "inf",
    "sNaN",
    "0x1F",
    "1_000",
    "١٢٣",  # Arabic-Indic digits
    "１２３",  # full-width digits
    "²",  # a digit to str.isdigit(), not to int()
    "3.",
    ".5",
    "1,5",
    "12345678901234567890.123456789",
    "0.000000001",
)
NASTY_DATES = (
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "0000-00-00",
    "-0001-01-01",
    "2024-02-30",
    "2024-13-01",
    "2024-1-1",
    "31/12/2024",
    "2024-01-01T25:61:61",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "9999-12-31 23:59",
    "10000-01-01T00:00:00Z",
    "1970-01-01T00:00:00",
    "2024-06-01T12:00:00+99:99",
    "now",
)
ORDER_KEYS = ("id", "order_id", "total_price", "total", "currency", "created_at",
              "date_created_gmt", "date_created", "discount_codes", "coupon_lines",
              "landing_site", "meta_data", "refunds", "transactions", "financial_status",
              "status", "cancelled_at", "amount", "kind", "code", "key", "value")  # fmt: skip


def _huge(unit: str, size: int) -> str:
    return unit * (size // len(unit))


huge_text = st.builds(
    _huge, st.sampled_from(["a", "字", "🙂", "9", "e\u0301", "\u202e", "\x00 "]), st.just(100_000)
)
text = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=30),
    st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Mn", "Zs"]), max_size=8),
)
numbers = st.one_of(
    st.sampled_from(NASTY_NUMBERS),
    st.integers(-BIG, BIG).map(str),
    st.floats().map(str),
    st.decimals(allow_nan=True).map(str),
)
dates = st.one_of(
    st.sampled_from(NASTY_DATES),
    st.dates().map(str),
    st.datetimes().map(lambda moment: moment.isoformat()),
)
# One value of a field; huge strings are a rarer branch (they cost time, and one finds what
# many would).
scalar = st.one_of(text, numbers, dates, text, numbers, dates, huge_text)


# What a field no page names values for may take (a field only a POST-only view reads): the
# plain values a form would send, so that some requests get past the form.
PLAUSIBLE = ("1", "2", "100", "0.5", "Tea", "a@example.com", "2026-01-01", "TWD", "on",
             "campaign", "collaboration", "https://www.instagram.com/p/Cx1y2z3/",
             "https://youtu.be/dQw4w9WgXcQ", "https://shop.example.com/")  # fmt: skip


def field_value(known: set[str]) -> st.SearchStrategy[str | list[str]]:
    """A field's value: what the page would send (or something plain when it names no
    values), anything, or a list where one value is expected."""
    anything = st.one_of(scalar, st.lists(scalar, min_size=2, max_size=3))
    return st.one_of(st.sampled_from(sorted(known) or PLAUSIBLE), anything)


# What gunicorn hands a view in a header: Latin-1, and no control character but the tab (it
# refuses the others with a 400, RFC 9110 section 5.5).
HEADER_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
header_value = st.one_of(
    st.sampled_from([v for v in NASTY_TEXT + NASTY_NUMBERS if v.isascii()]),
    st.text(st.characters(max_codepoint=255), max_size=60),
).map(lambda value: HEADER_CONTROL.sub("", value))
HEADERS = ("HTTP_USER_AGENT", "HTTP_REFERER", "HTTP_ACCEPT_LANGUAGE", "HTTP_X_FORWARDED_FOR")
headers = st.dictionaries(st.sampled_from(HEADERS), header_value, max_size=2)


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


FILE_NAMES = ("a.csv", "a.xlsx", "a.png", "a.pdf", "a.jpg", "a.mp4", "a", ".csv", "測試.csv",
              "../../x.csv", "a\x01b.png", _huge("a", 300) + ".csv", "a.CSV")  # fmt: skip
file_content = st.one_of(
    st.just(PNG_BYTES),
    st.just(b""),
    st.just(b"PK\x03\x04" + b"\x00" * 40),  # a zip (an .xlsx) cut short
    st.binary(max_size=200),
    st.lists(st.lists(scalar.filter(lambda v: len(v) < 1000), max_size=4), max_size=4).map(
        lambda rows: "\n".join(",".join(row) for row in rows).encode("utf-8", "surrogatepass")
    ),
)
uploads = st.builds(_upload, st.sampled_from(FILE_NAMES), file_content)


# JSON bodies ------------------------------------------------------------------------------------

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-BIG, BIG),
    st.floats(),  # NaN and Infinity too: Python's json writes and reads them
    st.sampled_from(NASTY_TEXT + NASTY_NUMBERS + NASTY_DATES),
    st.text(max_size=20),
)
json_value = st.recursive(
    json_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(ORDER_KEYS) | st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=12,
)
order_like = st.dictionaries(st.sampled_from(ORDER_KEYS), json_value, max_size=len(ORDER_KEYS))


def _deep(opening: str, closing: str, depth: int = 10_000) -> bytes:
    return (opening * depth + "1" + closing * depth).encode()


json_bodies = st.one_of(
    order_like.map(lambda value: json.dumps(value).encode()),
    json_value.map(lambda value: json.dumps(value).encode()),
    st.sampled_from([_deep("[", "]"), _deep('{"id":', "}"), _deep('{"refunds":[', "]}")]),
    st.binary(max_size=100),
)


def short(value: Any) -> str:
    """A value as a failure message shows it: a huge string by its start and length."""
    if isinstance(value, str | bytes) and len(value) > 200:
        return f"{value[:40]!r}… ({len(value)} long)"
    if isinstance(value, list):
        return "[" + ", ".join(short(each) for each in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {short(v)}" for k, v in value.items()) + "}"
    if isinstance(value, SimpleUploadedFile):
        return f"<file {value.name!r}, {value.size} bytes>"
    return repr(value)
