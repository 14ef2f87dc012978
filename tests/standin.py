"""A local stand-in of the platforms, for end-to-end tests: a real HTTP server on 127.0.0.1
speaking each login's OAuth protocol (consent redirect, code exchange, long-lived tokens,
renewal) and the read endpoints KOLHub calls, answering with the recorded bodies in
tests/tracking/recorded/ (each names the documentation it follows).

It keeps real state, so a test can walk a whole path: the tokens it issued (a revoked one is
refused the way the platform refuses it), switches for throttling and deleted objects, and
every request it saw (to check that tokens travel in headers only).
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

RECORDED = Path(__file__).parent / "tracking" / "recorded"
APP = {
    "facebook": ("1234567890", "meta-app-secret"),
    "instagram": ("990602627938098", "instagram-app-secret"),
    "threads": ("1122334455667788", "threads-app-secret"),
    "tiktok": ("awtiktokclientkey", "tiktok-client-secret"),
    "google": ("standin.apps.googleusercontent.com", "google-client-secret"),
}
# Query parameters that are tokens: the token endpoints document some of them in the query,
# the read endpoints must never see one there.
TOKEN_PARAMETERS = ("access_token", "fb_exchange_token")


def recorded(name: str) -> Any:
    body = json.loads((RECORDED / name).read_text(encoding="utf-8"))
    if isinstance(body, dict):
        body.pop("_source", None)
    return body


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    json: Any
    headers: dict[str, str]

    @property
    def bearer(self) -> str:
        value = self.headers.get("authorization", "")
        return value[len("Bearer ") :] if value.startswith("Bearer ") else ""


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    location: str = ""


@dataclass
class StandIn:
    """The platforms' side. `url` is its address; settings point every login and API at it."""

    url: str = ""
    tokens: dict[str, str] = field(default_factory=dict)  # token → login it belongs to
    codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → login, redirect
    revoked: set[str] = field(default_factory=set)  # logins whose grants were taken back
    throttled: set[str] = field(default_factory=set)  # APIs answering "too many calls"
    deleted: set[str] = field(default_factory=set)  # object ids that no longer exist
    denied: bool = False  # the person says no on the consent page
    # Who signs in on each login's consent page (a test makes it someone else's account).
    people: dict[str, dict[str, str]] = field(default_factory=dict)
    seen: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.tokens.clear()
            self.codes.clear()
            self.revoked.clear()
            self.throttled.clear()
            self.deleted.clear()
            self.seen.clear()
            self.denied = False
            self.people = {
                "instagram": recorded("instagram_login/me.json"),
                "threads": recorded("threads_oauth/me.json"),
            }

    def issue(self, login: str, prefix: str) -> str:
        token = f"{prefix}{secrets.token_urlsafe(18)}"
        self.tokens[token] = login
        return token

    def valid(self, token: str, login: str) -> bool:
        return self.tokens.get(token) == login and login not in self.revoked

    def tokens_in_queries(self) -> list[str]:
        """Read calls that carried a token in their address (token endpoints excepted)."""
        return [
            f"{r.method} {r.path}"
            for r in self.seen
            if any(name in r.query for name in TOKEN_PARAMETERS) and not _token_endpoint(r.path)
        ]

    # Dispatch -------------------------------------------------------------------------------

    def answer(self, request: Request) -> Answer:
        with self.lock:
            self.seen.append(request)
            for method, prefix, handler in ROUTES:
                if request.method == method and request.path.startswith(prefix):
                    return handler(self, request, request.path[len(prefix) :])
        return Answer(404, {"error": {"message": f"no stand-in for {request.path}"}})


def _token_endpoint(path: str) -> bool:
    return path.endswith(("/access_token", "/refresh_access_token", "/oauth/access_token"))


# Consent pages ------------------------------------------------------------------------------


def consent(login: str, client_field: str = "client_id") -> Callable[..., Answer]:
    def page(standin: StandIn, request: Request, _rest: str) -> Answer:
        query = request.query
        if query.get(client_field) != APP[login][0] or not query.get("redirect_uri"):
            return Answer(400, {"error": "invalid_client"})
        if standin.denied:
            answer = {"error": "access_denied", "error_description": "The user denied access"}
        else:
            code = secrets.token_urlsafe(12)
            standin.codes[code] = (login, query["redirect_uri"])
            answer = {"code": code}
        location = f"{query['redirect_uri']}?{urlencode({**answer, 'state': query['state']})}"
        return Answer(302, location=location)

    return page


