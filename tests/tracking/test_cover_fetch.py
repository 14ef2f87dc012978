"""Cover downloads reach public https sites only: every hop's scheme and addresses are checked,
the socket goes to the address that was checked, redirects and bodies are capped. Responses
are recorded at the HTTP boundary (respx) and names resolve through the test's DNS table."""

from __future__ import annotations

import io
import ipaddress
import itertools
import logging
import types

import httpx
import pytest
import respx
from PIL import Image

from tests.factories import PostFactory
from tests.tracking.conftest import CDN_ADDRESS, cdn_route
from tracking.ingest import public_fetch, thumbnails
from tracking.ingest.public_fetch import Failure, Refused

CDN = "https://scontent.cdninstagram.com/v/t51/cover.jpg?oh=abc&oe=123"
OTHER_ADDRESS = "151.101.1.140"

# Addresses a cover must never be fetched from, in every spelling that reaches them.
FORBIDDEN = [
    "127.0.0.1",  # loopback
    "10.0.0.5",  # private
    "172.16.4.4",
    "192.168.1.1",
    "169.254.169.254",  # link-local: cloud metadata services
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",  # noqa: S104 (unspecified: refused, never bound to)
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "192.0.2.10",  # documentation
    "::1",
    "::",
    "fe80::1",
    "fc00::1",  # unique local
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.5",
    "::ffff:169.254.169.254",
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
]


def literal(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def image_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 180), (20, 90, 200)).save(out, "PNG")
    return out.getvalue()


def image_answer(**kwargs) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": "image/png"}, **kwargs)


def fetch(source: str = CDN, max_bytes: int = thumbnails.MAX_BYTES) -> public_fetch.Download:
    with public_fetch.client("test") as http:
        return public_fetch.fetch_image(http, source, max_bytes=max_bytes)


def refused(source: str = CDN, **kwargs) -> Failure:
    with pytest.raises(Refused) as caught:
        fetch(source, **kwargs)
    return caught.value.code


@respx.mock
def test_it_fetches_a_good_cover_from_the_address_it_checked(dns):
    route = cdn_route(CDN, dns).mock(return_value=image_answer(content=image_bytes()))
    download = fetch()
    assert download.content == image_bytes() and download.url == CDN
    sent = route.calls.last.request
    # The socket goes to the checked address; TLS and the CDN still see the name.
    assert sent.url.host == CDN_ADDRESS
    assert sent.headers["Host"] == "scontent.cdninstagram.com"
    assert sent.extensions["sni_hostname"] == "scontent.cdninstagram.com"
    assert sent.url.params["oh"] == "abc"


@respx.mock
def test_a_good_cover_is_stored_through_the_worker(dns, brand):
    cdn_route(CDN, dns).mock(return_value=image_answer(content=image_bytes()))
    post = PostFactory(collaboration__campaign__brand=brand, thumbnail_source=CDN)
    assert thumbnails.thumbnails_fetch([post.pk]) == 1


@pytest.mark.parametrize(
    "source",
    ["http://scontent.cdninstagram.com/cover.jpg", "ftp://cdn.example/a.jpg", "//cdn/a.jpg", "x"],
)
def test_an_address_that_is_not_https_is_refused_before_any_lookup(dns, source):
    dns["scontent.cdninstagram.com"] = [CDN_ADDRESS]
    with respx.mock:  # any request would fail the test: respx has no route
        assert refused(source) == Failure.NOT_HTTPS


@pytest.mark.parametrize("address", FORBIDDEN)
def test_a_cover_at_a_forbidden_address_is_refused_without_a_request(address):
    with respx.mock:
        assert refused(f"https://{literal(address)}/a.jpg") == Failure.FORBIDDEN_ADDRESS


@pytest.mark.parametrize("address", FORBIDDEN)
def test_a_name_that_resolves_to_a_forbidden_address_is_refused(dns, address):
    dns["covers.example"] = [address]
    with respx.mock:
        assert refused("https://covers.example/a.jpg") == Failure.FORBIDDEN_ADDRESS


def test_a_name_with_one_forbidden_address_among_public_ones_is_refused(dns):
    dns["covers.example"] = [CDN_ADDRESS, "10.1.2.3"]
    with respx.mock:
        assert refused("https://covers.example/a.jpg") == Failure.FORBIDDEN_ADDRESS


def test_a_name_that_does_not_resolve_is_refused(dns):
    with respx.mock:
        assert refused("https://nowhere.example/a.jpg") == Failure.UNRESOLVABLE


@pytest.mark.parametrize("address", FORBIDDEN)
@respx.mock
def test_a_redirect_to_a_forbidden_address_is_refused(dns, address):
    cdn_route(CDN, dns).respond(302, headers={"Location": f"https://{literal(address)}/latest"})
    assert refused() == Failure.FORBIDDEN_ADDRESS
    assert len(respx.calls) == 1  # the forbidden hop was never asked


@respx.mock
def test_a_redirect_to_a_name_that_resolves_inside_is_refused(dns):
    cdn_route(CDN, dns).respond(302, headers={"Location": "https://metadata.example/"})
    dns["metadata.example"] = ["169.254.169.254"]
    assert refused() == Failure.FORBIDDEN_ADDRESS


@respx.mock
def test_a_redirect_to_http_is_refused(dns):
    cdn_route(CDN, dns).respond(301, headers={"Location": "http://scontent.cdninstagram.com/a"})
    assert refused() == Failure.NOT_HTTPS
    assert len(respx.calls) == 1


