from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


def test_it_shows_the_login_page(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'name="username"' in response.text


def test_it_signs_in_by_email(client, alice, workspace):
    response = client.post(
        reverse("login"), {"username": "ALICE@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(response.url).url == reverse("workspace_home", args=[workspace.slug])


def test_it_rerenders_login_with_an_error(client, alice):
    response = client.post(reverse("login"), {"username": "alice@example.com", "password": "no"})
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.text


def test_it_locks_out_after_repeated_failures(client, alice):
    for _ in range(5):
        client.post(reverse("login"), {"username": "alice@example.com", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.text


def test_it_does_not_lock_out_other_accounts(client, alice, bob):
    for _ in range(5):
        client.post(reverse("login"), {"username": "alice@example.com", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "bob@example.com", "password": PASSWORD})
    assert response.status_code == 302


def test_it_signs_out_on_post_only(alice_client):
    assert alice_client.get(reverse("logout")).status_code == 405
    assert alice_client.post(reverse("logout")).url == reverse("login")


def test_it_changes_the_password(alice, alice_client):
    response = alice_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-Passw0rd!",
            "new_password2": "a-new-Passw0rd!",
        },
    )
    assert response.url == reverse("password_change_done")
    alice.refresh_from_db()
    assert alice.check_password("a-new-Passw0rd!")


def test_it_resets_a_password_by_email(client, alice):
    client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session-bound URL
    response = client.post(
        form_url, {"new_password1": "reset-Passw0rd!", "new_password2": "reset-Passw0rd!"}
    )
    assert response.url == reverse("password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password("reset-Passw0rd!")


def test_it_says_nothing_about_unknown_addresses(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_it_requires_csrf_on_login(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("login"), {"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 403
