"""How the importer reads the headers of Taiwanese creator spreadsheets: combined headers
(帳號/連結), decorations (full-width brackets, colons, line breaks), a platform named in the
header, a unit in the header (粉絲數(萬))."""

from __future__ import annotations

import pytest

from creators.import_headers import header_unit, map_column

# header → (field, platform implied by the header, the header's unit)
HEADERS = [
    # names
    ("名稱", "display_name", "", 1),
    ("姓名", "display_name", "", 1),
    ("網紅名稱", "display_name", "", 1),
    ("KOL", "display_name", "", 1),
    ("KOL 名稱：", "display_name", "", 1),
    ("網紅\n名稱", "display_name", "", 1),
    ("創作者名稱", "display_name", "", 1),
    ("暱稱", "display_name", "", 1),
    ("Name", "display_name", "", 1),
    ("粉專名稱", "display_name", "", 1),
    ("本名", "real_name", "", 1),
    # platform
    ("平台", "platform", "", 1),
    ("社群平台", "platform", "", 1),
    ("平台(IG/FB/YT)", "platform", "", 1),
    ("主要平台", "platform", "", 1),
    ("Platform:", "platform", "", 1),
    # where the account is
    ("帳號", "handle", "", 1),
    ("帳號/連結", "handle", "", 1),
    ("帳號／連結", "handle", "", 1),
    ("帳號 / 連結", "handle", "", 1),
    ("帳號或連結", "handle", "", 1),
    ("ID", "handle", "", 1),
    ("帳號ID", "handle", "", 1),
    ("連結", "url", "", 1),
    ("網址", "url", "", 1),
    ("URL", "url", "", 1),
    ("個人頁面連結", "url", "", 1),
    ("IG帳號(連結)", "handle", "instagram", 1),
    ("IG帳號（連結）", "handle", "instagram", 1),
    ("IG 帳號", "handle", "instagram", 1),
    ("Instagram 帳號", "handle", "instagram", 1),
    ("Instagram　帳號", "handle", "instagram", 1),  # a full-width space
    ("IG ID", "handle", "instagram", 1),
    ("IG連結", "url", "instagram", 1),
    ("IG Link", "url", "instagram", 1),
    ("IG", "handle", "instagram", 1),
    ("Instagram", "handle", "instagram", 1),
    ("【IG】帳號", "handle", "instagram", 1),
    ("帳號(IG)", "handle", "instagram", 1),
    ("YT頻道", "handle", "youtube", 1),
    ("YouTube頻道連結", "url", "youtube", 1),
    ("FB粉專", "handle", "facebook", 1),
    ("FB 粉絲專頁", "handle", "facebook", 1),
    ("臉書", "handle", "facebook", 1),
    ("TikTok", "handle", "tiktok", 1),
    ("抖音帳號", "handle", "tiktok", 1),
    ("Threads", "handle", "threads", 1),
    ("部落格網址", "url", "blog", 1),
    # counts
    ("粉絲數", "followers", "", 1),
    ("粉絲人數", "followers", "", 1),
    ("追蹤人數", "followers", "", 1),
    ("追蹤數", "followers", "", 1),
    ("訂閱數", "followers", "", 1),
    ("粉絲數/追蹤數", "followers", "", 1),
    ("Followers", "followers", "", 1),
    ("粉絲數(萬)", "followers", "", 10_000),
    ("粉絲數（萬）", "followers", "", 10_000),
    ("粉絲數（K）", "followers", "", 1_000),
    ("粉絲數 (千人)", "followers", "", 1_000),
    ("粉絲數(單位:萬)", "followers", "", 10_000),
    ("粉絲數\n(萬)", "followers", "", 10_000),
    ("追蹤人數（萬人）", "followers", "", 10_000),
    ("Followers (K)", "followers", "", 1_000),
    ("IG粉絲數", "followers", "instagram", 1),
    ("IG 粉絲數(萬)", "followers", "instagram", 10_000),
    ("YT訂閱數", "followers", "youtube", 1),
    ("YouTube 訂閱數（萬）", "followers", "youtube", 10_000),
    ("FB粉專追蹤數", "followers", "facebook", 1),
    ("追蹤中", "following", "", 1),
    ("平均觀看數", "avg_views", "", 1),
    ("YT平均觀看(萬)", "avg_views", "youtube", 10_000),
    ("貼文數", "posts_count", "", 1),
    # everything else
    ("類別", "categories", "", 1),
    ("分類", "categories", "", 1),
    ("領域", "categories", "", 1),
    ("內容類型", "categories", "", 1),
    ("地區", "region", "", 1),
    ("縣市", "region", "", 1),
    ("所在地區", "region", "", 1),
    ("Email", "email", "", 1),
    ("E-mail：", "email", "", 1),
    ("信箱", "email", "", 1),
    ("聯絡信箱", "email", "", 1),
    ("電話", "phone", "", 1),
    ("聯絡電話", "phone", "", 1),
    ("手機", "phone", "", 1),
    ("LINE ID", "line_id", "", 1),
    ("報價", "price", "", 1),
    ("費用", "price", "", 1),
    ("合作報價(未稅)", "price", "", 1),
    ("報價（NT$）", "price", "", 1),
    ("報價(萬)", "price", "", 10_000),
    ("IG報價", "price", "", 1),
    ("備註", "notes", "", 1),
    ("備註說明", "notes", "", 1),
    ("標籤", "tags", "", 1),
    ("經紀人", "agent_name", "", 1),
    ("聯絡窗口", "agent_name", "", 1),
]


@pytest.mark.parametrize(("header", "field", "platform", "unit"), HEADERS)
def test_it_reads_the_header(header, field, platform, unit):
    role = map_column(header)
    assert role is not None, header
    assert (role.field, role.platform) == (field, platform)
    assert header_unit(header) == unit


@pytest.mark.parametrize(
    "header",
    [
        "序號",
        "No.",
        "Unnamed: 3",
        "IG平均按讚",
        "合作檔期",
        "",
        "備考欄位X",
        "總粉絲數",
        "Total followers",
    ],
)
def test_it_leaves_headers_it_does_not_know_unmapped(header):
    assert map_column(header) is None


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


DECORATIONS = {
    "a trailing colon": lambda h: f"{h}：",
    "spaces around": lambda h: f"  {h}\u3000",
    "a required mark": lambda h: f"{h}*",
    "full-width letters and brackets": _full_width,
    "a line break after": lambda h: f"{h}\n",
}


@pytest.mark.parametrize("decoration", DECORATIONS)
@pytest.mark.parametrize(("header", "field", "platform", "unit"), HEADERS[::4])
def test_decorations_do_not_change_what_a_header_means(header, field, platform, unit, decoration):
    decorated = DECORATIONS[decoration](header)
    assert map_column(decorated) == map_column(header), decorated
    assert header_unit(decorated) == unit
