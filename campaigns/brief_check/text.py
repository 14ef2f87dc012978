"""How the checks read a caption: CJK text, links, emails, handles, hashtags and words."""

from __future__ import annotations

import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_CHAR = re.compile(f"[{CJK}]")


# A link ends at whitespace, quotes, CJK text or full-width punctuation.
_LINK_STOP = f"\\s<>\"'{CJK}\u3000-\u303f\uff00-\uffef"
URL = re.compile(
    rf"(?:https?://|www\.)[^{_LINK_STOP}]+"
    r"|(?<![A-Za-z0-9.@-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    rf"\.(?:com|net|org|tw|hk|io|co|me|ly|cc|app|shop)(?![A-Za-z0-9-])(?:/[^{_LINK_STOP}]*)?",
    re.IGNORECASE,
)
LINK_TOKEN = re.compile(f"[^{_LINK_STOP}]+")
# An address starts where a run of its characters starts: tried inside a run too, a long run
# without "@" would be rescanned from each of its characters (quadratic).
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Chinese may touch a tag (好用#開箱), a Latin letter may not (C#, hi@brand.tw is an email).
MENTION = re.compile(r"(?<![A-Za-z0-9_.@])@[A-Za-z0-9_.]+")
HASHTAG = re.compile(r"(?<![A-Za-z0-9_&])#\w*[^\W\d]\w*")  # "#1" is not a hashtag
WORD = re.compile("[0-9A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z]+)*")
_MASK = "\x00"  # same-length stand-in, so indexes into a masked text still point into the caption
# How many suggestions one finding lists at most.
MAX_SUGGESTIONS = 20


def is_letters(word: str) -> bool:
    return word.replace("'", "").replace("’", "").isalpha()


def mask(text: str, *patterns: re.Pattern[str]) -> str:
    """The text with every match of the patterns blanked out, each character kept in place."""
    for pattern in patterns:
        text = pattern.sub(lambda m: _MASK * len(m.group()), text)
    return text
