"""The duplicate-or-generic-comments signal against samples counted by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.tracking.test_scoring_creator import ACCOUNTS, AUDIENCE_NONE, HISTORY_NONE
from tracking.results.scoring.comments import comment_key, comment_readings, is_generic
from tracking.results.scoring.creator import account_scores


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("讚讚讚!!", "讚"),
        ("Nice!! 😍 @bob.lin", "nice"),
        ("ＮＩＣＥ", "nice"),  # full-width letters fold to ASCII (NFKC)
        ("請問哪裡買 https://shop.example/x", "請問哪裡買"),
        ("😍🔥👏", ""),
        ("@amy @ben", ""),
        ("+1", "+1"),
        ("第11次回購", "第11次回購"),  # repeated digits are a number, not emphasis
    ],
)
def test_comments_are_compared_by_their_letters_and_digits(text, key):
    assert comment_key(text) == key


@pytest.mark.parametrize(
    ("text", "generic"),
    [
        ("好美😍", True),
        ("太讚了！！！", True),
        ("Love it!!!", True),
        ("🔥🔥", True),
        ("@friend 快看", False),
        ("請問敏感肌可以用嗎", False),
        ("Where can I buy this?", False),
    ],
)
def test_stock_praise_emoji_and_tags_alone_are_generic(text, generic):
    assert is_generic(comment_key(text)) is generic


def comments(account: int, texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"account": account, "text": texts})


def test_the_readings_count_generic_and_copied_comments_once_each():
    sample = comments(
        1,
        [
            "讚讚讚!!",  # generic
            "讚",  # generic: the same comment
            "😍😍",  # generic
            "買了三次，真的好用",  # copied …
            "買了三次，真的好用!",  # … twice (punctuation aside)
            "請問在哪裡買？",
        ],
    )
    reading = comment_readings(sample).loc[1]
    assert reading["comments_read"] == 6
    assert (reading["generic"], reading["duplicates"]) == (3, 2)
    assert reading["suspicious_share"] == pytest.approx(5 / 6)
    # The most repeated first, then in code-point order (讚 U+8B9A before 買 U+8CB7); the
    # first text seen stands for its group.
    assert reading["examples"] == [("讚讚讚!!", 2), ("買了三次，真的好用", 2), ("😍😍", 1)]


def test_an_empty_sample_reads_nothing():
    readings = comment_readings(pd.DataFrame(columns=["account", "text"]))
    assert readings.empty and "suspicious_share" in readings.columns


def scores_with(texts_by_account: dict[int, list[str]]) -> pd.DataFrame:
    frame = pd.concat([comments(a, texts) for a, texts in texts_by_account.items()])
    return account_scores(
        ACCOUNTS,
        pd.DataFrame(columns=["account", "published_at", "likes", "comments", "shares", "saves"]),
        HISTORY_NONE,
        AUDIENCE_NONE,
        {},
        frame,
    )


def test_the_signal_fires_at_two_fifths_suspicious_over_thirty_comments():
    real = [f"question number {n}" for n in range(30)]
    scores = scores_with(
        {
            # 20 of 50 stock praise: 40 %, fires (−10 from 100, with following read too).
            1: real + ["好美"] * 20,
            # 19 of 49: 38.8 %, does not fire.
            2: real[:30] + ["nice pic"] * 19,
            # 29 comments, all generic: too few to read.
            3: ["👍"] * 29,
        }
    )
    assert scores.loc[1, "suspicious_comments"] == pytest.approx(0.4)
    assert bool(scores.loc[1, "fired_generic_comments"])
    assert scores.loc[1, "authenticity"] == 90
    assert scores.loc[2, "suspicious_comments"] == pytest.approx(19 / 49)
    assert not bool(scores.loc[2, "fired_generic_comments"])
    assert bool(scores.loc[2, "available_generic_comments"])
    assert pd.isna(scores.loc[3, "suspicious_comments"])
    assert scores.loc[3, "comments_read"] == 29
    assert not bool(scores.loc[3, "available_generic_comments"])
