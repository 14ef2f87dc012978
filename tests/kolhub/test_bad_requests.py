"""A request no page can use is answered 400 with a page that says so, never 500."""

from __future__ import annotations

import pytest

from tests.campaigns import url
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory, PostFactory


@pytest.fixture
def pages(workspace, brand):
    campaign = CampaignFactory(brand=brand)
    creator = CreatorFactory(workspace=workspace)
    return {
        "roster": url("creator_list", workspace),
        "roster candidates": url("roster_candidates", workspace, campaign.pk),
        "merge": url("creator_merge", workspace, creator.pk),
    }


@pytest.mark.parametrize("page", ["roster", "roster candidates", "merge"])
@pytest.mark.parametrize("query", [{"q": "tea\x00"}, {"q\x00": "tea"}, {"tier": "\x00"}])
def test_a_nul_byte_in_the_query_string_is_400_with_a_page_that_says_so(
    alice_client, pages, page, query
):
    response = alice_client.get(pages[page], query)
    assert response.status_code == 400
    assert "This request cannot be read" in response.text
    assert alice_client.get(pages[page], {"q": "tea"}).status_code == 200


# Every public address that looks its token up (a NUL in a URL arrives as %00).
TOKEN_PATHS = [
    ("get", "/px/tok%00en.js"),
    ("get", "/px/tok%00en/order"),
    ("get", "/p/tok%00en/"),
    ("get", "/s/tok%00en/"),
    ("get", "/invitations/tok%00en/"),
    ("post", "/hooks/shopify/tok%00en/"),
    ("post", "/hooks/woocommerce/tok%00en/"),
]


@pytest.mark.parametrize(("method", "path"), TOKEN_PATHS)
def test_a_nul_byte_in_the_path_is_400_with_a_page_that_says_so(db, client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 400
    assert "This request cannot be read" in response.text


def test_the_bad_request_page_speaks_the_users_language(alice, client_for, pages):
    alice.language = "zh-hant"
    alice.save(update_fields=["language"])
    response = client_for(alice).get(pages["roster"], {"q": "\x00"})
    assert response.status_code == 400
    assert "無法讀取這個請求" in response.text


# Digits no id is written in: "²" and "١٢٣" pass str.isdigit() (int() refuses the first and
# reads the second), thirty digits are past the database's integer range (SQLite raises for
# them in a foreign key or IN lookup), and int() refuses 5,000.
NOT_IDS = ["²", "١٢٣", "9" * 30, "9" * 5000]
ID_READERS = {
    "new campaign for a brand": ("get", "campaign_create", "brand"),
    "campaigns of a brand": ("get", "campaign_list", "brand"),
    "roster of an owner": ("get", "campaign_roster", "owner"),
    "learning for a brand": ("get", "learning", "brand"),
    "add creators": ("post", "roster_add", "creators"),
    "connect an account": ("post", "connect_start", "account"),
    "refresh a post": ("post", "post_refresh", "scope_id"),
}


@pytest.fixture
def id_reader_urls(workspace, brand):
    campaign = CampaignFactory(brand=brand)
    post = PostFactory(collaboration=CollaborationFactory(campaign=campaign))
    return {
        "campaign_create": url("campaign_create", workspace),
        "campaign_list": url("campaign_list", workspace),
        "campaign_roster": url("campaign_roster", workspace, campaign.pk),
        "learning": url("learning", workspace),
        "roster_add": url("roster_add", workspace, campaign.pk),
        "connect_start": url("connect_start", workspace, "facebook"),
        "post_refresh": url("post_refresh", workspace, post.pk),
    }


@pytest.mark.parametrize("value", NOT_IDS, ids=["superscript", "arabic", "30 digits", "5000"])
@pytest.mark.parametrize("page", ID_READERS)
def test_an_id_that_is_not_one_is_ignored_or_404_never_500(
    alice_client, id_reader_urls, settings, page, value
):
    settings.META_APP_ID, settings.META_APP_SECRET = "app", "secret"  # connecting reads it
    method, name, field = ID_READERS[page]
    data = {field: value, "scope": "campaign"}
    response = getattr(alice_client, method)(id_reader_urls[name], data)
    assert response.status_code in {200, 302, 404}, response.status_code
