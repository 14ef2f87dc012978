"""Downloading an address a platform handed us (a post's cover) without letting it reach inside.

The address comes from a platform's answer, so it is treated like user input: an attacker who
controls it (or a redirect, or a DNS answer) must not make the worker fetch from our own
network, a cloud metadata service or anything else that is not a public https site.

- https only, on every hop; redirects are followed by hand, at most MAX_REDIRECTS, each hop
  checked like the first.
- Each hop's host is resolved once, here, and refused if any of its addresses is not public.
- The connection is then made to the address that was checked, never to the name: the URL
  sent to httpx carries the IP, so httpcore opens the socket to it without asking DNS again.
  A rebinding DNS server (public address for the check, 127.0.0.1 for the connect) therefore
  has no second question to answer. The name stays where TLS and HTTP need it: the
  `sni_hostname` request extension is what httpcore passes to the TLS handshake as
  server_hostname, so the certificate is still verified against the real name, and the Host
  header names the site for the CDN's virtual hosting.
- The body is read off the wire chunk by chunk and dropped past the size cap (Content-Length
  is only a hint); compression is declined so a small body cannot inflate in memory; one
  deadline bounds the whole download, redirects included, against a server that trickles.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass
from enum import StrEnum

import httpx

from kolhub import public_addresses
from kolhub.public_addresses import IPAddress, is_public

__all__ = ["IPAddress", "is_public"]  # the address rules live in kolhub.public_addresses

MAX_REDIRECTS = 3
# Per network operation (connect, each read), and for the whole download.
STEP_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
DEADLINE_SECONDS = 30.0


class Failure(StrEnum):
    """Why a download was refused or failed: a code to log and count, never an exception
    text (which may quote an address or a server's words)."""

    NOT_HTTPS = "not_https"
    FORBIDDEN_ADDRESS = "forbidden_address"
    UNRESOLVABLE = "unresolvable"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    HTTP_STATUS = "http_status"
    NOT_AN_IMAGE = "not_an_image"
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    NETWORK = "network"


class Refused(Exception):
    def __init__(self, code: Failure):
        super().__init__(code.value)
        self.code = code


@dataclass(frozen=True)
class Download:
    url: str  # the address that finally answered, after redirects
    content_type: str
    content: bytes


def client(user_agent: str) -> httpx.Client:
    """A client for fetch_image: no automatic redirects (each hop is checked by hand)."""
    return httpx.Client(
        timeout=STEP_TIMEOUT, follow_redirects=False, headers={"User-Agent": user_agent}
    )


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to. Tests substitute this function (no DNS in tests)."""
    return public_addresses.resolve(host, port)


def checked_address(url: httpx.URL) -> IPAddress:
    """The address to connect to for this URL, once it is known to be public (else Refused)."""
    if url.scheme != "https":
        raise Refused(Failure.NOT_HTTPS)
    host = url.raw_host.decode("ascii")
    if not host:
        raise Refused(Failure.FORBIDDEN_ADDRESS)
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = resolve(host, url.port or 443)
        except (OSError, UnicodeError, ValueError) as exc:
            raise Refused(Failure.UNRESOLVABLE) from exc
    # One private answer among public ones is refused too: which one a later connection
    # would use is not ours to choose.
    if not addresses or not all(is_public(address) for address in addresses):
        raise Refused(Failure.FORBIDDEN_ADDRESS)
    return addresses[0]


def pinned_request(http: httpx.Client, url: httpx.URL, address: IPAddress) -> httpx.Request:
    """A GET of `url` whose socket goes to `address` (see the module's docstring)."""
    return http.build_request(
        "GET",
        url.copy_with(host=str(address)),
        headers={"Host": url.netloc.decode("ascii"), "Accept-Encoding": "identity"},
        extensions={"sni_hostname": url.raw_host.decode("ascii")},
    )


def fetch_image(http: httpx.Client, source: str, *, max_bytes: int) -> Download:
    """The image at `source`, following at most MAX_REDIRECTS checked redirects."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        url = httpx.URL(source)
    except (httpx.InvalidURL, TypeError) as exc:
        raise Refused(Failure.NOT_HTTPS) from exc
    for _hop in range(MAX_REDIRECTS + 1):
        if time.monotonic() > deadline:
            raise Refused(Failure.TIMEOUT)
        request = pinned_request(http, url, checked_address(url))
        try:
            response = http.send(request, stream=True, follow_redirects=False)
            try:
                if not response.has_redirect_location:
                    return _image(response, url, max_bytes=max_bytes, deadline=deadline)
                # Relative locations are read against the name we asked, not the IP.
                url = url.join(response.headers["Location"])
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            raise Refused(Failure.TIMEOUT) from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise Refused(Failure.NETWORK) from exc
    raise Refused(Failure.TOO_MANY_REDIRECTS)


def _image(
    response: httpx.Response, url: httpx.URL, *, max_bytes: int, deadline: float
) -> Download:
    if response.status_code != 200:
        raise Refused(Failure.HTTP_STATUS)
    content_type = response.headers.get("Content-Type", "")
    if not content_type.startswith("image/"):
        raise Refused(Failure.NOT_AN_IMAGE)
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise Refused(Failure.TOO_LARGE)
    body = bytearray()
    # iter_raw: the bytes as they come off the wire, so the cap counts what we receive.
    for chunk in response.iter_raw():
        body += chunk
        if len(body) > max_bytes:
            raise Refused(Failure.TOO_LARGE)
        if time.monotonic() > deadline:
            raise Refused(Failure.TIMEOUT)
    return Download(url=str(url), content_type=content_type, content=bytes(body))
