"""Post URLs in every form people paste them, and clear refusals for the rest."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creators.post_urls import ParsedPost, PostUrlError, parse_post_url


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        # Instagram: posts, reels, IGTV, with or without the username, any host spelling.
        (
            "https://www.instagram.com/p/C9xYz12AbCd/",
            ("instagram", "C9xYz12AbCd", "https://www.instagram.com/p/C9xYz12AbCd/"),
        ),
        (
            "instagram.com/p/C9xYz12AbCd?igsh=MTc4MmM1YmI2Ng==",
            ("instagram", "C9xYz12AbCd", "https://www.instagram.com/p/C9xYz12AbCd/"),
        ),
        (
            "https://www.instagram.com/reel/DAbc-12_xyz/?utm_source=ig_web_copy_link",
            ("instagram", "DAbc-12_xyz", "https://www.instagram.com/reel/DAbc-12_xyz/"),
        ),
        (
            "https://www.instagram.com/reels/DAbc-12_xyz/",
            ("instagram", "DAbc-12_xyz", "https://www.instagram.com/reel/DAbc-12_xyz/"),
        ),
        (
            "https://www.instagram.com/mei.daily/p/C9xYz12AbCd/",
            ("instagram", "C9xYz12AbCd", "https://www.instagram.com/p/C9xYz12AbCd/"),
        ),
        (
            "http://m.instagram.com/tv/B1tvCode9/",
            ("instagram", "B1tvCode9", "https://www.instagram.com/tv/B1tvCode9/"),
        ),
        (
            "https://www.instagram.com/stories/mei.daily/3412345678901234567/",
            (
                "instagram",
                "3412345678901234567",
                "https://www.instagram.com/stories/mei.daily/3412345678901234567/",
            ),
        ),
        # YouTube: watch, short links, Shorts, live, embed, mobile, extra parameters.
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            ("youtube", "dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ),
        (
            "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42s",
            ("youtube", "dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ),
        (
            "youtu.be/dQw4w9WgXcQ?si=AbCdEf",
            ("youtube", "dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ),
        (
            "https://youtube.com/shorts/aBcDeFgHiJk?feature=share",
            ("youtube", "aBcDeFgHiJk", "https://www.youtube.com/shorts/aBcDeFgHiJk"),
        ),
        (
            "https://www.youtube.com/live/aBcDeFgHiJk",
            ("youtube", "aBcDeFgHiJk", "https://www.youtube.com/watch?v=aBcDeFgHiJk"),
        ),
        (
            "https://www.youtube.com/embed/aBcDeFgHiJk",
            ("youtube", "aBcDeFgHiJk", "https://www.youtube.com/watch?v=aBcDeFgHiJk"),
        ),
        # TikTok: videos and photo posts; mobile links.
        (
            "https://www.tiktok.com/@mei.daily/video/7341234567890123456?is_from_webapp=1",
            (
                "tiktok",
                "7341234567890123456",
                "https://www.tiktok.com/@mei.daily/video/7341234567890123456",
            ),
        ),
        (
            "https://www.tiktok.com/@mei.daily/photo/7341234567890123456",
            (
                "tiktok",
                "7341234567890123456",
                "https://www.tiktok.com/@mei.daily/photo/7341234567890123456",
            ),
        ),
        (
            "https://m.tiktok.com/v/7341234567890123456.html",
            ("tiktok", "7341234567890123456", "https://www.tiktok.com/video/7341234567890123456"),
        ),
        # Facebook: page posts (numeric or pfbid), videos, reels, permalink.php, photos, watch.
        (
            "https://www.facebook.com/MountainTea/posts/pfbid02abcDEF123",
            (
                "facebook",
                "pfbid02abcDEF123",
                "https://www.facebook.com/MountainTea/posts/pfbid02abcDEF123",
            ),
        ),
        (
            "https://m.facebook.com/MountainTea/videos/1234567890123/",
            (
                "facebook",
                "1234567890123",
                "https://www.facebook.com/MountainTea/videos/1234567890123",
            ),
        ),
        (
            "https://www.facebook.com/reel/1234567890123",
            ("facebook", "1234567890123", "https://www.facebook.com/reel/1234567890123"),
        ),
        (
            "https://www.facebook.com/permalink.php?story_fbid=987654321&id=123456",
            (
                "facebook",
                "987654321",
                "https://www.facebook.com/permalink.php?story_fbid=987654321&id=123456",
            ),
        ),
        (
            "https://www.facebook.com/photo/?fbid=555666777&set=a.1",
            ("facebook", "555666777", "https://www.facebook.com/photo?fbid=555666777"),
        ),
        (
            "https://www.facebook.com/watch/?v=444555666",
            ("facebook", "444555666", "https://www.facebook.com/watch?v=444555666"),
        ),
        # Threads on both domains.
        (
            "https://www.threads.net/@mei.daily/post/C9xYz12AbCd",
            ("threads", "C9xYz12AbCd", "https://www.threads.net/@mei.daily/post/C9xYz12AbCd"),
        ),
        (
            "threads.com/@mei.daily/post/C9xYz12AbCd/?xmt=abc",
            ("threads", "C9xYz12AbCd", "https://www.threads.net/@mei.daily/post/C9xYz12AbCd"),
        ),
    ],
)
def test_it_reads_every_url_form(pasted, expected):
    platform, platform_id, url = expected
    assert parse_post_url(pasted) == ParsedPost(platform, platform_id, url)


@pytest.mark.parametrize(
    ("pasted", "platform", "url"),
    [
        ("https://vm.tiktok.com/ZMabc123/", "tiktok", "https://vm.tiktok.com/ZMabc123/"),
        ("vt.tiktok.com/ZSxyz789", "tiktok", "https://vt.tiktok.com/ZSxyz789/"),
        ("https://www.tiktok.com/t/ZTabc123/", "tiktok", "https://www.tiktok.com/t/ZTabc123/"),
        ("https://fb.watch/aBcD12_3/", "facebook", "https://fb.watch/aBcD12_3/"),
        (
            "https://www.facebook.com/share/p/1AbCdEfGh/",
            "facebook",
            "https://www.facebook.com/share/p/1AbCdEfGh/",
        ),
    ],
)
def test_it_records_short_links_as_given(pasted, platform, url):
    assert parse_post_url(pasted) == ParsedPost(platform, "", url, short=True)


@pytest.mark.parametrize(
    ("pasted", "reason"),
    [
        ("", "Paste the link"),
        ("   ", "Paste the link"),
        ("https://www.instagram.com/mei.daily/", "is not a post"),
        ("https://www.youtube.com/@mei", "is not a post"),
        ("https://www.youtube.com/watch?v=short", "is not a post"),
        ("https://www.tiktok.com/@mei.daily", "is not a post"),
        ("https://www.facebook.com/MountainTea", "is not a post"),
        ("https://www.threads.net/@mei.daily", "is not a post"),
        ("https://x.com/mei/status/1", "x.com is not one of them"),
        ("https://instagram.com.evil.example/p/C9xYz12AbCd/", "is not one of them"),
        ("ftp://www.instagram.com/p/C9xYz12AbCd/", "not a web link"),
        ("https://www.instagram.com/p/" + "a" * 600, "too long"),
    ],
)
def test_it_refuses_what_is_not_a_post_with_the_reason(pasted, reason):
    with pytest.raises(PostUrlError, match=reason):
        parse_post_url(pasted)


@given(st.text(max_size=300))
def test_it_never_fails_other_than_with_a_reason(text):
    try:
        parsed = parse_post_url(text)
    except PostUrlError as error:
        assert str(error)
    else:
        assert parsed.platform in {"instagram", "youtube", "tiktok", "facebook", "threads"}
        assert parsed.url.startswith("https://")
        assert parsed.short or parsed.platform_id


@given(st.from_regex(r"[A-Za-z0-9_-]{11}", fullmatch=True))
def test_it_reads_any_youtube_id_from_every_form(video_id):
    forms = [
        f"https://www.youtube.com/watch?v={video_id}",
        f"https://youtu.be/{video_id}",
        f"https://www.youtube.com/live/{video_id}",
    ]
    assert {parse_post_url(form).platform_id for form in forms} == {video_id}


@given(
    st.from_regex(r"[0-9]{19}", fullmatch=True), st.from_regex(r"[a-z0-9._]{2,20}", fullmatch=True)
)
def test_it_reads_any_tiktok_video(video_id, user):
    parsed = parse_post_url(f"https://www.tiktok.com/@{user}/video/{video_id}?lang=zh-Hant-TW")
    assert (parsed.platform, parsed.platform_id) == ("tiktok", video_id)