def redeem(standin: StandIn, login: str, params: dict[str, str]) -> bool:
    """A code is good once, for the redirect address it was issued to, with the app secret."""
    issued = standin.codes.pop(params.get("code", ""), None)
    return (
        issued == (login, params.get("redirect_uri"))
        and params.get("client_secret") == APP[login][1]
    )


# Meta: Graph errors ---------------------------------------------------------------------------


def graph_error(name: str, status: int = 400) -> Answer:
    folder = "instagram"
    return Answer(status, recorded(f"{folder}/{name}.json"))


def graph_guard(standin: StandIn, request: Request, login: str, api: str) -> Answer | None:
    """What every Graph read checks first: the token (header only), throttling."""
    if any(name in request.query for name in TOKEN_PARAMETERS):
        return graph_error("error_session")
    if not standin.valid(request.bearer, login):
        return graph_error("error_token_expired")
    if api in standin.throttled:
        return graph_error("error_throttled", 403)
    return None


# Instagram Login ------------------------------------------------------------------------------


def instagram_code(standin: StandIn, request: Request, _rest: str) -> Answer:
    if not redeem(standin, "instagram", request.form):
        return Answer(400, recorded("instagram_login/error_code_used.json"))
    body = recorded("instagram_login/code_token.json")
    body["data"][0]["access_token"] = standin.issue("instagram-short", "IGAAs")
    return Answer(200, body)


def instagram_token(standin: StandIn, request: Request, rest: str) -> Answer:
    query = request.query
    if rest == "access_token":
        ok = query.get("client_secret") == APP["instagram"][1] and standin.valid(
            query.get("access_token", ""), "instagram-short"
        )
        name = "long_lived_token"
    else:  # refresh_access_token
        ok = standin.valid(query.get("access_token", ""), "instagram")
        name = "refreshed_token"
    if not ok:
        return graph_error("error_token_expired")
    body = recorded(f"instagram_login/{name}.json")
    body["access_token"] = standin.issue("instagram", "IGAAl")
    return Answer(200, body)


def instagram_graph(standin: StandIn, request: Request, rest: str) -> Answer:
    refused = graph_guard(standin, request, "instagram", "instagram")
    if refused:
        return refused
    return graph_read(standin, request, rest, profile=standin.people["instagram"])


def graph_read(standin: StandIn, request: Request, rest: str, *, profile: dict[str, str]) -> Answer:
    """The Instagram reads both hosts share (graph.instagram.com with an Instagram Login
    token, graph.facebook.com with a Page token)."""
    parts = rest.strip("/").split("/")
    if parts == ["me"]:
        return Answer(200, profile)
    if parts[0] in standin.deleted:
        return graph_error("error_object_missing")
    if len(parts) == 2 and parts[1] == "media":
        return Answer(200, recorded("instagram/media_page1.json"))
    if len(parts) == 2 and parts[1] == "insights":
        breakdown = request.query.get("breakdown")
        if breakdown:
            return Answer(200, recorded(f"instagram/demographics_{breakdown}.json"))
        return Answer(200, recorded("instagram/insights_reel.json"))
    if len(parts) == 2 and parts[1] == "comments":
        return Answer(200, recorded("instagram/comments_page2.json"))
    if len(parts) == 1:
        return Answer(200, recorded("instagram/profile.json"))
    return Answer(404, {"error": {"message": f"no stand-in for {rest}"}})


# Facebook Login -------------------------------------------------------------------------------


