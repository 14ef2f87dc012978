"""Whatever arrives at any URL, the answer is never a server error, and a refused write leaves
the database as it was.

Every URL pattern (tests/url_patterns.py) is requested by each role that may use it (the public
ones anonymously: the creator portal, redirects, the pixel, signed shop webhooks, share links)
with generated values in every query parameter the view reads and every field of its forms
(tests/security/fuzz_endpoints.py finds them). `make fuzz` runs this module with
FUZZ_EXAMPLES_SCALE=20: twenty times the examples, random instead of the fixed ones CI runs.

Not reached, on purpose: the OAuth callback past its state check (a valid state exists only in
the session of a flow the connect button started, and past it the view calls the platform;
tests/tracking/test_connection_pages.py drives that with recorded responses), and Django's
admin (its own staff-only views).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import respx
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.test.utils import override_settings
from django.urls import NoReverseMatch
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from tests.security import fuzz_inputs as inputs
from tests.security.fuzz_discovery import FILE, Field
from tests.security.fuzz_endpoints import Endpoint, discover, endpoints
from tests.security.fuzz_world import WEBHOOK_SECRET, World, build_world, row_counter

SCALE = int(os.environ.get("FUZZ_EXAMPLES_SCALE", "1"))
EXAMPLES_PER_ENDPOINT = 6  # CI: the module takes well under a minute (README)
FUZZ = hypothesis_settings(
    max_examples=EXAMPLES_PER_ENDPOINT * SCALE,
    deadline=None,
    # CI runs the same examples every time; `make fuzz` explores, and keeps what failed.
    derandomize=SCALE == 1,
    database=(
        None
        if SCALE == 1
        else DirectoryBasedExampleDatabase(Path(settings.BASE_DIR, "var", "hypothesis"))
    ),
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
ENDPOINTS = endpoints()
COUNTS = row_counter(("kolhub", "creators", "campaigns", "tracking"))
# A refused or unreadable shop webhook is noted with why, for the admins (the deliveries
# log): a note of what was turned down, not the write itself, whose tables stay checked.
NOTED_WHEN_REFUSED = frozenset({"tracking_webhookdelivery"})


# The world and what its pages accept, built once for the module ------------------------------


@pytest.fixture(scope="module")
def site(module_transaction, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    fuzz_settings = override_settings(
        MIDDLEWARE=[*settings.MIDDLEWARE, "tests.security.fuzz_discovery.ReadsMiddleware"],
        MEDIA_ROOT=folder / "media",
        CLICK_LOG_DIR=str(folder / "clicks"),
        LANGUAGE_CODE="en",
        # The connect buttons go as far as the platform's consent page (a redirect).
        META_APP_ID="fuzz-app",
        META_APP_SECRET="fuzz-secret",
        TIKTOK_CLIENT_KEY="fuzz-app",
        TIKTOK_CLIENT_SECRET="fuzz-secret",
        PROVIDER_BASE_URLS=dict.fromkeys(settings.PROVIDER_BASE_URLS, "http://127.0.0.1:9"),
    )
    with fuzz_settings, no_outgoing_http() as outgoing:
        with module_transaction.unblock():
            world = build_world()
            everything = copy.deepcopy(ENDPOINTS)
            discover(world, everything)
        assert not outgoing.calls, [str(call.request.url) for call in outgoing.calls]
        yield world, everything, outgoing


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Replaces the conftest's: the world's files are in the module's media folder.
    settings.CLICK_LOG_DIR = str(tmp_path / "clicks")


def no_outgoing_http():
    """Any HTTP request a view makes is answered by this router and counted (none may be:
    every platform API is on the other side of one)."""
    router = respx.mock(assert_all_called=False)
    router.route().mock(return_value=httpx.Response(599))
    return router


def real_values(world: World, endpoint: Endpoint):
    def value_for(argument: str) -> object:
        return world.choices(endpoint.name, argument)[0]

    return value_for


# What one example sends ------------------------------------------------------------------------


@dataclass
class FuzzRequest:
    role: str
    method: str
    url: str
    query: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    def __repr__(self) -> str:
        parts = [f"{self.role} {self.method.upper()} {self.url}"]
        for label in ("query", "data", "headers", "body"):
            if value := getattr(self, label):
                parts.append(f"{label}={inputs.short(value)}")
        return "\n    ".join(parts)


def fields(known: dict[str, Field]) -> st.SearchStrategy[dict[str, Any]]:
    """Either the page's own values with one field replaced, or every field anything or
    absent; sometimes with a field nobody asked for."""
    if not known:
        return st.dictionaries(inputs.text, inputs.scalar, max_size=1)

    def value(each: Field) -> st.SearchStrategy[Any]:
        if each.kind == FILE:
            return st.one_of(inputs.uploads, st.lists(inputs.uploads, max_size=2), inputs.scalar)
        return inputs.field_value(each.values)

    names = sorted(known)
    page = st.fixed_dictionaries(
        {
            n: st.sampled_from(sorted(known[n].values) or inputs.PLAUSIBLE)
            for n in names
            if known[n].kind != FILE
        }
    )
    one_replaced = st.builds(
        lambda values, replaced: {**values, replaced[0]: replaced[1]},
        page,
        st.sampled_from(names).flatmap(lambda n: value(known[n]).map(lambda v: (n, v))),
    )
    anything = st.fixed_dictionaries({}, optional={n: value(known[n]) for n in names})
    extra = st.dictionaries(inputs.text, inputs.scalar, max_size=1)
    return st.builds(lambda chosen, more: {**more, **chosen}, one_replaced | anything, extra)


def path(endpoint: Endpoint, world: World) -> st.SearchStrategy[str]:
    """The URL with the world's real objects, or (less often) ids and names that are not."""
    not_real = st.one_of(
        st.sampled_from([0, inputs.BIG, 2**63, 2**31]),
        st.sampled_from([v for v in inputs.NASTY_TEXT + inputs.NASTY_NUMBERS if v]),
        st.text(min_size=1, max_size=30),
    )

    def argument(name: str) -> st.SearchStrategy[object]:
        real = st.sampled_from(world.choices(endpoint.name, name))
        return real if name == "workspace_slug" else st.one_of(real, real, real, not_real)

    def url(values: dict[str, object]) -> str:
        try:
            return endpoint.url(values.__getitem__)
        except NoReverseMatch:  # a value its converter refuses: the real ones instead
            return endpoint.url(real_values(world, endpoint))

    return st.fixed_dictionaries({a: argument(a) for a in endpoint.arguments}).map(url)