@respx.mock
def test_a_relative_redirect_is_read_against_the_name_and_checked_again(dns, monkeypatch):
    cdn_route(CDN, dns).respond(302, headers={"Location": "/v/t51/moved.jpg"})
    moved = cdn_route("https://scontent.cdninstagram.com/v/t51/moved.jpg", dns)
    moved.mock(return_value=image_answer(content=image_bytes()))
    lookups = []
    resolve = public_fetch.resolve
    monkeypatch.setattr(public_fetch, "resolve", lambda *a: lookups.append(a) or resolve(*a))
    assert fetch().url == "https://scontent.cdninstagram.com/v/t51/moved.jpg"
    assert lookups == [("scontent.cdninstagram.com", 443)] * 2


@respx.mock
def test_dns_is_asked_once_per_hop_so_a_rebinding_answer_cannot_redirect_the_socket(
    dns, monkeypatch
):
    route = cdn_route(CDN, dns).mock(return_value=image_answer(content=image_bytes()))
    answers = iter([[CDN_ADDRESS], ["127.0.0.1"]])  # public for the check, inside after it
    monkeypatch.setattr(
        public_fetch, "resolve", lambda *_: [ipaddress.ip_address(a) for a in next(answers)]
    )
    fetch()
    assert route.calls.last.request.url.host == CDN_ADDRESS


@pytest.mark.parametrize("hops, ok", [(3, True), (4, False)])
@respx.mock
def test_redirects_are_followed_three_times_at_most(dns, hops, ok):
    urls = [f"https://cdn{n}.example/a.jpg" for n in range(hops + 1)]
    for here, there in itertools.pairwise(urls):
        cdn_route(here, dns).respond(302, headers={"Location": there})
    cdn_route(urls[-1], dns).mock(return_value=image_answer(content=image_bytes()))
    if ok:
        assert fetch(urls[0]).url == urls[-1]
    else:
        assert refused(urls[0]) == Failure.TOO_MANY_REDIRECTS
        assert len(respx.calls) == public_fetch.MAX_REDIRECTS + 1


class Endless(httpx.SyncByteStream):
    """A body that never ends, counting the chunks it was asked for."""

    def __init__(self):
        self.sent = 0

    def __iter__(self):
        while True:
            self.sent += 1
            yield b"\xff" * 1024


@pytest.mark.parametrize("length", [None, "100"], ids=["no-length", "lying-length"])
@respx.mock
def test_a_body_past_the_cap_stops_the_download_while_streaming(dns, length):
    body = Endless()
    headers = {"Content-Type": "image/jpeg"} | ({"Content-Length": length} if length else {})
    cdn_route(CDN, dns).mock(return_value=httpx.Response(200, headers=headers, stream=body))
    assert refused(max_bytes=10 * 1024) == Failure.TOO_LARGE
    assert body.sent == 11  # read one chunk past the cap, then stopped


@respx.mock
def test_a_body_announced_past_the_cap_is_not_read(dns):
    body = Endless()
    headers = {"Content-Type": "image/jpeg", "Content-Length": str(thumbnails.MAX_BYTES + 1)}
    cdn_route(CDN, dns).mock(return_value=httpx.Response(200, headers=headers, stream=body))
    assert refused() == Failure.TOO_LARGE
    assert body.sent == 0


def clock(monkeypatch, *readings: float) -> None:
    """public_fetch's clock reads these seconds, then stays at the last."""
    times = iter(readings)
    last = [readings[-1]]

    def monotonic() -> float:
        last[0] = next(times, last[0])
        return last[0]

    monkeypatch.setattr(public_fetch, "time", types.SimpleNamespace(monotonic=monotonic))


@respx.mock
def test_a_download_slower_than_the_deadline_is_dropped_while_streaming(dns, monkeypatch):
    clock(monkeypatch, 0.0, 1.0, public_fetch.DEADLINE_SECONDS + 1)
    body = Endless()
    cdn_route(CDN, dns).mock(
        return_value=httpx.Response(200, headers={"Content-Type": "image/png"}, stream=body)
    )
    assert refused() == Failure.TIMEOUT
    assert body.sent == 1


@respx.mock
def test_redirects_slower_than_the_deadline_stop_before_the_next_hop(dns, monkeypatch):
    clock(monkeypatch, 0.0, 1.0, public_fetch.DEADLINE_SECONDS + 1)
    cdn_route(CDN, dns).respond(302, headers={"Location": "/next.jpg"})
    assert refused() == Failure.TIMEOUT
    assert len(respx.calls) == 1


@pytest.mark.parametrize(
    "error, code",
    [
        (httpx.ConnectTimeout("slow"), Failure.TIMEOUT),
        (httpx.ReadTimeout("slow"), Failure.TIMEOUT),
        (httpx.ConnectError("refused"), Failure.NETWORK),
    ],
)
@respx.mock
def test_network_trouble_is_a_code(dns, error, code):
    cdn_route(CDN, dns).mock(side_effect=error)
    assert refused() == code


def test_the_client_has_time_outs_and_follows_no_redirect_by_itself():
    with public_fetch.client("test") as http:
        assert not http.follow_redirects
        assert http.timeout.connect and http.timeout.read and http.timeout.pool


@respx.mock
def test_a_refused_cover_is_logged_and_counted_by_its_code_alone(dns, brand, caplog):
    source = "https://cdn.example/a.jpg?sig=SECRET-SIGNATURE"
    cdn_route(source, dns).respond(302, headers={"Location": "https://10.0.0.7/?x=INNER"})
    post = PostFactory(collaboration__campaign__brand=brand, thumbnail_source=source)
    with caplog.at_level(logging.INFO, logger="tracking.ingest.thumbnails"):
        assert thumbnails.thumbnails_fetch([post.pk]) == 0
    post.refresh_from_db()
    assert post.thumbnail_failures == 1
    logged = [r.getMessage() for r in caplog.records if r.name == "tracking.ingest.thumbnails"]
    assert logged == [f"No cover for post {post.pk}: forbidden_address"]