def facebook_graph(standin: StandIn, request: Request, rest: str) -> Answer:
    query = request.query
    if rest == "oauth/access_token":
        if "code" in query:
            if not redeem(standin, "facebook", query):
                return Answer(400, recorded("meta/error_code_expired.json"))
            body = recorded("meta/oauth_code_token.json")
            body["access_token"] = standin.issue("facebook-short", "EAAs")
        elif standin.valid(query.get("fb_exchange_token", ""), "facebook-short"):
            body = recorded("meta/oauth_long_lived_token.json")
            body["access_token"] = standin.issue("facebook-user", "EAAl")
        else:
            return graph_error("error_token_expired")
        return Answer(200, body)
    if rest == "me/accounts":
        refused = graph_guard(standin, request, "facebook-user", "facebook")
        if refused:
            return refused
        body = recorded("meta/me_accounts.json")
        for page in body["data"]:
            page["access_token"] = standin.issue("facebook", "EAAp")
        return Answer(200, body)
    refused = graph_guard(standin, request, "facebook", "facebook")
    if refused:
        return refused
    parts = rest.strip("/").split("/")
    if parts[0] in standin.deleted:
        return Answer(400, recorded("facebook/error_object_missing.json"))
    if len(parts) == 2 and parts[1] == "insights":
        if "page_follows_country" in request.query.get("metric", ""):
            return Answer(200, recorded("facebook/follower_audience.json"))
        return Answer(200, recorded("facebook/insights.json"))
    if "_" in parts[0]:  # a Page post id is {page-id}_{post-id}
        return Answer(200, recorded("facebook/post.json"))
    if parts[0].startswith("1784"):  # an Instagram account tied to the Page
        return graph_read(standin, request, rest, profile={})
    return Answer(200, recorded("facebook/page.json"))


# Threads --------------------------------------------------------------------------------------


def threads_token(standin: StandIn, request: Request, rest: str) -> Answer:
    if rest == "oauth/access_token":
        if not redeem(standin, "threads", request.form):
            return Answer(400, recorded("threads_oauth/error_code_used.json"))
        body = recorded("threads_oauth/code_token.json")
        body["access_token"] = standin.issue("threads-short", "THs")
        return Answer(200, body)
    query = request.query
    if rest == "access_token":
        ok = query.get("client_secret") == APP["threads"][1] and standin.valid(
            query.get("access_token", ""), "threads-short"
        )
        name = "long_lived_token"
    else:
        ok = standin.valid(query.get("access_token", ""), "threads")
        name = "refreshed_token"
    if not ok:
        return Answer(400, recorded("threads/error_token_expired.json"))
    body = recorded(f"threads_oauth/{name}.json")
    body["access_token"] = standin.issue("threads", "THl")
    return Answer(200, body)


def threads_graph(standin: StandIn, request: Request, rest: str) -> Answer:
    if any(name in request.query for name in TOKEN_PARAMETERS):
        return Answer(400, recorded("threads/error_session.json"))
    if not standin.valid(request.bearer, "threads"):
        return Answer(400, recorded("threads/error_token_expired.json"))
    if "threads" in standin.throttled:
        return Answer(403, recorded("threads/error_throttled.json"))
    parts = rest.strip("/").split("/")
    if parts == ["me"]:
        return Answer(200, standin.people["threads"])
    if parts[0] in standin.deleted:
        return Answer(400, recorded("threads/error_object_missing.json"))
    if len(parts) == 1:
        return Answer(200, recorded("threads/profile.json"))
    breakdown = request.query.get("breakdown")
    if len(parts) == 2 and parts[1] == "threads_insights" and breakdown:
        return Answer(200, recorded(f"threads/demographics_{breakdown}.json"))
    endings = {
        "threads": "threads/threads_page1.json",
        "insights": "threads/insights.json",
        "threads_insights": "threads/user_insights.json",
    }
    if len(parts) == 2 and parts[1] in endings:
        return Answer(200, recorded(endings[parts[1]]))
    return Answer(404, {"error": {"message": f"no stand-in for {rest}"}})


# TikTok ---------------------------------------------------------------------------------------


