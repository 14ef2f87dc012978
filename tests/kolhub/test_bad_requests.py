"""A request no page can use is answered 400 with a page that says so, never 500."""

from __future__ import annotations

import pytest

from tests.campaigns import url
from tests.factories import CampaignFactory, CreatorFactory


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


def test_the_bad_request_page_speaks_the_users_language(alice, client_for, pages):
    alice.language = "zh-hant"
    alice.save(update_fields=["language"])
    response = client_for(alice).get(pages["roster"], {"q": "\x00"})
    assert response.status_code == 400
    assert "無法讀取這個請求" in response.text
