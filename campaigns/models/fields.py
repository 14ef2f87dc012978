"""Field helpers the campaign models share: money amounts and upload paths."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.validators import MinValueValidator
from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


def money_field(verbose_name: str | StrPromise, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, validators=NOT_NEGATIVE, **kwargs
    )


def random_upload_path(folder: str, filename: str) -> str:
    """A random name under `folder`: what the uploader called the file never reaches the disk."""
    return f"{folder}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"