# Shop webhooks: signed with the feed's secret, so the body is read -------------------------


@dataclass(frozen=True)
class Webhook:
    signature: str
    event: str
    topic: str
    topics: tuple[str, ...]
    extra: tuple[tuple[str, str], ...] = ()


WEBHOOKS = {
    "shopify_webhook": Webhook(
        "HTTP_X_SHOPIFY_HMAC_SHA256",
        "HTTP_X_SHOPIFY_EVENT_ID",
        "HTTP_X_SHOPIFY_TOPIC",
        ("orders/create", "orders/updated", "orders/paid", "orders/cancelled", "refunds/create"),
        (("HTTP_X_SHOPIFY_TRIGGERED_AT", "now"),),
    ),
    "woocommerce_webhook": Webhook(
        "HTTP_X_WC_WEBHOOK_SIGNATURE",
        "HTTP_X_WC_WEBHOOK_DELIVERY_ID",
        "HTTP_X_WC_WEBHOOK_TOPIC",
        ("order.created", "order.updated", "order.restored", "order.deleted"),
    ),
}


@st.composite
def webhook_delivery(draw, hook: Webhook) -> tuple[bytes, dict[str, str]]:
    body = draw(inputs.json_bodies)
    digest = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).digest()
    signature = base64.b64encode(digest).decode()
    headers = {
        hook.signature: draw(st.sampled_from([signature, signature, ""]) | inputs.header_value),
        hook.event: draw(st.sampled_from(["evt-1", "evt-2"]) | inputs.header_value),
        hook.topic: draw(st.sampled_from(hook.topics) | inputs.header_value),
    }
    for name, value in hook.extra:
        headers[name] = timezone.now().isoformat() if value == "now" else value
    return body, headers


