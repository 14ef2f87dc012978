"""The OpenAPI schema, its docs page, and a short Schemathesis run against the live app:
no 5xx, every response as the schema says (a longer run: `make fuzz`)."""

from __future__ import annotations

import contextlib
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from api.services import api_token_create
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory, PostFactory

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "5"))
# A filter's text the schema calls a string ("12k" followers) may still be refused with a 400
# naming the field: refusing what the schema allows is no failure here; 5xx and answers the
# schema does not describe are.
TOO_STRICT = [checks.positive_data_acceptance]


def test_it_serves_a_valid_openapi_schema(client):
    response = client.get("/api/v1/schema?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 10
    for operation in operations:
        assert "Scope: `" in operation["description"]
        assert {"401", "404", "429"} <= set(operation["responses"])
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_it_serves_the_docs_page_from_installed_files_under_the_csp(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "<style>" not in html and "<script>" not in html  # nothing inline for the CSP
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


@pytest.fixture
def live_schema(db):
    from kolhub.wsgi import application

    # As Django's test client does: the app must not close the test's database connection
    # at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_token(workspace, alice, brand, settings):
    # Hundreds of requests a minute: the fuzz is about answers, not the rate limit.
    settings.API_RATE_LIMIT = "1000000/min"
    _token, plain = api_token_create(
        workspace=workspace,
        user=alice,
        name="Fuzz",
        scopes=["creators:read", "creators:write", "campaigns:read", "results:read"],
    )
    campaign = CampaignFactory(brand=brand)
    PostFactory(collaboration=CollaborationFactory(campaign=campaign))
    CreatorFactory(workspace=workspace)
    return plain


def test_it_answers_the_schemathesis_fuzz_as_documented(live_schema, fuzz_token, workspace):
    headers = {"Authorization": f"Bearer {fuzz_token}", "Accept-Language": "en"}
    failures: list[str] = []
    answered: list[int] = []
    operations = [result.ok() for result in live_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        # The token's own workspace, so requests reach the views, not only a stranger's 404.
        strategy = operation.as_strategy(path_parameters={"workspace_slug": workspace.slug})

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=strategy)
        def run(case):
            try:
                answered.append(
                    case.call_and_validate(headers=headers, excluded_checks=TOO_STRICT).status_code
                )
            except Exception as failure:
                failures.append(f"{case.operation.label}: {failure}")
                raise

        with contextlib.suppress(Exception):  # each failure is kept in `failures`
            run()
    assert len(answered) >= len(operations)
    assert not failures, "\n\n".join(failures[:5])
