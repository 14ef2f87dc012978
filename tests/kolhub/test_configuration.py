"""Settings come from the environment; a bad or missing variable is named in one line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-key-with-enough-entropy-1234567890",
    "ALLOWED_HOSTS": "kolhub.example.com",
    "TOKEN_ENCRYPTION_KEYS": "M2Fq1B6bC9v0vY0m3G6oQ4c8h5TjJ8mYw2yq8g3n0aA=",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never does.
    leave_out = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in leave_out}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY is required when DEBUG is off"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS is required when DEBUG is off"),
        (
            {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "kolhub.example.com"},
            "TOKEN_ENCRYPTION_KEYS is required when DEBUG is off",
        ),
        ({"TOKEN_ENCRYPTION_KEYS": "not-a-key"}, "TOKEN_ENCRYPTION_KEYS must be Fernet keys"),
        ({"DEBUG": "sometimes"}, "DEBUG must be a boolean"),
        ({"DATABASE_URL": "mysql://db/kolhub"}, "DATABASE_URL must be a postgres:// URL"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL must be a redis:// URL"),
        (
            {"WEB_CONCURRENCY": "1", "HEARTBEAT_INTERVAL_SECONDS": "often"},
            "HEARTBEAT_INTERVAL_SECONDS must be an integer",
        ),
        ({"LANGUAGE_CODE": "fr"}, "LANGUAGE_CODE must be one of"),
        ({"TIME_ZONE": "Mars/Base"}, "TIME_ZONE must be an IANA time zone"),
        ({"DEFAULT_CURRENCY": "EURO"}, "DEFAULT_CURRENCY must be an ISO 4217 code"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be"),
    ],
)
def test_it_names_the_bad_variable_in_one_line(env, message):
    result = manage("check", **env)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert message in result.stderr


def test_it_reads_secrets_from_files(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("s" * 60 + "\n")
    env = {**PRODUCTION, "SECRET_KEY": "", "SECRET_KEY_FILE": str(secret)}
    result = manage(
        "shell", "-c", "from django.conf import settings; print(len(settings.SECRET_KEY))", **env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "60"


def test_it_passes_the_deployment_checklist_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_it_sends_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_it_serves_htmx_from_the_app_not_a_cdn(client, db):
    page = client.get(reverse("login")).text
    assert "/static/django_htmx/htmx" in page
    # Every script, style and image comes from this server (the page's random CSRF token may
    # spell "cdn", so addresses are what is checked).
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert addresses and not [a for a in addresses if a.startswith(("http:", "https:", "//"))]


def test_it_keeps_inline_scripts_out_of_pages(alice_client, workspace):
    page = alice_client.get(reverse("workspace_home", args=[workspace.slug])).text
    for chunk in page.split("<script")[1:]:
        assert " src=" in chunk.split(">", 1)[0], "inline <script> found"
