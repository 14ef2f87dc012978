"""Settings → Webhooks: owners manage endpoints, managers read them, others get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kolhub.models import (
    OutgoingWebhookAttempt,
    OutgoingWebhookEndpoint,
    OutgoingWebhookMessage,
    Role,
)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, workspace, *args) -> str:
    return reverse(name, args=[workspace.slug, *args])


@pytest.fixture
def endpoint(workspace, alice):
    return OutgoingWebhookEndpoint.objects.create(
        workspace=workspace,
        url="https://hooks.example/in",
        event_types=["draft.approved", "post.published"],
        description="Our CRM",
        created_by=alice,
    )


@pytest.fixture
def manager_client(workspace, client_for):
    user = UserFactory(email="mandy@example.com")
    MembershipFactory(workspace=workspace, user=user, role=Role.MANAGER)
    return client_for(user)


def log_rows(endpoint, count: int) -> OutgoingWebhookMessage:
    message = None
    for number in range(count):
        message = OutgoingWebhookMessage.objects.create(
            workspace=endpoint.workspace, event_type="draft.approved", payload={"n": number}
        )
        OutgoingWebhookAttempt.objects.create(
            workspace=endpoint.workspace,
            endpoint=endpoint,
            message=message,
            status="failed",
            response_code=500,
            duration_ms=12,
            error_code="http_status",
        )
    assert message is not None
    return message


def test_it_lists_the_endpoints(alice_client, workspace, endpoint):
    response = alice_client.get(url("webhook_list", workspace))
    assert response.status_code == 200
    assert "https://hooks.example/in" in response.text
    assert "Our CRM" in response.text
    assert 'name="event_types"' in response.text


def test_an_owner_adds_an_endpoint_and_sees_its_secret_once(alice_client, workspace):
    response = alice_client.post(
        url("webhook_list", workspace),
        {
            "url": "https://hooks.example/kolhub",
            "event_types": ["post.published", "payout.paid"],
            "description": "Slack bridge",
        },
    )
    endpoint = OutgoingWebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("webhook_endpoint_detail", workspace, endpoint.pk)
    assert endpoint.event_types == ["post.published", "payout.paid"]
    assert endpoint.enabled and endpoint.secret.startswith("whsec_")
    first = alice_client.get(response["Location"])
    assert endpoint.secret in first.text
    again = alice_client.get(response["Location"])
    assert endpoint.secret not in again.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": "http://hooks.example/in", "event_types": ["draft.approved"]}, "Use an https://"),
        (
            {"url": "https://10.0.0.1/in", "event_types": ["draft.approved"]},
            "private, local or reserved",
        ),
        ({"url": "https://hooks.example/in"}, "Choose at least one event"),
        ({"url": "https://hooks.example/in", "event_types": ["nope"]}, "Select a valid choice"),
        ({"url": "not a url", "event_types": ["draft.approved"]}, "Enter a valid URL"),
    ],
)
def test_it_explains_bad_input(alice_client, workspace, data, message):
    response = alice_client.post(url("webhook_list", workspace), data)
    assert response.status_code == 422
    assert message in response.text
    assert not OutgoingWebhookEndpoint.objects.exists()


def test_a_manager_reads_but_cannot_change(manager_client, workspace, endpoint):
    page = manager_client.get(url("webhook_endpoint_detail", workspace, endpoint.pk))
    assert page.status_code == 200
    assert url("webhook_endpoint_test", workspace, endpoint.pk) not in page.text
    assert endpoint.secret not in page.text
    response = manager_client.post(
        url("webhook_list", workspace),
        {"url": "https://x.example/in", "event_types": ["draft.approved"]},
    )
    assert response.status_code == 403
    for name in ("webhook_endpoint_secret", "webhook_endpoint_edit"):
        assert manager_client.get(url(name, workspace, endpoint.pk)).status_code == 404
    assert (
        manager_client.post(url("webhook_endpoint_delete", workspace, endpoint.pk)).status_code
        == 404
    )


def test_a_member_and_an_outsider_get_404(bob_client, charlie_client, workspace, endpoint):
    for client in (bob_client, charlie_client):
        assert client.get(url("webhook_list", workspace)).status_code == 404
        assert client.get(url("webhook_endpoint_detail", workspace, endpoint.pk)).status_code == 404


def test_another_workspaces_endpoint_is_404(charlie_client, charlie_workspace, endpoint):
    response = charlie_client.get(url("webhook_endpoint_detail", charlie_workspace, endpoint.pk))
    assert response.status_code == 404


def test_the_wrong_method_is_405(alice_client, workspace, endpoint):
    for name in ("webhook_endpoint_delete", "webhook_endpoint_enabled", "webhook_endpoint_test"):
        assert alice_client.get(url(name, workspace, endpoint.pk)).status_code == 405
    assert (
        alice_client.post(url("webhook_endpoint_secret", workspace, endpoint.pk)).status_code == 405
    )


def test_an_owner_edits_an_endpoint(alice_client, workspace, endpoint):
    page = alice_client.get(url("webhook_endpoint_edit", workspace, endpoint.pk))
    assert page.status_code == 200 and "https://hooks.example/in" in page.text
    response = alice_client.post(
        url("webhook_endpoint_edit", workspace, endpoint.pk),
        {"url": "https://hooks.example/v2", "event_types": ["campaign.closed"]},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.event_types) == ("https://hooks.example/v2", ["campaign.closed"])
    bad = alice_client.post(
        url("webhook_endpoint_edit", workspace, endpoint.pk),
        {"url": "ftp://hooks.example/v2", "event_types": ["campaign.closed"]},
    )
    assert bad.status_code == 422


def test_an_owner_disables_and_enables_an_endpoint(alice_client, workspace, endpoint):
    target = url("webhook_endpoint_enabled", workspace, endpoint.pk)
    alice_client.post(target, {"enabled": "0"})
    alice_client.post(target, {"enabled": "0"})  # a double submit does not undo itself
    endpoint.refresh_from_db()
    assert not endpoint.enabled and endpoint.disabled_reason == "by_user"
    endpoint.consecutive_failures = 4
    endpoint.save()
    alice_client.post(target, {"enabled": "1"})
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.consecutive_failures == 0
    response = alice_client.post(target, {"enabled": "maybe"}, follow=True)
    assert "Say whether the endpoint should be enabled." in response.text


def test_an_owner_deletes_an_endpoint_with_its_log(alice_client, workspace, endpoint):
    log_rows(endpoint, 2)
    response = alice_client.post(url("webhook_endpoint_delete", workspace, endpoint.pk))
    assert response.status_code == 302
    assert not OutgoingWebhookEndpoint.objects.exists()
    assert not OutgoingWebhookAttempt.objects.exists()


def test_an_owner_sends_a_test_event(
    alice_client, workspace, endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url("webhook_endpoint_test", workspace, endpoint.pk))
    response = alice_client.get(response["Location"])
    assert "Test event sent" in response.text
    attempt = OutgoingWebhookAttempt.objects.get()
    assert attempt.message.event_type == "webhook.test"
    # hooks.example is not in the test's DNS: nothing left the machine, and the log says why.
    assert attempt.error_code == "unresolvable"
    assert "The host name could not be found (DNS)." in response.text


def test_a_disabled_endpoint_gets_no_test_event(alice_client, workspace, endpoint):
    endpoint.enabled = False
    endpoint.save()
    response = alice_client.post(url("webhook_endpoint_test", workspace, endpoint.pk), follow=True)
    assert "Enable the endpoint before sending it a test event." in response.text
    assert not OutgoingWebhookAttempt.objects.exists()


def test_an_owner_resends_a_message(alice_client, workspace, endpoint):
    message = log_rows(endpoint, 1)
    response = alice_client.post(
        url("webhook_message_resend", workspace, endpoint.pk, message.pk), follow=True
    )
    assert "Message sent again with the same webhook-id." in response.text
    assert endpoint.attempts.filter(message=message, is_resend=True).count() == 1


def test_a_message_of_another_endpoint_cannot_be_resent(alice_client, workspace, endpoint):
    other = OutgoingWebhookEndpoint.objects.create(
        workspace=workspace, url="https://b.example/in", event_types=["draft.approved"]
    )
    message = log_rows(other, 1)
    response = alice_client.post(url("webhook_message_resend", workspace, endpoint.pk, message.pk))
    assert response.status_code == 404


def test_an_owner_reveals_the_secret(alice_client, workspace, endpoint):
    target = url("webhook_endpoint_secret", workspace, endpoint.pk)
    page = alice_client.get(target)
    assert page.status_code == 200 and endpoint.secret in page.text
    fragment = alice_client.get(target, headers={"HX-Request": "true"})
    assert endpoint.secret in fragment.text
    assert "<html" not in fragment.text


def test_the_log_shows_attempts_newest_first_with_a_sentence(alice_client, workspace, endpoint):
    log_rows(endpoint, 3)
    page = alice_client.get(url("webhook_endpoint_detail", workspace, endpoint.pk))
    assert page.text.count("The endpoint answered with an error status.") == 3
    assert "12 ms" in page.text
    assert page.text.count(">Resend<") == 3


def test_the_log_pages_through_htmx(alice_client, workspace, endpoint):
    log_rows(endpoint, 30)
    target = url("webhook_endpoint_detail", workspace, endpoint.pk)
    page = alice_client.get(target)
    assert "Page 1 of 2" in page.text and 'href="?page=2"' in page.text
    fragment = alice_client.get(target + "?page=2", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "Page 2 of 2" in fragment.text
    assert fragment.text.count(">Resend<") == 5


def test_the_log_page_reads_in_a_few_queries(
    alice_client, workspace, endpoint, django_assert_max_num_queries
):
    log_rows(endpoint, 25)
    target = url("webhook_endpoint_detail", workspace, endpoint.pk)
    alice_client.get(target)
    with django_assert_max_num_queries(12):
        response = alice_client.get(target)
    assert response.status_code == 200


def test_the_settings_tabs_show_webhooks(alice_client, workspace):
    page = alice_client.get(url("settings_general", workspace))
    assert url("webhook_list", workspace) in page.text


def test_the_endpoint_page_answers_only_get(alice_client, workspace, endpoint):
    target = url("webhook_endpoint_detail", workspace, endpoint.pk)
    assert alice_client.post(target).status_code == 405
    assert alice_client.put(url("webhook_list", workspace)).status_code == 405
