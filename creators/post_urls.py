"""Post URLs as people paste them: platform and the platform's own id, or a clear refusal.

Pure functions, no I/O: short links (vm.tiktok.com, fb.watch, share links) are recorded as
given, flagged `short`, and resolved later by the provider that can follow them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit, urlunsplit

from django.utils.translation import gettext as _

MAX_URL_LENGTH = 500
# The platforms whose posts KOLHub can follow (blogs and podcasts are linked, not parsed).
POST_PLATFORMS = {"instagram", "youtube", "tiktok", "facebook", "threads"}


class PostUrlError(ValueError):
    """The text is not a post URL KOLHub can follow; the message says why."""


@dataclass(frozen=True)
class ParsedPost:
    platform: str
    platform_id: str  # empty for short links, until a provider resolves them
    url: str  # canonical: https, no query string noise, no fragment
    short: bool = False


YOUTUBE_ID = r"[A-Za-z0-9_-]{11}"
INSTAGRAM_CODE = r"[A-Za-z0-9_-]{5,64}"
HOSTS = {
    "instagram": {"instagram.com", "www.instagram.com", "m.instagram.com", "instagr.am"},
    "youtube": {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"},
    "youtube_short": {"youtu.be"},
    "tiktok": {"tiktok.com", "www.tiktok.com", "m.tiktok.com"},
    "tiktok_short": {"vm.tiktok.com", "vt.tiktok.com"},
    "facebook": {"facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com"},
    "facebook_short": {"fb.watch", "fb.me"},
    "threads": {"threads.net", "www.threads.net", "threads.com", "www.threads.com"},
}


def parse_post_url(text: str) -> ParsedPost:
    """Platform, platform id and canonical URL of a pasted post link, or PostUrlError."""
    url = text.strip()
    if not url:
        raise PostUrlError(_("Paste the link of the post."))
    if len(url) > MAX_URL_LENGTH:
        raise PostUrlError(_("This link is too long to be a post URL."))
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:  # e.g. an unbalanced "[" reads as a broken IPv6 address
        raise PostUrlError(_("This is not a web link.")) from None
    if parts.scheme not in ("http", "https") or not host:
        raise PostUrlError(_("This is not a web link."))
    path = re.sub(r"/{2,}", "/", parts.path)
    for parser in (_instagram, _youtube, _tiktok, _facebook, _threads):
        parsed = parser(host, path, parts.query)
        if parsed is not None:
            return parsed
    if any(host in hosts for hosts in HOSTS.values()):
        raise PostUrlError(
            _("This %(site)s link is not a post (a profile or a page?): paste the post's own link.")
            % {"site": host}
        )
    raise PostUrlError(
        _(
            "KOLHub follows posts on Instagram, YouTube, TikTok, Facebook and Threads; "
            "%(site)s is not one of them."
        )
        % {"site": host}
    )


def _https(host: str, path: str, query: str = "") -> str:
    return urlunsplit(("https", host, path, query, ""))


def _instagram(host: str, path: str, query: str) -> ParsedPost | None:
    if host not in HOSTS["instagram"]:
        return None
    # /p/CODE/, /reel/CODE/, /reels/CODE/, /tv/CODE/, also after a username (/name/p/CODE/).
    match = re.fullmatch(rf"(?:/[\w.]+)?/(p|reels?|tv)/({INSTAGRAM_CODE})/?", path)
    if match:
        kind = "reel" if match.group(1).startswith("reel") else match.group(1)
        code = match.group(2)
        return ParsedPost("instagram", code, _https("www.instagram.com", f"/{kind}/{code}/"))
    story = re.fullmatch(r"/stories/([\w.]+)/(\d{5,25})/?", path)
    if story:
        user, media_id = story.groups()
        return ParsedPost(
            "instagram", media_id, _https("www.instagram.com", f"/stories/{user}/{media_id}/")
        )
    return None


def _youtube(host: str, path: str, query: str) -> ParsedPost | None:
    video_id = None
    if host in HOSTS["youtube_short"]:
        match = re.fullmatch(rf"/({YOUTUBE_ID})/?", path)
        video_id = match.group(1) if match else None
    elif host in HOSTS["youtube"]:
        if path in ("/watch", "/watch/"):
            candidates = parse_qs(query).get("v", [])
            video_id = (
                candidates[0] if candidates and re.fullmatch(YOUTUBE_ID, candidates[0]) else None
            )
        else:
            match = re.fullmatch(rf"/(?:shorts|live|embed|v)/({YOUTUBE_ID})/?", path)
            video_id = match.group(1) if match else None
    else:
        return None
    if video_id is None:
        return None
    if "/shorts/" in path:
        return ParsedPost("youtube", video_id, _https("www.youtube.com", f"/shorts/{video_id}"))
    return ParsedPost("youtube", video_id, _https("www.youtube.com", "/watch", f"v={video_id}"))


def _tiktok(host: str, path: str, query: str) -> ParsedPost | None:
    if host in HOSTS["tiktok_short"]:
        match = re.fullmatch(r"/([A-Za-z0-9]{5,20})/?", path)
        if match:
            return ParsedPost("tiktok", "", _https(host, f"/{match.group(1)}/"), short=True)
        return None
    if host not in HOSTS["tiktok"]:
        return None
    match = re.fullmatch(r"/@([\w.-]+)/(video|photo)/(\d{8,25})/?", path)
    if match:
        user, kind, video_id = match.groups()
        return ParsedPost(
            "tiktok", video_id, _https("www.tiktok.com", f"/@{user}/{kind}/{video_id}")
        )
    mobile = re.fullmatch(r"/v/(\d{8,25})(?:\.html)?/?", path)
    if mobile:
        video_id = mobile.group(1)
        return ParsedPost("tiktok", video_id, _https("www.tiktok.com", f"/video/{video_id}"))
    short = re.fullmatch(r"/t/([A-Za-z0-9]{5,20})/?", path)
    if short:
        return ParsedPost(
            "tiktok", "", _https("www.tiktok.com", f"/t/{short.group(1)}/"), short=True
        )
    return None


def _facebook(host: str, path: str, query: str) -> ParsedPost | None:
    if host in HOSTS["facebook_short"]:
        match = re.fullmatch(r"/([A-Za-z0-9_-]{4,30})/?", path)
        if match:
            return ParsedPost("facebook", "", _https(host, f"/{match.group(1)}/"), short=True)
        return None
    if host not in HOSTS["facebook"]:
        return None
    params = parse_qs(query)
    canonical = "www.facebook.com"
    post = re.fullmatch(r"/([\w.-]+)/(posts|videos)/([\w.-]+)/?", path)
    if post:
        page, kind, post_id = post.groups()
        return ParsedPost("facebook", post_id, _https(canonical, f"/{page}/{kind}/{post_id}"))
    reel = re.fullmatch(r"/reel/(\d{5,25})/?", path)
    if reel:
        return ParsedPost("facebook", reel.group(1), _https(canonical, f"/reel/{reel.group(1)}"))
    for route, key in (
        ("/permalink.php", "story_fbid"),
        ("/story.php", "story_fbid"),
        ("/photo.php", "fbid"),
        ("/photo", "fbid"),
        ("/watch", "v"),
    ):
        if path.rstrip("/") == route and params.get(key):
            value = params[key][0]
            owner = params.get("id", [""])[0]
            query_out = f"{key}={value}" + (f"&id={owner}" if owner else "")
            return ParsedPost("facebook", value, _https(canonical, route, query_out))
    share = re.fullmatch(r"/share/(?:p|v|r)/([A-Za-z0-9]{5,30})/?", path)
    if share:
        return ParsedPost("facebook", "", _https(canonical, path.rstrip("/") + "/"), short=True)
    return None


def _threads(host: str, path: str, query: str) -> ParsedPost | None:
    if host not in HOSTS["threads"]:
        return None
    match = re.fullmatch(rf"/@([\w.]+)/post/({INSTAGRAM_CODE})/?", path)
    if match:
        user, code = match.groups()
        return ParsedPost("threads", code, _https("www.threads.net", f"/@{user}/post/{code}"))
    return None