@st.composite
def requests_for(draw, endpoint: Endpoint, world: World) -> FuzzRequest:
    request = FuzzRequest(
        role=draw(st.sampled_from(endpoint.roles)),
        method=draw(st.sampled_from(sorted(endpoint.methods))),
        url=draw(path(endpoint, world)),
        query=draw(fields(endpoint.query)),
        headers=draw(inputs.headers),
    )
    if draw(st.booleans()):
        request.headers["HTTP_HX_REQUEST"] = "true"
    if request.method == "post":
        if endpoint.name in WEBHOOKS:
            request.body, signed = draw(webhook_delivery(WEBHOOKS[endpoint.name]))
            request.headers.update(signed)
        else:
            request.data = draw(fields(endpoint.form))
    return request


# Sending it and judging the answer -----------------------------------------------------------


def send(world: World, request: FuzzRequest, url: str):
    client = world.client(request.role)
    if request.method == "get":
        return client.get(url, request.query, **request.headers)
    if request.query:
        url += "?" + urlencode(request.query, doseq=True)
    if request.body is not None:
        return client.post(url, request.body, content_type="application/json", **request.headers)
    return client.post(url, request.data, **request.headers)


def refused(response) -> bool:
    """A write the app turned down: a 4xx, or the form shown again with its errors."""
    if 400 <= response.status_code < 500:
        return True
    contexts = response.context or []
    for context in contexts if isinstance(contexts, list) else [contexts]:
        for value in context.flatten().values():
            if isinstance(value, BaseForm | BaseFormSet) and value.is_bound and value.errors:
                return True
    return False


def server_error(request: FuzzRequest, response) -> str:
    exc_info = getattr(response, "exc_info", None)
    trace = "".join(traceback.format_exception(*exc_info)) if exc_info else response.content[:2000]
    return f"{response.status_code} for\n    {request!r}\n{trace}"


def check_one(world: World, request: FuzzRequest, counts, outgoing) -> None:
    cache.clear()  # rate limits, refresh jobs: every example starts from the same cache
    outgoing.reset()
    with transaction.atomic():
        url = world.prepare(request.url)
        before = counts() if request.method == "post" else None
        response = send(world, request, url)
        failed = response.status_code >= 500
        after = counts() if before is not None and not failed else None
        transaction.set_rollback(True)
    assert not failed, server_error(request, response)
    assert not outgoing.calls, [str(call.request.url) for call in outgoing.calls]
    if before is not None and refused(response):
        changed = [
            table
            for table, b, a in zip(counts.tables, before, after, strict=True)
            if b != a and table not in NOTED_WHEN_REFUSED
        ]
        assert not changed, f"{response.status_code} but rows changed in {changed}:\n{request!r}"


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
@FUZZ
@given(data=st.data())
def test_it_answers_anything_without_a_server_error(name, site, db, data):
    world, everything, outgoing = site
    request = data.draw(requests_for(everything[name], world), label="request")
    check_one(world, request, COUNTS, outgoing)


def test_it_reaches_every_endpoint_with_something_to_fuzz(site, db):
    _world, everything, _outgoing = site
    silent = [name for name, e in everything.items() if not e.methods]
    assert not silent, f"answer 405 to both GET and POST: {silent}"
    assert sum(len(e.form) for e in everything.values()) > 100
    assert sum(len(e.query) for e in everything.values()) > 20


def test_it_would_see_a_request_to_the_outside(site):
    _world, _everything, outgoing = site
    outgoing.reset()
    httpx.get("https://www.googleapis.com/youtube/v3/videos")
    assert [str(call.request.url) for call in outgoing.calls] == [
        "https://www.googleapis.com/youtube/v3/videos"
    ]
    outgoing.reset()
