"""Work that grows with what users type or upload grows linearly, or stops at a stated bound
(bench/test_user_text_bounds.py has the timings; these pin the behaviour, without clocks)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from creators.audience import _SHARE
from creators.audience_forms import SharesField
from creators.importer import AccountRow, CreatorRow
from creators.parsing import parse_count
from creators.services.imports import _merge_rows


class CountedText(str):
    """A str that counts how often it is hashed: dict and set work, without a clock."""

    hashes = 0

    def __hash__(self) -> int:
        CountedText.hashes += 1
        return super().__hash__()


def rows_of_one_creator(n: int) -> list[CreatorRow]:
    return [
        CreatorRow(
            row=i + 2,
            display_name="小美日常",
            tags=[CountedText(f"tag{i}"), CountedText("shared")],
            categories=[CountedText(f"category{i}")],
            accounts=[AccountRow("instagram", CountedText(f"mei{i}"))],
        )
        for i in range(n)
    ]


def hashes_to_merge(n: int) -> int:
    rows = rows_of_one_creator(n)
    CountedText.hashes = 0
    _merge_rows(rows)
    return CountedText.hashes


def test_merging_twice_the_rows_of_one_creator_does_twice_the_work():
    """Rows of one name merge into one creator; its labels and accounts were rebuilt at every
    row, so 10,000 rows took 48 s."""
    assert hashes_to_merge(2_000) <= 2.5 * hashes_to_merge(1_000)


def test_merged_rows_keep_every_label_and_account_once_in_order():
    merged = _merge_rows(
        [
            CreatorRow(
                row=2,
                display_name="Mei",
                fields={"region": "台北"},
                tags=["tea", "summer"],
                accounts=[AccountRow("instagram", "mei")],
            ),
            CreatorRow(
                row=3,
                display_name="MEI",
                fields={"region": "高雄", "city": "左營"},
                tags=["summer", "cold brew"],
                categories=["美食"],
                accounts=[AccountRow("instagram", "mei"), AccountRow("youtube", "meitube")],
            ),
        ]
    )
    assert len(merged) == 1
    [creator] = merged
    assert (creator.row, creator.display_name) == (2, "Mei")
    assert creator.fields == {"region": "台北", "city": "左營"}
    assert creator.tags == ["tea", "summer", "cold brew"]
    assert creator.categories == ["美食"]
    assert [(a.platform, a.handle) for a in creator.accounts] == [
        ("instagram", "mei"),
        ("youtube", "meitube"),
    ]


@pytest.mark.parametrize("digits", [4_000, 5_000, 100_000])
def test_a_count_of_thousands_of_digits_is_too_large_without_being_converted(digits):
    """Compared as a Decimal: turning it into an int took time growing with the square of its
    digits, and printing one of over 4,300 digits failed with Python's own message."""
    with translation.override("en"), pytest.raises(ValueError) as error:
        parse_count("9" * digits)
    assert str(error.value) == "99999999999999999999… is too large to be a real count."


def test_a_large_count_of_few_digits_is_shown_as_a_number():
    with translation.override("en"), pytest.raises(ValueError) as error:
        parse_count("12,300,000,000")
    assert str(error.value) == "12,300,000,000 is too large to be a real count."
    assert parse_count("5000000000.4") == 5_000_000_000


@pytest.mark.parametrize("text", ["1" * 2_001 + "x", "18-24: 29%\n" * 200])
def test_share_lines_longer_than_the_field_are_refused_before_they_are_read(text):
    """Django checks max_length after to_python, which parsed the lines first: a portal link
    could post 2.5 MB of digits to the insight form."""
    field = SharesField()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        field.clean(text)
    assert error.value.messages == [
        f"Ensure this value has at most 2000 characters (it has {len(text.strip())})."
    ]


@pytest.mark.parametrize(
    ("line", "bucket", "share"),
    [
        ("18-24: 29%", "18-24", 29.0),
        ("女性 55.5%", "女性", 55.5),
        ("25-34 = 0.31", "25-34", 0.31),
        ("iOS 17.2.1: 5%", "iOS 17.2.1", 5.0),
        ("x1.5%", "x", 1.5),
    ],
)
def test_a_share_is_the_whole_number_at_the_end_of_its_line(line, bucket, share):
    """The pattern starts only where a number starts, and still finds the one that ends the
    line (bench/test_user_text_bounds.py: 100,000 digits in milliseconds)."""
    match = _SHARE.search(line)
    assert match is not None
    assert (line[: match.start()].rstrip(" :=\t"), float(match.group(1))) == (bucket, share)
