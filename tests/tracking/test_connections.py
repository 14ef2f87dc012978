"""Platform tokens are encrypted at rest with keys that can be rotated."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from kolhub import encryption
from tests.factories import PlatformConnectionFactory
from tracking.models import PlatformConnection

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
TOKEN = "IGQVJXb2xhYkp0c2VjcmV0LXRva2VuLWZvci10ZXN0cw"


def stored_token(pk: int) -> str:
    table = PlatformConnection._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def keys(settings):
    settings.TOKEN_ENCRYPTION_KEYS = [OLD]
    return settings


def test_no_plaintext_token_reaches_the_database(db, keys):
    saved = PlatformConnectionFactory(token=TOKEN, refresh_token="refresh-" + TOKEN)
    raw = stored_token(saved.pk)
    assert TOKEN not in raw and raw.startswith("gAAAA")
    assert PlatformConnection.objects.get(pk=saved.pk).token == TOKEN
    assert PlatformConnection.objects.get(pk=saved.pk).refresh_token == "refresh-" + TOKEN


def test_an_empty_token_stays_empty(db, keys):
    saved = PlatformConnectionFactory(token="")
    assert stored_token(saved.pk) == ""


def test_a_key_is_rotated_without_losing_a_token(db, keys):
    saved = PlatformConnectionFactory(token=TOKEN)
    keys.TOKEN_ENCRYPTION_KEYS = [NEW, OLD]  # the new key in front, the old one still known
    assert PlatformConnection.objects.get(pk=saved.pk).token == TOKEN
    out = StringIO()
    call_command("rotate_token_keys", stdout=out)
    assert "1 connections" in out.getvalue()
    keys.TOKEN_ENCRYPTION_KEYS = [NEW]  # the old key is gone
    assert PlatformConnection.objects.get(pk=saved.pk).token == TOKEN


def test_a_token_no_key_can_open_reads_as_empty(db, keys):
    saved = PlatformConnectionFactory(token=TOKEN)
    keys.TOKEN_ENCRYPTION_KEYS = [NEW]
    assert PlatformConnection.objects.get(pk=saved.pk).token == ""


def test_development_derives_a_key_from_the_secret_key(settings):
    settings.TOKEN_ENCRYPTION_KEYS = []
    ciphertext = encryption.encrypt(TOKEN)
    assert encryption.decrypt(ciphertext) == TOKEN
    settings.SECRET_KEY = "another-secret-key-" * 3
    with pytest.raises(Exception):  # noqa: B017
        encryption.decrypt(ciphertext)
