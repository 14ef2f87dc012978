"""python manage.py rotate_token_keys — re-encrypt every stored token with the newest key."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from tracking.models import PlatformConnection


class Command(BaseCommand):
    help = (
        "Re-encrypt every platform token with the first key of TOKEN_ENCRYPTION_KEYS. Put the "
        "new key first, run this, then remove the old key."
    )

    def handle(self, *args, **options) -> None:
        rotated = 0
        with transaction.atomic():
            # Reading decrypts with any configured key; saving encrypts with the first one.
            for connection in PlatformConnection.objects.select_for_update().iterator():
                connection.save(update_fields=["token", "refresh_token"])
                rotated += 1
        self.stdout.write(f"Re-encrypted the tokens of {rotated} connections.")
