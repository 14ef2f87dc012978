from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creators.models import Platform
from creators.parsing import MAX_COUNT, parse_count, parse_platform, parse_profile_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,300", 12_300),
        ("1.2萬", 12_000),
        ("1.2万", 12_000),
        ("12.3K", 12_300),
        ("12.3k", 12_300),
        ("1.5M", 1_500_000),
        ("3千", 3_000),
        ("１２，３００", 12_300),
        ("１．２萬", 12_000),
        ("2.5w", 25_000),
        (" 8,500 人 ", 8_500),
        ("1.2萬+", 12_000),
        ("12.3K followers", 12_300),
        ("3億", 300_000_000),
        ("0", 0),
        (15000, 15_000),
        (1.5e4, 15_000),
        ("", None),
        ("-", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_it_reads_counts_as_marketers_write_them(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5", "cannot be negative"),
        ("abc", "is not a count"),
        ("1.2.3", "is not a count"),
        ("12萬萬", "is not a count"),
        ("9999999M", "too large"),
        (True, "Not a number"),
    ],
)
def test_it_explains_what_is_wrong_with_a_count(text, message):
    with pytest.raises(ValueError, match=message):
        parse_count(text)


@given(st.integers(min_value=0, max_value=MAX_COUNT))
def test_it_reads_any_plain_or_grouped_integer(n):
    assert parse_count(str(n)) == n
    assert parse_count(f"{n:,}") == n


@given(st.integers(min_value=0, max_value=49_999), st.sampled_from(["萬", "K", "M", "千"]))
def test_it_scales_by_the_unit(n, unit):
    scale = {"萬": 10_000, "K": 1_000, "M": 1_000_000, "千": 1_000}[unit]
    assert parse_count(f"{n / 10}{unit}") == round(n * scale / 10)


@given(st.text(max_size=30))
def test_it_never_crashes_on_messy_text(text):
    try:
        result = parse_count(text)
    except ValueError:
        return
    assert result is None or 0 <= result <= MAX_COUNT


@pytest.mark.parametrize(
    ("url", "platform", "handle"),
    [
        ("https://www.instagram.com/Mei.Daily/", Platform.INSTAGRAM, "mei.daily"),
        ("instagram.com/mei_daily?igsh=abc", Platform.INSTAGRAM, "mei_daily"),
        ("https://youtube.com/@MeiMei", Platform.YOUTUBE, "meimei"),
        (
            "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv",
            Platform.YOUTUBE,
            "UCabcdefghijklmnopqrstuv",
        ),
        ("https://www.youtube.com/c/MeiChannel", Platform.YOUTUBE, "meichannel"),
        ("https://www.tiktok.com/@mei.tt/video/7312345", Platform.TIKTOK, "mei.tt"),
        ("https://m.facebook.com/MeiPage/", Platform.FACEBOOK, "meipage"),
        ("https://www.facebook.com/profile.php?id=100012345", Platform.FACEBOOK, "100012345"),
        ("https://www.threads.net/@mei", Platform.THREADS, "mei"),
        ("https://www.threads.com/@mei", Platform.THREADS, "mei"),
        ("https://twitter.com/Mei", Platform.X, "mei"),
        ("https://x.com/mei", Platform.X, "mei"),
        ("https://mei.blog.tw/about/", Platform.BLOG, "mei.blog.tw/about"),
        ("ｈｔｔｐｓ：／／ｗｗｗ．ｉｎｓｔａｇｒａｍ．ｃｏｍ／ｍｅｉ", Platform.INSTAGRAM, "mei"),
    ],
)
def test_it_reads_platform_and_handle_from_profile_urls(url, platform, handle):
    profile = parse_profile_url(url)
    assert (profile.platform, profile.handle) == (platform, handle)
    assert profile.url.startswith("https://")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://www.instagram.com/p/Cxyz123/", "is a post or page"),
        ("https://www.youtube.com/watch?v=abc", "is not a YouTube channel URL"),
        ("https://www.tiktok.com/mei", "looks like …/@handle"),
        ("https://www.facebook.com/profile.php", "no profile id"),
        ("not a url", "is not a URL"),
        ("", "Empty URL"),
    ],
)
def test_it_refuses_urls_that_are_not_profiles(url, message):
    with pytest.raises(ValueError, match=message):
        parse_profile_url(url)


@pytest.mark.parametrize(
    ("name", "platform"),
    [
        ("IG", Platform.INSTAGRAM),
        ("Instagram", Platform.INSTAGRAM),
        ("臉書", Platform.FACEBOOK),
        ("YouTube", Platform.YOUTUBE),
        ("ＴｉｋＴｏｋ", Platform.TIKTOK),
        ("部落格", Platform.BLOG),
    ],
)
def test_it_knows_platform_names(name, platform):
    assert parse_platform(name) == platform


def test_it_lists_platforms_for_an_unknown_one():
    with pytest.raises(ValueError, match=r"Unknown platform “Myspace”\. Use one of: Instagram"):
        parse_platform("Myspace")
