from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from tests.factories import CollaborationFactory, DeliverableFactory, PortalLinkFactory
from tests.standin import point_settings_at, serve
from tests.tracking.portal_flow import SITE

RECORDED = Path(__file__).parent / "recorded"
# The providers' base URLs in tests: loopback, so nothing could leave the machine even if a
# request escaped respx (which refuses any request it has no route for).
LOOPBACK = "http://127.0.0.1:9"


# A public address for the CDNs of tests' covers: respx answers for it, nothing is sent.
CDN_ADDRESS = "93.184.215.14"


def cdn_route(url: str, dns: dict[str, list[str]], address: str = CDN_ADDRESS) -> respx.Route:
    """The route a cover download of `url` takes: its name resolves to `address` in the test's
    DNS, and the request goes to that address with the name in the Host header."""
    parts = httpx.URL(url)
    dns[parts.host] = [address]
    return respx.get(parts.copy_with(host=address), headers={"Host": parts.netloc.decode()})


def recorded(name: str) -> dict:
    """A platform response saved as JSON, shaped as the platform's documentation shows it."""
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _generous_call_budgets(settings):
    # The shared token bucket is tested on its own; here it must never make a test wait.
    settings.PROVIDER_CALLS_PER_MINUTE = dict.fromkeys(settings.PROVIDER_CALLS_PER_MINUTE, 600_000)


@pytest.fixture(autouse=True)
def _providers_on_loopback(settings):
    settings.PROVIDER_BASE_URLS = {
        platform: f"{LOOPBACK}/{platform}" for platform in settings.PROVIDER_BASE_URLS
    }


# The stand-in of the platforms and a creator with a portal link, for the tests that walk a
# login end to end (test_portal_connections.py, test_platform_doors.py). A module defining
# its own `collaboration` or `link` fixture keeps it.
@pytest.fixture(scope="module")
def standin_server():
    standin, http_server = serve()
    yield standin
    http_server.shutdown()


@pytest.fixture
def standin(standin_server, settings):
    standin_server.reset()
    point_settings_at(settings, standin_server.url)
    settings.SITE_URL = SITE
    return standin_server


@pytest.fixture
def collaboration(workspace):
    collaboration = CollaborationFactory(
        campaign__workspace=workspace, campaign__status="running", creator__display_name="小安"
    )
    DeliverableFactory(collaboration=collaboration, platform="instagram")
    return collaboration


@pytest.fixture
def link(collaboration):
    return PortalLinkFactory(collaboration=collaboration, language="en")