def tiktok_token(standin: StandIn, request: Request, _rest: str) -> Answer:
    form = request.form
    if form.get("client_secret") != APP["tiktok"][1]:
        return Answer(401, {"error": "invalid_client", "error_description": "Client is invalid"})
    if form.get("grant_type") == "refresh_token":
        ok = standin.valid(form.get("refresh_token", ""), "tiktok-refresh")
        name = "token_refreshed"
    else:
        ok = redeem(standin, "tiktok", {**form, "client_secret": form["client_secret"]})
        name = "token"
    if not ok:
        return Answer(400, recorded("tiktok_oauth/token_invalid_grant.json"))
    body = recorded(f"tiktok_oauth/{name}.json")
    body["access_token"] = standin.issue("tiktok", "act.")
    body["refresh_token"] = standin.issue("tiktok-refresh", "rft.")
    return Answer(200, body)


def tiktok_api(standin: StandIn, request: Request, rest: str) -> Answer:
    if not standin.valid(request.bearer, "tiktok"):
        return Answer(401, recorded("tiktok/error_access_token_invalid.json"))
    if "tiktok" in standin.throttled:
        return Answer(429, recorded("tiktok/error_rate_limit.json"))
    bodies = {
        "user/info/": "tiktok_oauth/user_info.json"
        if "username" in request.query.get("fields", "")
        else "tiktok/user_info.json",
        "video/query/": "tiktok/video_query.json",
        "video/list/": "tiktok/video_list.json",
    }
    if rest not in bodies:
        return Answer(404, {"error": {"code": "invalid_params", "message": rest}})
    body = recorded(bodies[rest])
    if rest == "video/query/":  # only the token user's videos that still exist
        videos = body["data"]["videos"]
        body["data"]["videos"] = [video for video in videos if video["id"] not in standin.deleted]
    return Answer(200, body)


# Google (YouTube) ------------------------------------------------------------------------------


def google_token(standin: StandIn, request: Request, _rest: str) -> Answer:
    form = request.form
    if form.get("client_secret") != APP["google"][1]:
        return Answer(401, {"error": "invalid_client", "error_description": "Unauthorized"})
    if form.get("grant_type") == "refresh_token":
        if not standin.valid(form.get("refresh_token", ""), "google-refresh"):
            return Answer(400, recorded("google_oauth/error_invalid_grant.json"))
        body = recorded("google_oauth/token_refreshed.json")
    else:
        if not redeem(standin, "google", form):
            return Answer(400, recorded("google_oauth/error_invalid_grant.json"))
        body = recorded("google_oauth/token.json")
        body["refresh_token"] = standin.issue("google-refresh", "1//0g")
    body["access_token"] = standin.issue("google", "ya29.")
    return Answer(200, body)


def youtube_api(standin: StandIn, request: Request, rest: str) -> Answer:
    if request.bearer and not standin.valid(request.bearer, "google"):
        return Answer(401, recorded("google_oauth/error_unauthenticated.json"))
    if not request.bearer and not request.headers.get("x-goog-api-key"):
        return Answer(403, recorded("youtube/error_forbidden.json"))
    if "youtube" in standin.throttled:
        return Answer(403, recorded("youtube/error_quota_exceeded.json"))
    if rest == "channels" and request.query.get("mine") == "true":
        return Answer(200, recorded("google_oauth/channels_mine.json"))
    if rest == "videos":
        body = recorded("youtube/videos.json")
        body["items"] = [item for item in body["items"] if item["id"] not in standin.deleted]
        return Answer(200, body)
    bodies = {
        "channels": "youtube/channels.json",
        "playlistItems": "youtube/playlist_items.json",
        "commentThreads": "youtube/comment_threads.json",
    }
    if rest in bodies:
        return Answer(200, recorded(bodies[rest]))
    return Answer(404, {"error": {"code": 404, "message": rest}})


def youtube_analytics(standin: StandIn, request: Request, rest: str) -> Answer:
    """YouTube Analytics reports: the creator's own grant only; the table by its dimensions."""
    if not standin.valid(request.bearer, "google"):
        return Answer(401, recorded("youtube_analytics/error_unauthorized.json"))
    if "youtube_analytics" in standin.throttled:
        return Answer(429, recorded("youtube_analytics/error_rate_limit.json"))
    tables = {
        "ageGroup,gender": "viewer_percentage",
        "country": "views_by_country",
        "video": "video_watch_time",
    }
    name = tables.get(request.query.get("dimensions", ""))
    if rest != "reports" or name is None:
        return Answer(400, recorded("youtube_analytics/error_bad_request.json"))
    return Answer(200, recorded(f"youtube_analytics/{name}.json"))


