"""Secrets stored in the database (platform tokens) are encrypted with rotatable Fernet keys."""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _keyring(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        # Development only (settings refuse to start without keys when DEBUG is off).
        derived = hashlib.sha256(f"kolhub-token-encryption:{secret_key}".encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def keyring() -> MultiFernet:
    """Encrypts with the first key, decrypts with any: a key can be rotated in place."""
    return _keyring(tuple(settings.TOKEN_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(plaintext: str) -> str:
    return keyring().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    return keyring().decrypt(ciphertext.encode()).decode()


class EncryptedTextField(models.TextField):
    """Holds plaintext in Python and Fernet ciphertext in the database; empty stays empty.

    A value that no configured key can open reads as empty (and is logged by the caller's
    status checks) instead of crashing every page that loads the row.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        try:
            return decrypt(value)
        except InvalidToken:
            return ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        return encrypt(value)
