"""The automatic brief check of draft captions: pure functions, no database."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import translation

from campaigns.brief_check import (
    BriefRules,
    Finding,
    Status,
    check_caption,
    describe,
    findings_from_json,
    findings_to_json,
    summary,
)

PASS, WARN, FAIL = Status.PASS, Status.WARN, Status.FAIL


def findings(caption: str, **rules: Any) -> dict[str, Finding]:
    return {finding.code: finding for finding in check_caption(caption, BriefRules(**rules))}


def finding(caption: str, code: str, **rules: Any) -> Finding:
    return findings(caption, **rules)[code]


# --- Brief requirements ------------------------------------------------------------------------


def test_it_passes_when_every_required_hashtag_is_there_with_or_without_the_sign():
    result = finding("新品開箱 #kolhub #開箱", "hashtags", hashtags=("#KOLHub", "開箱"))
    assert result == Finding("hashtags", PASS, {"required": ["#KOLHub", "#開箱"], "missing": []})


def test_it_fails_naming_each_missing_hashtag():
    result = finding("新品 #KOLHub", "hashtags", hashtags=("#KOLHub", "#開箱", "#ad"))
    assert result.status == FAIL
    assert result.params["missing"] == ["#開箱", "#ad"]


def test_it_finds_a_hashtag_glued_to_chinese_but_not_to_a_latin_word():
    assert finding("超好用#開箱", "hashtags", hashtags=("開箱",)).status == PASS
    assert finding("MY#開箱", "hashtags", hashtags=("開箱",)).status == FAIL


def test_it_does_not_take_a_longer_hashtag_or_a_link_fragment_for_the_required_one():
    caption = "#KOLHubTW #開箱文 https://kolhub.tw/#kolhub"
    result = finding(caption, "hashtags", hashtags=("#KOLHub", "#開箱"))
    assert result.params["missing"] == ["#KOLHub", "#開箱"]


@pytest.mark.parametrize(
    ("caption", "status"),
    [
        ("感謝 @brand.tw 的邀請！", PASS),
        ("感謝@BRAND.TW邀請", PASS),
        ("Thanks @brand.tw.", PASS),
        ("寄信到 hi@brand.tw 報名", FAIL),
        ("感謝 @brand.tw.shop", FAIL),
        ("感謝 @brand", FAIL),
        ("C@brand.tw", FAIL),
    ],
)
def test_it_finds_mentions_case_insensitively_but_not_inside_emails_or_longer_handles(
    caption, status
):
    assert finding(caption, "mentions", mentions=("brand.tw",)).status == status


def test_it_omits_every_check_whose_rule_is_empty():
    assert list(findings("Hello world")) == ["spelling"]
    assert list(findings("你好")) == ["simplified", "cjk_spacing", "punctuation_width"]
    assert findings("", hashtags=("  ", "#"), forbidden_words=("",), disclosure=" ") == {}


@pytest.mark.parametrize(
    ("disclosure", "caption", "status"),
    [
        ("#ad", "Love it! #AD", PASS),
        ("#ad", "Love my #adidas", FAIL),
        ("合作", "本篇為品牌合作文", PASS),
        ("合作", "本篇為自費購買", FAIL),
        ("Paid partnership", "paid PARTNERSHIP with @brand", PASS),
    ],
)
def test_it_wants_the_disclosure_as_a_whole_tag_or_word_but_anywhere_in_chinese(
    disclosure, caption, status
):
    assert finding(caption, "disclosure", disclosure=disclosure).status == status


@pytest.mark.parametrize(
    "caption",
    [
        "shop.com/p/1",
        "http://SHOP.com/p/1/",
        "購買連結：https://www.shop.com/p/1。",
        "連結在這https://shop.com/p/1看看",
        "(link: www.shop.com/p/1)",
    ],
)
def test_it_finds_the_link_whatever_its_scheme_www_trailing_slash_or_host_case(caption):
    result = finding(caption, "link", required_link="https://www.Shop.com/p/1/")
    assert result == Finding("link", PASS, {"link": "https://www.Shop.com/p/1/"})


@pytest.mark.parametrize("caption", ["shop.com/p/12", "shop.com/P/1", "shop.com/p", "沒有連結"])
def test_it_fails_the_link_check_for_any_other_address(caption):
    assert finding(caption, "link", required_link="https://shop.com/p/1").status == FAIL


def test_it_fails_a_required_link_that_is_no_address_at_all():
    assert finding("see [here]", "link", required_link="[").status == FAIL


@pytest.mark.parametrize(
    ("caption", "status"),
    [("輸入KOL10享九折", PASS), ("code: kol10!", PASS), ("輸入 KOL100", FAIL), ("XKOL10", FAIL)],
)
def test_it_wants_the_promo_code_as_a_whole_token(caption, status):
    result = finding(caption, "promo_code", promo_code="KOL10")
    assert result == Finding("promo_code", status, {"term": "KOL10"})


def test_it_lists_each_forbidden_word_found_matching_chinese_anywhere_and_english_whole_words():
    caption = "全網最便宜！The cheapest deal. Cheap!"
    result = finding(caption, "forbidden_words", forbidden_words=("最便宜", "cheap", "guaranteed"))
    assert result == Finding("forbidden_words", FAIL, {"found": ["最便宜", "cheap"]})


def test_it_passes_the_forbidden_words_check_when_none_is_used():
    result = finding("The cheapest deal", "forbidden_words", forbidden_words=("cheap", "療效"))
    assert result == Finding("forbidden_words", PASS, {"found": []})


@pytest.mark.parametrize(
    ("platform", "length", "status"),
    [
        ("instagram", 1980, PASS),
        ("instagram", 1981, WARN),  # above 90 % of 2,200
        ("instagram", 2200, WARN),
        ("instagram", 2201, FAIL),
        ("threads", 450, PASS),
        ("threads", 451, WARN),
        ("threads", 501, FAIL),
        ("x", 252, PASS),
        ("x", 253, WARN),
        ("x", 281, FAIL),
    ],
)
def test_it_checks_the_caption_length_against_the_platform_limit(platform, length, status):
    result = finding("a" * length, "length", platform=platform)
    limit = {"instagram": 2200, "threads": 500, "x": 280}[platform]
    assert result == Finding("length", status, {"length": length, "limit": limit})


def test_it_counts_chinese_double_and_links_as_23_characters_on_x_as_x_does():
    assert finding("好" * 140, "length", platform="x").params == {"length": 280, "limit": 280}
    assert finding("好" * 141, "length", platform="x").status == FAIL
    long_link = "https://example.com/a/rather/long/path/indeed hi"
    assert finding(long_link, "length", platform="x").params["length"] == 23 + 3
    assert finding("👍🏽❤️ hi", "length", platform="x").params["length"] == 2 + 2 + 3
    assert finding("好" * 141, "length", platform="threads").params["length"] == 141


def test_it_takes_the_limit_from_the_format_before_the_platform():
    assert finding("hi", "length", format="threads_post").params["limit"] == 500
    assert finding("hi", "length", platform="instagram", format="ig_reel").params["limit"] == 2200
    assert finding("hi", "length", platform="x", format="other").params["limit"] == 280
    assert finding("hi", "length", platform="youtube", format="yt_short").params["limit"] == 5000
    assert finding("hi", "length", platform="TikTok").params["limit"] == 2200
    assert finding("hi", "length", platform="facebook").params["limit"] == 63206
    assert "length" not in findings("hi", platform="instagram", format="ig_story")
    assert "length" not in findings("hi", platform="blog")
    assert "length" not in findings("hi", platform="myspace")


def test_it_fails_instagram_captions_with_more_hashtags_than_instagram_allows():
    five = "#a1 #b2 #c3 #d4 #e5 #1"  # "#1" is not a hashtag
    assert finding(five, "hashtag_count", platform="instagram").params == {"count": 5, "limit": 5}
    assert finding(five, "hashtag_count", platform="instagram").status == PASS
    six = five + " #f6"
    assert finding(six, "hashtag_count", platform="instagram").status == FAIL
    assert "hashtag_count" not in findings(six, platform="tiktok")


def test_it_lists_the_brief_requirements_first_and_the_copy_quality_after():
    rules = {
        "hashtags": ("#kolhub",),
        "mentions": ("@brand",),
        "disclosure": "#ad",
        "required_link": "shop.com",
        "promo_code": "KOL10",
        "forbidden_words": ("最便宜",),
        "platform": "instagram",
    }
    assert list(findings("新品 Great", **rules)) == [
        "hashtags",
        "mentions",
        "disclosure",
        "link",
        "promo_code",
        "forbidden_words",
        "length",
        "hashtag_count",
        "simplified",
        "cjk_spacing",
        "punctuation_width",
        "spelling",
    ]


# --- Simplified Chinese and mainland vocabulary ------------------------------------------------


@pytest.mark.parametrize(
    "caption",
    [
        "這款保濕精華真的很好用，推薦給大家！",
        "週末跟朋友去台南吃美食，牛肉湯、蝦捲、擔仔麵一次滿足！",
        "我住在台中，這台新筆電的螢幕超亮，軟體也很好上手。",
        "她的頭髮又乾又毛躁，用了這瓶護髮油之後柔順很多。",
        "里長伯說干擾睡眠的因素很多，這杯咖啡的香氣很濃郁。",
        "想了解更多請私訊，余先生和游小姐會回覆你。",
        "謝謝大家的支持！無添加物，導入精華後再擦乳液。",
        "這間店的菜單包羅萬象，查看更多請點擊連結。",
    ],
)
def test_it_passes_traditional_taiwanese_text(caption):
    assert finding(caption, "simplified") == Finding("simplified", PASS, {"suggestions": []})


@pytest.mark.parametrize(
    ("caption", "suggestions"),
    [
        ("软件", [["软件", "軟體"]]),
        ("鼠标", [["鼠标", "滑鼠"]]),
        ("视频", [["视频", "影片"]]),
        ("這個視頻很好看", [["視頻", "影片"]]),  # mainland word in Traditional characters
        ("我的鼠标坏了", [["鼠标坏", "滑鼠壞"]]),
        ("软件，软件，鼠标", [["软件", "軟體"], ["鼠标", "滑鼠"]]),  # each once
    ],
)
def test_it_suggests_the_taiwanese_form_of_simplified_characters_and_mainland_words(
    caption, suggestions
):
    assert finding(caption, "simplified") == Finding(
        "simplified", WARN, {"suggestions": suggestions}
    )


def test_it_gives_at_most_twenty_suggestions():
    caption = "，".join("这们说会对时国为个来发后经过还没见现问题长门开关车东")
    suggestions = finding(caption, "simplified").params["suggestions"]
    assert len(suggestions) == 20
    assert suggestions[:3] == [["这", "這"], ["们", "們"], ["说", "說"]]


# --- Spacing and punctuation -------------------------------------------------------------------


def test_it_warns_about_chinese_glued_to_latin_letters_or_digits():
    result = finding("我用iPhone拍了3張照片", "cjk_spacing")
    assert result.status == WARN
    assert result.params == {
        "count": 4,  # 用|i, e|拍, 了|3, 3|張
        "examples": ["我用iPhone", "iPhone拍了3張照", "iPhone拍了3張照片"],
    }


def test_it_accepts_spaced_text_and_ignores_hashtags_mentions_and_links():
    caption = "我用 iPhone 15 拍的 #iPhone開箱 @apple看 https://apple.com/tw/iphone中"
    assert finding(caption, "cjk_spacing") == Finding(
        "cjk_spacing", PASS, {"count": 0, "examples": []}
    )


def test_it_warns_about_half_width_punctuation_in_chinese():
    result = finding("真的好用!推薦給大家,快去買(限量)", "punctuation_width")
    assert result.status == WARN
    assert result.params["count"] == 4
    assert result.params["examples"][:2] == ["真的好用!推薦給大", "薦給大家,快去買("]


def test_it_leaves_decimals_times_ellipses_and_links_alone():
    caption = "價格 3.5 元，10:30 開賣……好想睡...真的 https://shop.com/a,b"
    assert finding(caption, "punctuation_width").status == PASS


def test_it_warns_about_full_width_punctuation_between_english_words():
    result = finding("Love it！ So good，really. 真的OK！我很喜歡", "punctuation_width")
    assert result.params == {"count": 2, "examples": ["Love it！ So good", "good，really"]}


# --- English spelling --------------------------------------------------------------------------


def test_it_flags_english_typos_with_a_suggestion():
    result = finding("I recieve it and it is definately amazng.", "spelling")
    assert result.status == WARN
    assert result.params == {
        "words": [["recieve", "receive"], ["definately", "definitely"], ["amazng", "amazing"]]
    }


def test_it_checks_capitalised_words_that_start_a_sentence_or_a_line():
    result = finding("Recieve yours now. Definately!\nAmazng", "spelling")
    assert result.params["words"] == [
        ["Recieve", "Receive"],
        ["Definately", "Definitely"],
        ["Amazng", "Amazing"],
    ]


def test_it_gives_an_empty_suggestion_when_it_has_none():
    assert finding("so xqzvbnmw", "spelling").params["words"] == [["xqzvbnmw", ""]]


def test_it_does_not_flag_names_brands_tags_links_codes_or_british_spelling():
    caption = (
        "We met Xiaomei at Dcard. Try the new iPhone with #glowup @kolhubtw, "
        "code GLOWUP10, email hi@kolhub.tw, visit kolhub.tw/shop. NTUST rocks! "
        "Such a lovely colour, my favourite moisturiser. glowwy vibes for sparklez fans"
    )
    rules = {"hashtags": ("#glowwy",), "promo_code": "sparklez"}
    assert finding(caption, "spelling", **rules) == Finding("spelling", PASS, {"words": []})


def test_it_skips_the_spelling_check_when_there_are_no_english_words():
    assert "spelling" not in findings("買1送1 #ad @brand https://shop.com")


# --- Storing and wording -----------------------------------------------------------------------


def test_it_round_trips_findings_through_json():
    rules = BriefRules(hashtags=("#kolhub",), forbidden_words=("最便宜",), platform="x")
    original = check_caption("这个软件最便宜!I recieve it", rules)
    stored = json.loads(json.dumps(findings_to_json(original)))
    assert stored[0] == {"code": "hashtags", "status": "fail", "params": original[0].params}
    assert findings_from_json(stored) == original


@pytest.mark.parametrize(
    ("result", "sentence"),
    [
        (
            Finding("hashtags", FAIL, {"required": ["#KOLHub", "#開箱"], "missing": ["#開箱"]}),
            "Missing required hashtag: #開箱.",
        ),
        (
            Finding("mentions", PASS, {"required": ["@brand", "@shop"], "missing": []}),
            "All required mentions are included: @brand, @shop.",
        ),
        (Finding("disclosure", FAIL, {"term": "#ad"}), "The disclosure “#ad” is missing."),
        (
            Finding("link", FAIL, {"link": "https://shop.com/p/1"}),
            "The required link https://shop.com/p/1 is missing.",
        ),
        (Finding("promo_code", PASS, {"term": "KOL10"}), "The promo code KOL10 is included."),
        (
            Finding("forbidden_words", FAIL, {"found": ["最便宜", "cheap"]}),
            "Forbidden words used: 最便宜, cheap.",
        ),
        (
            Finding("length", PASS, {"length": 1234, "limit": 2200}),
            "Length is fine: 1,234 of 2,200 characters.",
        ),
        (
            Finding("length", FAIL, {"length": 2345, "limit": 2200}),
            "Too long: 2,345 of 2,200 characters.",
        ),
        (
            Finding("hashtag_count", FAIL, {"count": 6, "limit": 5}),
            "Too many hashtags: 6, the limit is 5.",
        ),
        (
            Finding("simplified", WARN, {"suggestions": [["软件", "軟體"], ["鼠标", "滑鼠"]]}),
            "Simplified Chinese or mainland vocabulary; in Taiwan write: 软件 → 軟體, 鼠标 → 滑鼠.",
        ),
        (
            Finding("cjk_spacing", WARN, {"count": 1, "examples": ["用iPhone拍"]}),
            "1 place needs a space between Chinese and Latin letters or digits: “用iPhone拍”.",
        ),
        (
            Finding("punctuation_width", WARN, {"count": 2, "examples": ["好用!推", "家,快"]}),
            "2 punctuation marks have the wrong width for their text: “好用!推”, “家,快”.",
        ),
        (
            Finding("spelling", WARN, {"words": [["recieve", "receive"], ["xqzv", ""]]}),
            "Possible spelling mistakes: recieve → receive, xqzv.",
        ),
    ],
)
def test_it_describes_a_finding_in_a_sentence_with_its_specifics(result, sentence):
    with translation.override("en"):
        assert describe(result) == sentence


def test_it_describes_every_finding_a_check_can_produce():
    rules = BriefRules(
        hashtags=("#kolhub",),
        mentions=("@brand",),
        disclosure="#ad",
        required_link="shop.com",
        promo_code="KOL10",
        forbidden_words=("最便宜",),
        platform="instagram",
    )
    captions = [
        "这个软件最便宜!I recieve #a #b #c #d #e #f",
        "新品 #kolhub @brand #ad shop.com KOL10",
    ]
    with translation.override("en"):
        sentences = [describe(f) for caption in captions for f in check_caption(caption, rules)]
    assert len(sentences) == 23  # the second caption has no English words to spell-check
    assert all(sentence.endswith(".") and "%(" not in sentence for sentence in sentences)


def test_it_describes_a_finding_from_a_newer_version_without_failing():
    assert describe(Finding("emoji_count", WARN, {"count": 3})) == "emoji_count: warn"


def test_it_counts_findings_per_status():
    results = [Finding("a", PASS), Finding("b", FAIL), Finding("c", PASS)]
    assert summary(results) == {"pass": 2, "fail": 1, "warn": 0}
    assert summary([]) == {"pass": 0, "fail": 0, "warn": 0}
