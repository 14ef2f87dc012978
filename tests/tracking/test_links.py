"""Tracked links: creating them, the /r/<code> redirect, and clicks stored exactly once."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.campaigns import url
from tests.factories import (
    CollaborationFactory,
    SocialAccountFactory,
    TrackedLinkFactory,
)
from tracking import link_cache
from tracking.models import Click, ClickDay, ClickLogOffset, TrackedLink
from tracking.sales.clicks import clicks_drain_unscoped

BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile"


@pytest.fixture(autouse=True)
def _fresh_link_tables():
    link_cache.table.clear()


@pytest.fixture
def collaboration(brand):
    collaboration = CollaborationFactory(
        campaign__brand=brand, campaign__name="Summer Cold Brew 2026"
    )
    SocialAccountFactory(creator=collaboration.creator, platform="instagram", handle="mei.daily")
    return collaboration


@pytest.fixture
def link(collaboration):
    return TrackedLinkFactory(collaboration=collaboration)


def visit(client, link, agent=BROWSER, **extra):
    return client.get(f"/r/{link.code}", HTTP_USER_AGENT=agent, **extra)


def log_lines(settings) -> list[str]:
    return [
        line
        for path in Path(settings.CLICK_LOG_DIR).glob("clicks-*.log")
        for line in path.read_text().splitlines()
    ]


def test_the_form_starts_from_the_utm_defaults(alice_client, workspace, collaboration):
    panel = alice_client.get(url("collaboration_links", workspace, collaboration.pk))
    assert panel.status_code == 200
    for value in ('value="instagram"', 'value="influencer"', 'value="summer-cold-brew-2026"',
                  'value="mei.daily"'):  # fmt: skip
        assert value in panel.text


def test_a_link_is_created_with_an_unguessable_code(alice_client, workspace, collaboration):
    response = alice_client.post(
        url("tracked_link_create", workspace, collaboration.pk),
        {
            "destination": "https://shop.example.com/coldbrew",
            "utm_source": "instagram",
            "utm_medium": "influencer",
            "utm_campaign": "summer",
            "utm_content": "mei.daily",
        },
    )
    assert response.status_code == 200
    link = TrackedLink.objects.get()
    assert len(link.code) >= 11 and link.workspace == workspace
    assert f"/r/{link.code}" in response.text


@pytest.mark.parametrize(
    ("destination", "message"),
    [
        ("javascript:alert(1)", "Enter a valid URL"),
        ("ftp://files.example.com/a", "must be a web page"),
        ("http://127.0.0.1:8000/r/abc", "cannot lead to another tracked link"),
    ],
)
def test_a_bad_destination_is_refused(
    alice_client, workspace, collaboration, destination, message, settings
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    response = alice_client.post(
        url("tracked_link_create", workspace, collaboration.pk),
        {"destination": destination, "utm_source": "x", "utm_medium": "y", "utm_campaign": "z"},
    )
    assert response.status_code == 422
    assert message in response.text
    assert not TrackedLink.objects.exists()


def test_the_redirect_adds_the_utm_fields_and_a_click_id(client, link, settings):
    response = visit(client, link)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", "shop.example.com", "/coldbrew")
    query = parse_qs(target.query)
    assert query["ref"] == ["home"]  # the destination's own parameters stay
    assert query["utm_source"] == ["instagram"] and query["utm_medium"] == ["influencer"]
    assert query["utm_campaign"] == ["summer-cold-brew"] and query["utm_content"] == ["mei.daily"]
    assert len(query["kh_click"][0]) == 32
    assert response["Cache-Control"] == "no-store"
    assert len(log_lines(settings)) == 1


def test_the_destination_never_comes_from_the_request(client, link):
    response = client.get(
        f"/r/{link.code}?next=https://evil.example/&url=https://evil.example/",
        HTTP_HOST="evil.example",
        HTTP_USER_AGENT=BROWSER,
        HTTP_REFERER="https://evil.example/",
    )
    if response.status_code == 302:
        assert urlsplit(response["Location"]).netloc == "shop.example.com"
    else:
        assert response.status_code == 400  # an unknown Host is refused before any redirect


@pytest.mark.parametrize("code", ["nope", "tl000000000x", "../admin"])
def test_an_unknown_code_is_a_404_page(client, db, code):
    response = client.get(f"/r/{code}")
    assert response.status_code == 404


def test_a_nul_byte_in_the_code_is_a_bad_request_not_an_error(client, db):
    assert client.get("/r/%00").status_code == 400  # refused before any lookup


def test_a_stopped_link_is_a_404_at_once(alice_client, client, workspace, link):
    assert visit(client, link).status_code == 302
    alice_client.post(url("tracked_link_deactivate", workspace, link.pk))
    # This process, which had the link in its table (other processes: test_link_cache.py).
    assert visit(client, link).status_code == 404


def test_with_a_warm_cache_the_redirect_makes_no_query(client, link, django_assert_num_queries):
    visit(client, link)
    with django_assert_num_queries(0):
        assert visit(client, link).status_code == 302
    link_cache.table.clear()  # a process that has not seen it: the shared cache answers
    with django_assert_num_queries(0):
        assert visit(client, link).status_code == 302


def test_a_cache_server_that_is_down_does_not_stop_redirects(client, link, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens here
        }
    }
    from django.core.cache import caches

    caches._settings = None  # rebuild from the new settings
    try:
        assert visit(client, link).status_code == 302
    finally:
        caches._settings = None


def test_clicks_are_stored_once_with_hashed_visitors_and_bots_flagged(client, link, settings):
    for _ in range(3):
        visit(client, link, REMOTE_ADDR="203.0.113.7")
    visit(client, link, REMOTE_ADDR="198.51.100.20")
    visit(client, link, agent="facebookexternalhit/1.1 (+http://www.facebook.com/externalhit)")
    visit(client, link, agent="")
    client.head(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    assert clicks_drain_unscoped() == 7
    assert clicks_drain_unscoped() == 0  # nothing new
    assert Click.objects.count() == 7
    stored = " ".join(str(v) for c in Click.objects.values() for v in c.values())
    assert "203.0.113.7" not in stored and "198.51.100.20" not in stored  # no raw IP anywhere
    day = ClickDay.objects.get(link=link)
    assert (day.clicks, day.unique_visitors, day.bot_clicks) == (4, 2, 3)


def test_a_replayed_log_adds_nothing(client, link):
    for _ in range(5):
        visit(client, link)
    clicks_drain_unscoped()
    ClickLogOffset.objects.update(offset=0)  # as if the drain died before saving its position
    assert clicks_drain_unscoped() == 0
    assert Click.objects.count() == 5
    assert ClickDay.objects.get().clicks == 5


def test_a_half_written_line_waits_and_a_broken_one_is_skipped(link, settings):
    directory = Path(settings.CLICK_LOG_DIR)
    directory.mkdir(parents=True)
    log = directory / f"clicks-test-1-{int(time.time() // 3600)}.log"
    millis = int(time.time() * 1000)
    whole = f"{'a' * 32}\t{link.pk}\t{link.workspace_id}\t{millis}\t{'v' * 32}\t0\tTW\t\n"
    log.write_text("garbage line\n" + whole + "b" * 20)
    assert clicks_drain_unscoped() == 1
    click = Click.objects.get()
    assert (click.click_id, click.country, click.is_bot) == ("a" * 32, "TW", False)
    assert ClickLogOffset.objects.get().offset == len("garbage line\n" + whole)


def test_a_finished_file_of_a_past_hour_is_removed(client, link, settings):
    visit(client, link)
    directory = Path(settings.CLICK_LOG_DIR)
    current = next(directory.glob("clicks-*.log"))
    past = current.with_name(
        current.name.rsplit("-", 1)[0] + f"-{int(time.time() // 3600) - 2}.log"
    )
    current.rename(past)
    clicks_drain_unscoped()
    assert Click.objects.count() == 1
    assert not past.exists() and not ClickLogOffset.objects.exists()


def test_the_panel_shows_the_counts(alice_client, workspace, client, link):
    visit(client, link)
    visit(client, link, agent="Slackbot-LinkExpanding 1.0")
    clicks_drain_unscoped()
    panel = alice_client.get(url("collaboration_links", workspace, link.collaboration_id))
    assert f"/r/{link.code}" in panel.text
    assert "<dd>1</dd>" in panel.text  # one human click, one visitor, one bot


@pytest.mark.parametrize(("image_format", "content_type", "start"), [
    ("svg", "image/svg+xml", b"<?xml"), ("png", "image/png", b"\x89PNG"),
])  # fmt: skip
def test_the_qr_code_downloads(alice_client, workspace, link, image_format, content_type, start):
    response = alice_client.get(url("tracked_link_qr", workspace, link.pk, image_format))
    assert response["Content-Type"] == content_type
    assert response.content.startswith(start)
    assert link.code in response["Content-Disposition"]


def test_an_unknown_qr_format_is_404(alice_client, workspace, link):
    assert alice_client.get(url("tracked_link_qr", workspace, link.pk, "gif")).status_code == 404
