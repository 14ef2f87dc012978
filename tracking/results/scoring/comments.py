"""Duplicate or generic comments: how much of an account's comment sample says nothing.

    generic    = a comment with no letter or digit once mentions and links are taken out
                 (emoji, punctuation or tags only), or a stock phrase of GENERIC_PHRASES
    duplicate  = any other comment whose text appears more than once in the sample
    suspicious = (generic + duplicates) / comments read

Texts are compared after NFKC, case folding and collapsing repeated characters, so "讚讚讚!!"
and "讚" are the same comment, as are "Nice!!" and "nice". Bots and engagement pods leave
stock praise and copy-pasted lines; real audiences ask questions and tell stories. The
signal needs MIN_COMMENTS comments and fires at SUSPICIOUS_SHARE (docs/scoring.md).

Input (no ORM here): comments with columns account, text.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

MIN_COMMENTS = 30
SUSPICIOUS_SHARE = 0.4
EXAMPLES = 3

_LINK = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@[\w.]+")
_REPEAT = re.compile(r"(\D)\1+")  # digits stay: 11 and 1 are different numbers

# Praise that fits any post, in the languages of the roster (Traditional Chinese, English).
GENERIC_PHRASES = (
    # English
    "nice", "nice pic", "nice post", "nice shot", "nice one", "great", "great post",
    "great pic", "great content", "great job", "good", "good job", "cool", "wow", "amazing",
    "awesome", "beautiful", "gorgeous", "lovely", "perfect", "love it", "love this",
    "so cute", "cute", "so pretty", "pretty", "fire", "lit", "goals", "yes", "omg", "lol",
    "haha", "keep it up", "keep going", "follow me", "follow back", "check my page",
    "check my profile", "dm me", "check dm", "dm for collab", "collab", "first",
    # Traditional Chinese
    "讚", "好讚", "太讚了", "超讚", "推", "推推", "大推", "必推", "先推", "先推再看", "好棒",
    "太棒了", "超棒", "好美", "太美了", "超美", "好可愛", "超可愛", "好看", "好好看",
    "漂亮", "好漂亮", "支持", "支持支持", "加油", "厲害", "好厲害", "帥", "好帥", "美",
    "愛了", "喜歡", "好喜歡", "好酷", "朝聖", "卡位", "好文", "感謝分享", "謝謝分享",
    "哈哈", "笑死", "想要", "好想要", "+1", "已追蹤", "互追", "求互追", "私訊", "已私訊",
)  # fmt: skip


def comment_key(text: str) -> str:
    """The comparable core of a comment: letters and digits, case-folded, NFKC, repeated
    letters collapsed, mentions and links removed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    stripped = _MENTION.sub(" ", _LINK.sub(" ", folded))
    core = "".join(ch for ch in stripped if unicodedata.category(ch)[0] in "LN" or ch == "+")
    return _REPEAT.sub(r"\1", core)


_GENERIC_KEYS = frozenset(comment_key(phrase) for phrase in GENERIC_PHRASES)


def is_generic(key: str) -> bool:
    return key in _GENERIC_KEYS or not key.strip("+")


def comment_readings(comments: pd.DataFrame) -> pd.DataFrame:
    """Per account: comments_read, generic, duplicates, suspicious_share and examples (the
    most repeated suspicious texts with their counts)."""
    columns = ["comments_read", "generic", "duplicates", "suspicious_share", "examples"]
    if comments.empty:
        return pd.DataFrame(columns=columns).rename_axis("account")
    frame = comments[["account", "text"]].copy()
    frame["key"] = frame["text"].astype(str).map(comment_key)
    frame["generic"] = frame["key"].map(is_generic)
    repeats = frame.groupby(["account", "key"])["key"].transform("size")
    frame["duplicate"] = ~frame["generic"] & (repeats > 1)
    frame["suspicious"] = frame["generic"] | frame["duplicate"]
    grouped = frame.groupby("account")
    readings = pd.DataFrame(
        {
            "comments_read": grouped.size(),
            "generic": grouped["generic"].sum(),
            "duplicates": grouped["duplicate"].sum(),
        }
    )
    readings["suspicious_share"] = (readings["generic"] + readings["duplicates"]) / readings[
        "comments_read"
    ]
    examples = _examples(frame[frame["suspicious"]]).reindex(readings.index)
    readings["examples"] = examples.map(lambda found: found if isinstance(found, list) else [])
    return readings[columns]


def _examples(suspicious: pd.DataFrame) -> pd.Series:
    """The EXAMPLES most frequent suspicious comments of each account, as (text, count)."""
    counted = (
        suspicious.groupby(["account", "key"])
        .agg(text=("text", "first"), count=("text", "size"))
        .reset_index()
        .sort_values(["account", "count", "text"], ascending=[True, False, True])
    )[["account", "text", "count"]]
    examples: dict[int, list[tuple[str, int]]] = {}
    for account, text, count in counted.groupby("account").head(EXAMPLES).itertuples(index=False):
        examples.setdefault(account, []).append((str(text), int(count)))
    return pd.Series(examples, dtype=object)
