"""The review page's changes between two caption versions: marked by word, escaped, and with a
bounded amount of work whatever the captions (bench/test_user_text_bounds.py times it)."""

from __future__ import annotations

import random

import pytest

from campaigns.brief_check import MAX_CAPTION_LENGTH
from campaigns.caption_diff import MAX_DIFF_WORK, caption_diff
from tests.campaigns import url
from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    DeliverableFactory,
    DraftFactory,
)

N = MAX_CAPTION_LENGTH
_CJK = [chr(code) for code in range(0x4E00, 0x4E00 + 3000)]


def chinese(length: int, seed: int = 1, alphabet: list[str] = _CJK) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(length))


def edited_every(text: str, step: int) -> str:
    """The text with every step-th character replaced: many small edits on one long line."""
    return "".join("X" if i % step == 0 else char for i, char in enumerate(text))


def test_it_marks_the_changed_words_and_keeps_the_unchanged_lines():
    diff = caption_diff("Summer tea\nso good", "Summer tea #ad\nso good")
    assert diff.rows == [("Summer tea", "Summer tea<ins> #ad</ins>"), ("so good", "so good")]
    assert not diff.too_different


def test_it_marks_whole_words_and_single_chinese_characters():
    diff = caption_diff("Cold brew is nice 夏日好茶", "Cold brew is great 夏天好茶")
    assert diff.rows == [
        (
            "Cold brew is <del>nice</del> 夏<del>日</del>好茶",
            "Cold brew is <ins>great</ins> 夏<ins>天</ins>好茶",
        )
    ]


def test_it_shows_added_and_removed_lines_beside_an_empty_cell():
    diff = caption_diff("one\ntwo", "one\ntwo\nthree")
    assert diff.rows[-1] == ("", "<ins>three</ins>")
    assert caption_diff("one\ntwo", "one").rows[-1] == ("<del>two</del>", "")


def test_it_escapes_both_captions():
    diff = caption_diff("<b>tea</b>", "<b>tea</b> & <i>cake</i>")
    assert diff.rows == [
        (
            "&lt;b&gt;tea&lt;/b&gt;",
            "&lt;b&gt;tea&lt;/b&gt;<ins> &amp; &lt;i&gt;cake&lt;/i&gt;</ins>",
        )
    ]


def test_identical_captions_show_their_lines_unmarked():
    assert caption_diff("same\nlines", "same\nlines").rows == [("same", "same"), ("lines", "lines")]


def test_one_edit_in_the_longest_caption_costs_next_to_nothing():
    """The unchanged start and end of a line are set aside before matching."""
    before = chinese(N)
    after = before[: N // 2] + "X" + before[N // 2 + 1 :]
    diff = caption_diff(before, after)
    assert not diff.too_different
    assert "<del>" in diff.rows[0][0] and "<ins>X</ins>" in diff.rows[0][1]
    assert diff.work < 1_000


SHAPES = {
    # 99 s at 40,000 characters with difflib on characters: each search rescanned the rest.
    "one line, an edit every 50 characters": lambda n: (chinese(n), edited_every(chinese(n), 50)),
    "two unrelated lines of 300 characters": lambda n: (
        chinese(n, 1, _CJK[:300]),
        chinese(n, 2, _CJK[:300]),
    ),
    "every line changed": lambda n: (
        "\n".join(str(i) for i in range(n // 6)),
        "\n".join(str(i * 7) for i in range(n // 6)),
    ),
    "empty lines against lines": lambda n: ("\n" * n, "x\n" * (n // 2)),
    "alternating letters": lambda n: ("ab" * (n // 2), "ba" * (n // 2)),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_work_of_a_diff_stays_within_its_budget(shape):
    before, after = SHAPES[shape](N)
    diff = caption_diff(before, after)
    assert diff.work <= MAX_DIFF_WORK
    assert diff.rows or diff.too_different


def one_edit_per_line(n: int) -> tuple[str, str]:
    lines = [chinese(60, seed) for seed in range(n // 61)]
    return "\n".join(lines), "\n".join(line[:30] + "X" + line[31:] for line in lines)


def one_edit_in_one_line(n: int) -> tuple[str, str]:
    text = chinese(n)
    return text, text[: n // 2] + "X" + text[n // 2 + 1 :]


@pytest.mark.parametrize("edits", [one_edit_per_line, one_edit_in_one_line])
def test_doubling_a_caption_with_everyday_edits_at_most_doubles_the_work(edits):
    """Lines matched first, then words with the unchanged ends set aside: what reviewers
    compare day to day stays linear, far below the budget, at any length."""
    work_small = caption_diff(*edits(20_000)).work
    work_large = caption_diff(*edits(40_000)).work
    assert work_large <= 2.5 * max(work_small, 1_000)
    assert not caption_diff(*edits(N)).too_different


@pytest.fixture
def deliverable(brand):
    return DeliverableFactory(
        collaboration=CollaborationFactory(campaign=CampaignFactory(brand=brand))
    )


def test_the_review_page_says_when_versions_are_too_different_to_compare(
    alice_client, workspace, deliverable
):
    text = chinese(10_000)
    DraftFactory(deliverable=deliverable, version=1, caption=text)
    second = DraftFactory(deliverable=deliverable, version=2, caption=edited_every(text, 50))
    page = alice_client.get(url("draft_detail", workspace, second.pk))
    assert page.status_code == 200
    assert "too long or too different to compare line by line" in page.text
    assert '<table class="diff">' not in page.text


def test_the_review_page_shows_the_changes_of_a_small_edit(alice_client, workspace, deliverable):
    DraftFactory(deliverable=deliverable, version=1, caption="Summer tea\nso good")
    second = DraftFactory(deliverable=deliverable, version=2, caption="Summer tea #ad\nso good")
    page = alice_client.get(url("draft_detail", workspace, second.pk))
    assert "<ins> #ad</ins>" in page.text
    assert "too different" not in page.text
