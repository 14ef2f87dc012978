"""Password reset is limited per e-mail address (silently) and per client address (429),
and its answers never tell whether an address has an account."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

RESET = "/accounts/password/reset/"
# Half a minute into an hour: every request of a test falls in one window until it moves on.
START = datetime(2026, 3, 2, 9, 0, 30, tzinfo=UTC)
CSRF = re.compile(r"[A-Za-z0-9]{64}")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def ask(client, email: str, ip: str = "203.0.113.5", **headers):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip, **headers)


def test_it_is_the_reset_url():
    assert reverse("password_reset") == RESET


def test_it_shows_the_form(client, db):
    response = client.get(RESET)
    assert response.status_code == 200
    assert 'name="email"' in response.text


def test_it_refuses_other_methods(client, db):
    assert client.put(RESET).status_code == 405


def test_it_shows_form_errors(client, db):
    response = ask(client, "not an address")
    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert mail.outbox == []


def test_it_sends_at_most_three_emails_to_one_address_an_hour(client, alice, clock):
    answers = []
    for _ in range(3):
        answers.append(ask(client, "alice@example.com"))
    clock.shift(timedelta(minutes=58))
    answers.append(ask(client, "alice@example.com"))
    assert len(mail.outbox) == 3
    # The fourth is told the same as the first three.
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, "/accounts/password/reset/sent/")
    }


def test_it_counts_an_address_however_it_is_written(client, alice, clock):
    for email in (
        "alice@example.com",
        "ALICE@example.com",
        " Alice@Example.COM ",
        "alice@EXAMPLE.com",
    ):
        ask(client, email)
    assert len(mail.outbox) == 3


def test_another_address_still_gets_its_email(client, alice, bob, clock):
    for _ in range(4):
        ask(client, "alice@example.com")
    ask(client, "bob@example.com")
    assert [m.to for m in mail.outbox] == [["alice@example.com"]] * 3 + [["bob@example.com"]]


def test_an_address_is_limited_whichever_client_asks(client, alice, clock):
    for n in range(5):
        ask(client, "alice@example.com", ip=f"198.51.100.{n}")
    assert len(mail.outbox) == 3


def test_the_counts_start_again_after_the_hour(client, alice, settings, clock):
    settings.PASSWORD_RESET_REQUESTS_PER_IP = 4
    for _ in range(4):
        ask(client, "alice@example.com")
    assert ask(client, "alice@example.com").status_code == 429
    clock.shift(timedelta(hours=1))
    assert ask(client, "alice@example.com").status_code == 302
    assert len(mail.outbox) == 4


def test_one_client_gets_429_past_twenty_requests_an_hour(client, db, clock):
    for n in range(20):
        assert ask(client, f"someone{n}@example.com").status_code == 302
    response = ask(client, "someone.else@example.com")
    assert response.status_code == 429
    assert "Too many password reset requests" in response.text
    assert "try again later" in response.text
    assert 0 < int(response["Retry-After"]) <= 3600
    assert ask(client, "someone.else@example.com", ip="198.51.100.9").status_code == 302


def test_the_429_page_is_translated(client, db, settings, clock):
    settings.PASSWORD_RESET_REQUESTS_PER_IP = 1
    ask(client, "someone@example.com")
    response = ask(client, "someone@example.com", HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.status_code == 429
    assert response["Content-Language"] == "zh-hant"


def test_a_get_is_not_counted(client, db, settings, clock):
    settings.PASSWORD_RESET_REQUESTS_PER_IP = 1
    for _ in range(3):
        assert client.get(RESET, REMOTE_ADDR="203.0.113.5").status_code == 200
    assert ask(client, "someone@example.com").status_code == 302


def test_one_ipv6_network_counts_as_one_client(client, db, settings, clock):
    settings.PASSWORD_RESET_REQUESTS_PER_IP = 2
    ask(client, "a@example.com", ip="2001:db8:1:2::1")
    ask(client, "b@example.com", ip="2001:db8:1:2:ffff::7")
    assert ask(client, "c@example.com", ip="2001:db8:1:2::99").status_code == 429
    assert ask(client, "c@example.com", ip="2001:db8:1:3::1").status_code == 302


def test_a_forged_forwarded_for_header_changes_nothing_without_a_trusted_proxy(
    client, db, settings, clock
):
    settings.AXES_IPWARE_PROXY_COUNT = None
    settings.PASSWORD_RESET_REQUESTS_PER_IP = 2
    answers = [
        ask(client, "a@example.com", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(3)
    ]
    assert answers == [302, 302, 429]


def test_behind_a_trusted_proxy_each_forwarded_client_counts_alone(client, db, settings, clock):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.PASSWORD_RESET_REQUESTS_PER_IP = 2
    proxy = "10.0.0.2"
    for _ in range(2):
        ask(client, "a@example.com", ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1")
    # What the client wrote itself is left of what the proxy appended: not trusted.
    forged = ask(client, "a@example.com", ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.77, 192.0.2.1")
    assert forged.status_code == 429
    assert (
        ask(client, "a@example.com", ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 302
    )


def test_nothing_tells_whether_an_address_has_an_account(client, alice, clock):
    def answers(email: str) -> list[tuple[int, str, str]]:
        pages = []
        for _ in range(4):  # below the limit, then past it
            response = ask(client, email)
            done = client.get(response["Location"]).text
            # The CSRF token is masked afresh on every page.
            pages.append((response.status_code, response["Location"], CSRF.sub("", done)))
        return pages

    assert answers("alice@example.com") == answers("nobody@example.com")
    assert len(mail.outbox) == 3
