"""What the stand-in tests share: a creator's account, the portal's URLs, and the walk
through a platform's consent page back to KOLHub (the fixtures are in conftest.py)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import httpx
from django.urls import reverse

from tests.factories import SocialAccountFactory
from tracking.ingest.pulls import pull_batch, route

SITE = "https://kolhub.example.com"


def account(collaboration, platform: str, handle: str, **fields):
    return SocialAccountFactory(
        creator=collaboration.creator, platform=platform, handle=handle, **fields
    )


def portal(link, name="portal_accounts", *args) -> str:
    return reverse(name, args=[link.token, *args])


def connect(client, link, account, login: str):
    """Press the portal's button, consent on the stand-in, come back: the page shown after."""
    started = client.post(portal(link, "portal_connect_start", account.pk, login))
    assert started.status_code == 302, started
    consent = httpx.get(started["Location"], follow_redirects=False)
    assert consent.status_code == 302, consent.text
    back = urlsplit(consent.headers["location"])
    assert f"{back.scheme}://{back.netloc}" == SITE
    return client.get(back.path, dict(parse_qsl(back.query)), follow=True)


def pull(post):
    """Route the post as beat would, and pull its batch."""
    (batch,) = route([(post.pk, post.workspace_id, post.platform, post.collaboration.creator_id)])
    return batch, pull_batch(batch)