ROUTES: list[tuple[str, str, Callable[[StandIn, Request, str], Answer]]] = [
    ("GET", "/instagram-authorize", consent("instagram")),
    ("POST", "/instagram-token/oauth/access_token", instagram_code),
    ("GET", "/instagram/v24.0/", instagram_graph),
    ("GET", "/instagram/", instagram_token),
    ("GET", "/facebook-dialog", consent("facebook")),
    ("GET", "/facebook/v24.0/", facebook_graph),
    ("GET", "/threads-authorize", consent("threads")),
    ("GET", "/threads/v1.0/", threads_graph),
    ("POST", "/threads/", threads_token),
    ("GET", "/threads/", threads_token),
    ("GET", "/tiktok-authorize", consent("tiktok", "client_key")),
    ("POST", "/tiktok/v2/oauth/token/", tiktok_token),
    ("GET", "/tiktok/v2/", tiktok_api),
    ("POST", "/tiktok/v2/", tiktok_api),
    ("GET", "/google-authorize", consent("google")),
    ("POST", "/google-token/token", google_token),
    ("GET", "/youtube/v3/", youtube_api),
    ("GET", "/youtube-analytics/v2/", youtube_analytics),
]


class _Handler(BaseHTTPRequestHandler):
    standin: StandIn

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        kind = self.headers.get("Content-Type", "")
        form = {k: v[-1] for k, v in parse_qs(raw.decode()).items()} if "form" in kind else {}
        body = json.loads(raw) if "json" in kind and raw else None
        request = Request(
            method=self.command,
            path=parts.path,
            query={k: v[-1] for k, v in parse_qs(parts.query).items()},
            form=form,
            json=body,
            headers={k.lower(): v for k, v in self.headers.items()},
        )
        answer = self.standin.answer(request)
        self.send_response(answer.status)
        if answer.location:
            self.send_header("Location", answer.location)
        payload = json.dumps(answer.body).encode() if answer.body is not None else b""
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve() -> tuple[StandIn, ThreadingHTTPServer]:
    standin = StandIn()
    handler = type("Handler", (_Handler,), {"standin": standin})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    standin.url = f"http://127.0.0.1:{server.server_address[1]}"
    standin.reset()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return standin, server


def point_settings_at(settings: Any, url: str) -> None:
    """Every login and API of KOLHub's settings aimed at the stand-in."""
    settings.META_APP_ID, settings.META_APP_SECRET = APP["facebook"]
    settings.INSTAGRAM_APP_ID, settings.INSTAGRAM_APP_SECRET = APP["instagram"]
    settings.THREADS_APP_ID, settings.THREADS_APP_SECRET = APP["threads"]
    settings.TIKTOK_CLIENT_KEY, settings.TIKTOK_CLIENT_SECRET = APP["tiktok"]
    settings.GOOGLE_CLIENT_ID, settings.GOOGLE_CLIENT_SECRET = APP["google"]
    settings.FACEBOOK_DIALOG_URL = f"{url}/facebook-dialog"
    settings.INSTAGRAM_AUTHORIZE_URL = f"{url}/instagram-authorize"
    settings.INSTAGRAM_TOKEN_URL = f"{url}/instagram-token"
    settings.THREADS_AUTHORIZE_URL = f"{url}/threads-authorize"
    settings.TIKTOK_AUTHORIZE_URL = f"{url}/tiktok-authorize"
    settings.GOOGLE_AUTHORIZE_URL = f"{url}/google-authorize"
    settings.GOOGLE_TOKEN_URL = f"{url}/google-token"
    settings.PROVIDER_BASE_URLS = {
        **settings.PROVIDER_BASE_URLS,
        "instagram": f"{url}/facebook/v24.0",
        "facebook": f"{url}/facebook/v24.0",
        "instagram_login": f"{url}/instagram/v24.0",
        "threads": f"{url}/threads/v1.0",
        "tiktok": f"{url}/tiktok",
        "youtube": f"{url}/youtube/v3",
        "youtube_analytics": f"{url}/youtube-analytics/v2",
    }
