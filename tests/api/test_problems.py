"""One error format: RFC 9457 problem details, `detail` in the caller's language."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.api.conftest import url
from tests.factories import CampaignFactory, CollaborationFactory

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"]
    return body


def test_it_answers_400_with_each_fields_errors(api, workspace):
    response = api.post(
        url(workspace, "creators"), {"rates": {"ig_post": -5}}, content_type="application/json"
    )
    body = assert_problem(response, 400)
    assert body["type"] == "urn:kolhub:problem:validation"
    assert set(body["errors"]) >= {"display_name", "rates.ig_post"}


def test_it_answers_400_for_a_body_that_is_not_json(api, workspace):
    response = api.post(url(workspace, "creators"), "{oops", content_type="application/json")
    assert_problem(response, 400)


def test_it_answers_415_for_a_form_body(api, workspace):
    assert_problem(api.post(url(workspace, "creators"), {"display_name": "X"}), 415)


def test_it_answers_404_for_an_unknown_object_and_an_unknown_address(api, workspace):
    assert_problem(api.get(url(workspace, "creators/999999")), 404)
    assert_problem(api.get(url(workspace, f"creators/{2**63}")), 404)
    assert_problem(api.get(url(workspace, "no-such-thing")), 404)
    assert_problem(api.get("/api/v1/nothing/here"), 404)


def test_it_answers_405_for_a_wrong_method(api, workspace):
    body = assert_problem(api.delete(url(workspace, "creators")), 405)
    assert "DELETE" in body["detail"]


def test_it_answers_409_with_the_state_machines_reason(api, workspace, brand):
    collaboration = CollaborationFactory(campaign=CampaignFactory(brand=brand))
    response = api.post(
        url(workspace, f"collaborations/{collaboration.pk}/stage"),
        {"stage": "published"},
        content_type="application/json",
    )
    body = assert_problem(response, 409)
    assert body["type"] == "urn:kolhub:problem:stage-refused"
    assert body["detail"] == "A collaboration cannot move from “Shortlisted” to “Published”."


@override_settings(API_RATE_LIMIT="2/min")
def test_it_answers_429_with_retry_after_past_the_rate(api, token_for, workspace):
    assert api.get(url(workspace, "creators")).status_code == 200
    assert api.get(url(workspace, "creators")).status_code == 200
    response = api.get(url(workspace, "creators"))
    assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    # The limit is the token's: another token of the workspace still has its own.
    assert token_for(workspace).get(url(workspace, "creators")).status_code == 200


def test_it_translates_the_detail_by_accept_language(api, workspace):
    response = api.get(url(workspace, "creators/999999"), headers={"accept-language": "zh-hant"})
    body = assert_problem(response, 404)
    assert body["detail"] != "Not found."


def test_it_speaks_the_workspaces_language_when_the_client_names_none(token_for, workspace, brand):
    workspace.language = "zh-hant"
    workspace.save()
    client = token_for(workspace)
    del client.defaults["HTTP_ACCEPT_LANGUAGE"]
    collaboration = CollaborationFactory(campaign=CampaignFactory(brand=brand))
    response = client.post(
        url(workspace, f"collaborations/{collaboration.pk}/stage"),
        {"stage": "published"},
        content_type="application/json",
    )
    assert_problem(response, 409)
    assert "collaboration cannot move" not in response.json()["detail"]


def test_it_hides_an_unexpected_error_behind_a_500_problem(api, workspace, monkeypatch):
    from creators import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "creator_directory", broken)
    response = api.get(url(workspace, "creators"))
    body = assert_problem(response, 500)
    assert "secret" not in response.content.decode() and "Traceback" not in body["detail"]


@pytest.mark.parametrize("path", ["creators", "campaigns"])
def test_it_answers_400_for_bad_filters(api, workspace, path):
    bad = {"creators": "?followers_min=lots", "campaigns": "?status=sleeping"}[path]
    body = assert_problem(api.get(url(workspace, path) + bad), 400)
    assert body["errors"]


def test_it_refuses_a_null_character_in_the_query_as_a_problem(api, workspace):
    body = assert_problem(api.get(url(workspace, "creators") + "?q=%00"), 400)
    assert "q" in body["errors"]


def test_it_answers_options_with_405(api, workspace):
    # The schema describes the endpoints; OPTIONS answers no metadata of its own.
    assert_problem(api.options(url(workspace, "creators")), 405)


def test_it_refuses_a_body_past_the_upload_limit_before_reading_it(api, workspace, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = '{"display_name": "' + "x" * 200 + '"}'
    response = api.post(url(workspace, "creators"), body, content_type="application/json")
    assert_problem(response, 413)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("campaigns", "brand=1921154553881759980716032"),
        ("creators", "followers_min=99999999999999999999999"),
        ("creators", "price_max=99999999999999999999999"),
        ("conversions", "campaign=99999999999999999999999"),
    ],
)
def test_it_answers_an_id_or_count_past_the_databases_range_without_a_500(
    api, workspace, path, query
):
    response = api.get(url(workspace, path) + "?" + query)
    assert response.status_code in {200, 400}, response.content


def test_it_answers_a_wrong_address_with_a_null_in_its_query_as_a_problem(api, workspace):
    assert_problem(api.get(url(workspace, "collaborations/-1/links") + "?cursor=%00"), 404)
