"""Sending one signed message to one endpoint, without letting the address reach inside.

- The URL must be https (plain http to 127.0.0.1 only when WEBHOOKS_ALLOW_LOOPBACK is on,
  which only the tests do, to reach a real local server).
- The host is resolved once and refused unless every address is public
  (kolhub.public_addresses); the connection goes to the address that was checked, with the
  name kept for TLS (sni_hostname) and the Host header, so a rebinding DNS cannot switch it.
- Redirects are never followed: a 3xx is a failure. Only 2xx is a success.
- At most RESPONSE_BYTES of the answer are read, within a short timeout.
"""

from __future__ import annotations

import ipaddress
import json
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import httpx
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _
from standardwebhooks import Webhook

from kolhub.public_addresses import AddressRefused, IPAddress, public_address

RESPONSE_BYTES = 4096
USER_AGENT = "KOLHub-Webhooks/1"


class Error(StrEnum):
    """Why an attempt failed: a code stored on the attempt, shown as a translated sentence."""

    NOT_HTTPS = "not_https"
    FORBIDDEN_ADDRESS = "forbidden_address"
    UNRESOLVABLE = "unresolvable"
    REDIRECT = "redirect"
    HTTP_STATUS = "http_status"
    TIMEOUT = "timeout"
    NETWORK = "network"
    ENDPOINT_DISABLED = "endpoint_disabled"
    INTERRUPTED = "interrupted"


ERROR_SENTENCES = {
    Error.NOT_HTTPS: _("The address is not an https address."),
    Error.FORBIDDEN_ADDRESS: _(
        "The address points to a private, local or reserved network; KOLHub does not send there."
    ),
    Error.UNRESOLVABLE: _("The host name could not be found (DNS)."),
    Error.REDIRECT: _("The endpoint answered with a redirect; redirects are not followed."),
    Error.HTTP_STATUS: _("The endpoint answered with an error status."),
    Error.TIMEOUT: _("The endpoint did not answer in time."),
    Error.NETWORK: _("The connection failed (refused, reset or a TLS error)."),
    Error.ENDPOINT_DISABLED: _("The endpoint was disabled, so the message was not sent."),
    Error.INTERRUPTED: _("The attempt was interrupted (the worker stopped); it is retried."),
}


def error_sentence(code: str) -> str:
    try:
        return str(ERROR_SENTENCES[Error(code)])
    except ValueError:
        return code


@dataclass(frozen=True)
class Result:
    ok: bool
    status: int | None = None
    error: Error | None = None
    duration_ms: int = 0
    excerpt: str = ""


def body(*, message_id: str, event_type: str, created_at: datetime, data: Any) -> str:
    """The JSON body: the same bytes for every attempt of a message (they are signed)."""
    envelope = {
        "id": message_id,
        "type": event_type,
        "timestamp": created_at.isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return json.dumps(envelope, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def headers(*, secret: str, message_id: str, sent_at: datetime, content: str) -> dict[str, str]:
    """The Standard Webhooks headers for this attempt (timestamp: now, as the spec asks)."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, sent_at, content),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }


def _loopback_allowed(url: httpx.URL) -> bool:
    if not settings.WEBHOOKS_ALLOW_LOOPBACK:
        return False
    try:
        return ipaddress.ip_address(url.host).is_loopback
    except ValueError:
        return False


def url_problem(url: str) -> Error | None:
    """What is wrong with an endpoint's URL as written (the form says so before saving)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return Error.NOT_HTTPS
    if _loopback_allowed(parsed):
        return None
    if parsed.scheme != "https":
        return Error.NOT_HTTPS
    try:
        address = ipaddress.ip_address(parsed.host)
    except ValueError:
        return None  # a name: judged when it is resolved, at each attempt
    from kolhub.public_addresses import is_public

    return None if is_public(address) else Error.FORBIDDEN_ADDRESS


def _target(url: httpx.URL) -> IPAddress:
    if _loopback_allowed(url):
        return ipaddress.ip_address(url.host)
    if url.scheme != "https":
        raise _Refused(Error.NOT_HTTPS)
    try:
        return public_address(url.raw_host.decode("ascii"), url.port or 443)
    except AddressRefused as exc:
        raise _Refused(Error.UNRESOLVABLE if exc.unresolvable else Error.FORBIDDEN_ADDRESS) from exc


class _Refused(Exception):
    def __init__(self, code: Error):
        super().__init__(code.value)
        self.code = code


def post(url: str, *, content: str, request_headers: dict[str, str]) -> Result:
    """POST the body to the endpoint through the checks above; never raises."""
    started = time.monotonic()
    try:
        parsed = httpx.URL(url)
        address = _target(parsed)
    except (httpx.InvalidURL, TypeError):
        return Result(ok=False, error=Error.NOT_HTTPS)
    except _Refused as exc:
        return Result(ok=False, error=exc.code)
    timeout = httpx.Timeout(settings.WEBHOOKS_TIMEOUT_SECONDS)
    deadline = started + settings.WEBHOOKS_TIMEOUT_SECONDS
    with httpx.Client(timeout=timeout, follow_redirects=False) as http:
        request = http.build_request(
            "POST",
            parsed.copy_with(host=str(address)),
            content=content.encode(),
            headers={
                **request_headers,
                "Host": parsed.netloc.decode("ascii"),
                "Accept-Encoding": "identity",
            },
            extensions={"sni_hostname": parsed.raw_host.decode("ascii")},
        )
        try:
            response = http.send(request, stream=True, follow_redirects=False)
            try:
                excerpt = _read_some(response, deadline)
            finally:
                response.close()
        except httpx.TimeoutException:
            return Result(ok=False, error=Error.TIMEOUT, duration_ms=_ms(started))
        except (httpx.HTTPError, httpx.InvalidURL, OSError):
            return Result(ok=False, error=Error.NETWORK, duration_ms=_ms(started))
    status = response.status_code
    if 200 <= status < 300:
        return Result(ok=True, status=status, duration_ms=_ms(started), excerpt=excerpt)
    error = Error.REDIRECT if 300 <= status < 400 else Error.HTTP_STATUS
    return Result(ok=False, status=status, error=error, duration_ms=_ms(started), excerpt=excerpt)


def _read_some(response: httpx.Response, deadline: float) -> str:
    """The first RESPONSE_BYTES of the answer; the rest is never read."""
    received = bytearray()
    for chunk in response.iter_raw():
        received += chunk
        if len(received) >= RESPONSE_BYTES or time.monotonic() > deadline:
            break
    return bytes(received[:RESPONSE_BYTES]).decode("utf-8", "replace")


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
