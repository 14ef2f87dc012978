"""Outgoing webhooks: signing, delivery to a real local receiver, retries, SSRF, disabling."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import respx
from django.core import mail
from django.utils import timezone
from standardwebhooks import Webhook

from kolhub.models import (
    Notification,
    OutgoingWebhookAttempt,
    OutgoingWebhookEndpoint,
    OutgoingWebhookMessage,
)
from kolhub.webhooks import delivery, services
from tests.kolhub.webhook_receiver import Receiver, serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    # Loopback over plain http only through this explicit test setting.
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.5
    receiver = Receiver()
    server = serve(receiver)
    yield receiver
    receiver.release.set()
    server.shutdown()
    server.server_close()


def endpoint_at(workspace, url: str, events=("draft.approved",)) -> OutgoingWebhookEndpoint:
    return OutgoingWebhookEndpoint.objects.create(
        workspace=workspace, url=url, event_types=list(events)
    )


def emit_now(capture, workspace, data=None):
    with capture(execute=True):
        messages = services.emit(
            workspace_id=workspace.pk, event_type="draft.approved", data=data or {"draft_id": 7}
        )
    return messages


def attempts(endpoint) -> list[OutgoingWebhookAttempt]:
    return list(endpoint.attempts.order_by("number", "pk"))


def test_it_signs_what_the_reference_library_verifies(
    workspace, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_at(workspace, receiver.url + "/ok")
    [message] = emit_now(django_capture_on_commit_callbacks, workspace, {"draft_id": 7})
    [seen] = receiver.seen
    assert seen.headers["webhook-id"] == message.message_id
    assert seen.headers["webhook-id"].startswith("msg_")
    assert seen.headers["content-type"] == "application/json"
    body = Webhook(endpoint.secret).verify(seen.body, seen.headers)
    assert body["type"] == "draft.approved"
    assert body["id"] == message.message_id
    assert body["data"] == {"draft_id": 7}


def test_it_signs_what_the_plain_hmac_recipe_verifies(
    workspace, receiver, django_capture_on_commit_callbacks
):
    import base64
    import hashlib
    import hmac

    endpoint = endpoint_at(workspace, receiver.url + "/ok")
    emit_now(django_capture_on_commit_callbacks, workspace)
    [seen] = receiver.seen
    key = base64.b64decode(endpoint.secret.removeprefix("whsec_"))
    signed = f"{seen.headers['webhook-id']}.{seen.headers['webhook-timestamp']}.".encode()
    digest = hmac.new(key, signed + seen.body, hashlib.sha256).digest()
    assert seen.headers["webhook-signature"] == "v1," + base64.b64encode(digest).decode()


def test_it_refuses_a_forged_signature_with_the_reference_library(
    workspace, receiver, django_capture_on_commit_callbacks
):
    endpoint_at(workspace, receiver.url + "/ok")
    emit_now(django_capture_on_commit_callbacks, workspace)
    [seen] = receiver.seen
    from standardwebhooks.webhooks import WebhookVerificationError

    other = "whsec_" + "A" * 43 + "="
    with pytest.raises(WebhookVerificationError):
        Webhook(other).verify(seen.body, seen.headers)


def test_it_keeps_the_secret_encrypted_at_rest(workspace):
    from django.db import connection

    endpoint = endpoint_at(workspace, "https://hooks.example/in")
    assert endpoint.secret.startswith("whsec_")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret FROM kolhub_outgoingwebhookendpoint WHERE id = %s", [endpoint.pk]
        )
        stored = cursor.fetchone()[0]
    assert "whsec_" not in stored
    assert OutgoingWebhookEndpoint.objects.get(pk=endpoint.pk).secret == endpoint.secret


def test_it_marks_a_2xx_answer_delivered_with_its_code_and_timing(
    workspace, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_at(workspace, receiver.url + "/empty")
    emit_now(django_capture_on_commit_callbacks, workspace)
    [attempt] = attempts(endpoint)
    assert attempt.status == "succeeded"
    assert attempt.response_code == 204
    assert attempt.duration_ms is not None
    assert attempt.error_code == ""


def test_it_retries_after_a_500_with_the_back_off_and_the_same_webhook_id(
    workspace, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_at(workspace, receiver.url + "/fail")
    before = timezone.now()
    emit_now(django_capture_on_commit_callbacks, workspace)
    first, retry = attempts(endpoint)
    assert (first.status, first.response_code, first.error_code) == ("failed", 500, "http_status")
    assert first.response_excerpt == "receiver broke"
    assert (retry.status, retry.number) == ("pending", 2)
    assert before + timedelta(seconds=5) <= retry.due_at <= timezone.now() + timedelta(seconds=5)
    # Not due yet: the sweep leaves it.
    assert services.attempts_send_due() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.attempts_send_due(now=retry.due_at) == 1
    third = attempts(endpoint)[-1]
    assert third.number == 3
    assert third.due_at - attempts(endpoint)[1].attempted_at >= timedelta(minutes=5)
    assert [seen.headers["webhook-id"] for seen in receiver.seen] == [first.message.message_id] * 2


def test_it_documents_about_three_days_of_retries():
    total = sum(services.RETRY_DELAYS, timedelta())
    assert timedelta(days=2, hours=12) < total < timedelta(days=3, hours=12)
    assert services.MAX_ATTEMPTS == 10


def test_it_retries_after_a_timeout(workspace, receiver, django_capture_on_commit_callbacks):
    endpoint = endpoint_at(workspace, receiver.url + "/slow")
    emit_now(django_capture_on_commit_callbacks, workspace)
    first, retry = attempts(endpoint)
    assert (first.status, first.error_code, first.response_code) == ("failed", "timeout", None)
    assert retry.status == "pending"


def test_it_does_not_follow_a_redirect(workspace, receiver, django_capture_on_commit_callbacks):
    endpoint = endpoint_at(workspace, receiver.url + "/redirect")
    emit_now(django_capture_on_commit_callbacks, workspace)
    first, _retry = attempts(endpoint)
    assert (first.status, first.response_code, first.error_code) == ("failed", 302, "redirect")
    assert [seen.path for seen in receiver.seen] == ["/redirect"]


def test_it_reads_only_the_start_of_a_huge_answer(
    workspace, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_at(workspace, receiver.url + "/big")
    emit_now(django_capture_on_commit_callbacks, workspace)
    [attempt] = attempts(endpoint)
    assert attempt.status == "succeeded"
    assert attempt.response_excerpt == "x" * 500
    result = delivery.post(
        receiver.url + "/big", content="{}", request_headers={"Content-Type": "application/json"}
    )
    assert result.ok and len(result.excerpt) == delivery.RESPONSE_BYTES


@pytest.mark.parametrize(
    ("url", "names", "error"),
    [
        ("https://10.0.0.5/hook", {}, "forbidden_address"),
        ("https://192.168.1.10/hook", {}, "forbidden_address"),
        ("https://127.0.0.1/hook", {}, "forbidden_address"),
        ("https://169.254.169.254/latest/meta-data", {}, "forbidden_address"),
        ("https://[::1]/hook", {}, "forbidden_address"),
        ("https://[::ffff:127.0.0.1]/hook", {}, "forbidden_address"),
        ("https://224.0.0.1/hook", {}, "forbidden_address"),
        ("https://internal.example/hook", {"internal.example": ["10.1.2.3"]}, "forbidden_address"),
        (
            "https://mixed.example/hook",
            {"mixed.example": ["93.184.215.14", "127.0.0.1"]},
            "forbidden_address",
        ),
        ("https://nowhere.example/hook", {}, "unresolvable"),
        ("http://public.example/hook", {"public.example": ["93.184.215.14"]}, "not_https"),
        ("http://127.0.0.1/hook", {}, "not_https"),
    ],
)
def test_it_refuses_addresses_inside_without_sending_anything(
    workspace, dns, url, names, error, django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    dns.update(names)
    endpoint = endpoint_at(workspace, url)
    with respx.mock(assert_all_called=False) as network:
        emit_now(django_capture_on_commit_callbacks, workspace)
    assert network.calls.call_count == 0
    first, retry = attempts(endpoint)
    assert (first.status, first.error_code, first.response_code) == ("failed", error, None)
    assert retry.status == "pending"


def test_it_connects_to_the_address_it_checked_keeping_the_name_for_tls(workspace, dns):
    dns["hooks.example"] = ["93.184.215.14"]
    with respx.mock(assert_all_called=False) as network:
        route = network.post("https://93.184.215.14/in").respond(200, text="ok")
        result = delivery.post(
            "https://hooks.example/in", content="{}", request_headers={"webhook-id": "msg_1"}
        )
    assert result.ok
    request = route.calls.last.request
    assert request.headers["Host"] == "hooks.example"
    assert request.extensions["sni_hostname"] == "hooks.example"


def test_emitting_an_event_nobody_subscribes_to_costs_one_query(
    workspace, django_assert_num_queries
):
    endpoint_at(workspace, "https://hooks.example/in", events=["post.published"])
    built = []
    with django_assert_num_queries(1):
        services.emit(
            workspace_id=workspace.pk,
            event_type="draft.approved",
            data=lambda: built.append(1) or {},
        )
    assert built == []
    assert not OutgoingWebhookMessage.objects.exists()


def test_it_stores_one_message_and_an_attempt_per_subscribed_enabled_endpoint(
    workspace, charlie_workspace, django_capture_on_commit_callbacks
):
    one = endpoint_at(workspace, "https://a.example/in")
    two = endpoint_at(
        workspace, "https://b.example/in", events=["draft.approved", "post.published"]
    )
    off = endpoint_at(workspace, "https://c.example/in")
    off.enabled = False
    off.save()
    endpoint_at(workspace, "https://d.example/in", events=["post.published"])
    endpoint_at(charlie_workspace, "https://e.example/in")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [message] = services.emit(
            workspace_id=workspace.pk, event_type="draft.approved", data={"draft_id": 1}
        )
    assert len(callbacks) == 1  # sent after the commit, not before
    assert sorted(message.attempts.values_list("endpoint_id", flat=True)) == [one.pk, two.pk]


def test_it_refuses_an_unknown_event_type(workspace):
    with pytest.raises(ValueError):
        services.emit(workspace_id=workspace.pk, event_type="nope.nothing", data={})


def test_it_disables_an_endpoint_after_five_messages_failed_for_good_and_tells_the_owners(
    workspace, alice, bob, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_at(workspace, receiver.url + "/fail")
    endpoint.consecutive_failures = services.DISABLE_AFTER - 1
    endpoint.save()
    message = OutgoingWebhookMessage.objects.create(
        workspace=workspace, event_type="draft.approved", payload={}
    )
    last = OutgoingWebhookAttempt.objects.create(
        workspace=workspace, endpoint=endpoint, message=message, number=services.MAX_ATTEMPTS
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_deliver(attempt_id=last.pk)
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert endpoint.disabled_reason == "failing"
    [email] = mail.outbox  # to alice, the owner
    assert email.to == ["alice@example.com"]
    assert endpoint.url in email.body
    assert f"/settings/webhooks/{endpoint.pk}/" in email.body
    assert endpoint.attempts.filter(status="pending").count() == 0
    [notice] = Notification.objects.filter(workspace=workspace)
    assert notice.user == alice  # owners only, not bob
    assert endpoint.url in notice.message
    # What was still queued for it is not sent.
    emit_now(django_capture_on_commit_callbacks, workspace)
    assert len(receiver.seen) == 1


def test_a_success_resets_the_failure_count(
    workspace, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_at(workspace, receiver.url + "/ok")
    endpoint.consecutive_failures = 3
    endpoint.save()
    emit_now(django_capture_on_commit_callbacks, workspace)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_a_pending_attempt_of_a_disabled_endpoint_is_not_sent(workspace, receiver):
    endpoint = endpoint_at(workspace, receiver.url + "/ok")
    message = OutgoingWebhookMessage.objects.create(
        workspace=workspace, event_type="draft.approved", payload={}
    )
    attempt = OutgoingWebhookAttempt.objects.create(
        workspace=workspace, endpoint=endpoint, message=message
    )
    services.endpoint_set_enabled(endpoint=endpoint, enabled=False)
    services.attempt_deliver(attempt_id=attempt.pk)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.error_code) == ("failed", "endpoint_disabled")
    assert receiver.seen == []
    assert endpoint.attempts.count() == 1


def test_resending_makes_a_new_attempt_with_the_same_webhook_id(
    workspace, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_at(workspace, receiver.url + "/ok")
    [message] = emit_now(django_capture_on_commit_callbacks, workspace)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_resend(endpoint=endpoint, message=message)
    _first, again = attempts(endpoint)
    assert (again.number, again.is_resend, again.status) == (2, True, "succeeded")
    ids = [seen.headers["webhook-id"] for seen in receiver.seen]
    assert ids == [message.message_id, message.message_id]
    # The body is the same bytes; only the timestamp header (and so the signature) is new.
    assert receiver.seen[0].body == receiver.seen[1].body


def test_a_failed_resend_is_not_retried(workspace, receiver, django_capture_on_commit_callbacks):
    endpoint = endpoint_at(workspace, receiver.url + "/fail")
    message = OutgoingWebhookMessage.objects.create(
        workspace=workspace, event_type="draft.approved", payload={}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.message_resend(endpoint=endpoint, message=message)
    [attempt] = attempts(endpoint)
    assert attempt.status == "failed"


def test_a_test_event_goes_to_that_endpoint_only(
    workspace, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_at(workspace, receiver.url + "/ok")
    endpoint_at(workspace, receiver.url + "/other")
    with django_capture_on_commit_callbacks(execute=True):
        services.endpoint_send_test(endpoint=endpoint)
    [seen] = receiver.seen
    assert seen.path == "/ok"
    assert json.loads(seen.body)["type"] == "webhook.test"


def test_an_attempt_a_stopped_worker_left_is_retried(workspace):
    endpoint = endpoint_at(workspace, "https://hooks.example/in")
    message = OutgoingWebhookMessage.objects.create(
        workspace=workspace, event_type="draft.approved", payload={}
    )
    stuck = OutgoingWebhookAttempt.objects.create(
        workspace=workspace,
        endpoint=endpoint,
        message=message,
        attempted_at=timezone.now() - timedelta(minutes=30),
    )
    services.attempts_send_due()
    stuck.refresh_from_db()
    assert (stuck.status, stuck.error_code) == ("failed", "interrupted")
    assert endpoint.attempts.filter(status="pending", number=2).exists()


def test_an_attempt_is_sent_once_even_when_asked_twice(workspace, receiver):
    endpoint = endpoint_at(workspace, receiver.url + "/ok")
    message = OutgoingWebhookMessage.objects.create(
        workspace=workspace, event_type="draft.approved", payload={}
    )
    attempt = OutgoingWebhookAttempt.objects.create(
        workspace=workspace, endpoint=endpoint, message=message
    )
    services.attempt_deliver(attempt_id=attempt.pk)
    assert services.attempt_deliver(attempt_id=attempt.pk) is None
    assert len(receiver.seen) == 1


def test_a_payload_over_the_bound_is_logged_not_sent_and_fails_nothing(workspace, caplog):
    endpoint_at(workspace, "https://hooks.example/in")
    sent = services.emit(
        workspace_id=workspace.pk,
        event_type="draft.approved",
        data={"text": "x" * (services.MAX_PAYLOAD_BYTES + 1)},
    )
    assert sent == []
    assert not OutgoingWebhookMessage.objects.exists()
    assert "draft.approved payload over" in caplog.text


def test_a_full_metrics_message_fits_the_bound():
    from tracking.webhooks import POSTS_PER_MESSAGE

    post = {
        "post_id": 2**40,
        "url": "https://www.youtube.com/watch?v=" + "x" * 470,
        "platform": "youtube",
        "deliverable_id": 2**40,
        "collaboration_id": 2**40,
        "campaign": {"id": 2**40, "name": "名" * 160, "slug": "s" * 80},
        "creator": {"id": 2**40, "name": "名" * 120},
        "status": "live",
        "metrics": dict.fromkeys(("views", "likes", "comments", "shares", "saves"), 2**40),
    }
    size = len(json.dumps({"posts": [post] * POSTS_PER_MESSAGE}).encode())
    assert size < services.MAX_PAYLOAD_BYTES


def test_old_messages_are_pruned_unless_still_pending(workspace):
    endpoint = endpoint_at(workspace, "https://hooks.example/in")
    old = timezone.now() - services.KEEP_MESSAGES - timedelta(days=1)
    done, waiting, recent = (
        OutgoingWebhookMessage.objects.create(
            workspace=workspace, event_type="draft.approved", payload={}, created_at=at
        )
        for at in (old, old, timezone.now())
    )
    for message, status in ((done, "failed"), (waiting, "pending"), (recent, "succeeded")):
        OutgoingWebhookAttempt.objects.create(
            workspace=workspace, endpoint=endpoint, message=message, status=status
        )
    assert services.messages_prune() == 1
    assert set(OutgoingWebhookMessage.objects.values_list("pk", flat=True)) == {
        waiting.pk,
        recent.pk,
    }


def test_the_documented_plain_recipe_verifies_what_is_sent(
    workspace, receiver, django_capture_on_commit_callbacks
):
    import re
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "docs" / "webhooks.md").read_text(encoding="utf-8")
    [recipe] = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "def verify(" in b]
    scope: dict = {}
    exec(recipe, scope)  # noqa: S102 (the docs' own code, run as a receiver would)
    endpoint = endpoint_at(workspace, receiver.url + "/ok")
    emit_now(django_capture_on_commit_callbacks, workspace)
    [seen] = receiver.seen
    assert scope["verify"](endpoint.secret, seen.headers, seen.body)
    assert not scope["verify"](endpoint.secret, seen.headers, seen.body + b" ")


def test_no_disabled_email_when_the_endpoint_was_enabled_again(workspace, alice):
    endpoint = endpoint_at(workspace, "https://hooks.example/in")
    assert services.endpoint_disabled_email_send(endpoint_id=endpoint.pk) == 0
    assert mail.outbox == []
