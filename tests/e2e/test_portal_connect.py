"""A creator connects and disconnects an account from their portal in a real browser, the
platform being the local stand-in (tests/standin.py): the whole redirect chain a browser
follows, which the test client does not (a policy blocking the redirect to the platform's
consent page once made the buttons do nothing)."""

from __future__ import annotations

import pytest

from tests.factories import CollaborationFactory, PortalLinkFactory, SocialAccountFactory
from tests.standin import point_settings_at, serve
from tracking.models import PlatformConnection


@pytest.fixture
def standin(settings, live_server):
    standin, server = serve()
    point_settings_at(settings, standin.url)
    settings.SITE_URL = live_server.url
    standin.people["instagram"] = {"user_id": "17841405822304914", "username": "xiaoan.daily"}
    yield standin
    server.shutdown()


def test_a_creator_connects_and_disconnects_instagram_from_their_phone(
    browser, live_server, standin, transactional_db
):
    collaboration = CollaborationFactory(campaign__status="running")
    SocialAccountFactory(creator=collaboration.creator, platform="instagram", handle="xiaoan.daily")
    link = PortalLinkFactory(collaboration=collaboration, language="en")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/p/{link.token}/")
    page.click("text=See your accounts")
    page.click("text=Connect with Instagram")
    page.wait_for_selector("text=Connected: @xiaoan.daily")
    assert page.locator(".badge--ok", has_text="Connected").count() == 1
    connection = PlatformConnection.objects.get()
    assert connection.portal_link_id == link.pk and connection.token
    page.click("button:has-text('Disconnect')")
    page.wait_for_selector("text=Disconnected: @xiaoan.daily")
    connection.refresh_from_db()
    assert connection.token == "" and connection.refresh_token == ""
    context.close()
