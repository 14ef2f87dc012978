"""The directory export a worker builds (creators.export_files): a model of its own module so
creators/models.py stays under the line limit; models.py imports it."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kolhub.models import WorkerFile


def directory_export_path(instance: DirectoryExport, filename: str) -> str:
    # Random, so a guessed path under MEDIA_ROOT names nothing; served only by the views.
    return f"exports/{instance.workspace_id}/{secrets.token_hex(16)}.{instance.file_format}"


class DirectoryExport(WorkerFile):
    """The directory as filtered on screen, as a CSV or XLSX a worker builds for a large
    roster, in the language of the member who asked; theirs to download until pruned."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The directory's query string (search, filters, sort) as it was on screen.
    filters = models.TextField(_("filters"), blank=True)
    # progress also counts "creators".
    file = models.FileField(_("file"), upload_to=directory_export_path, max_length=200, blank=True)

    class Meta:
        verbose_name = _("directory export")
        verbose_name_plural = _("directory exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="directory_export_created")]

    def __str__(self) -> str:
        return f"{self.file_format} @ {self.created_at:%Y-%m-%d %H:%M}"
