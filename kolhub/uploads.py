"""Uploaded files: what kinds are accepted, checked by their bytes rather than their names
(the browser's content type and the file name are the uploader's word, not the file's)."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

IMAGES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/heic"}
VIDEOS = {"video/mp4", "video/quicktime", "video/webm"}
DOCUMENTS = {"application/pdf"}

# Pillow refuses to decode past twice this many pixels (a small file can declare a huge
# canvas); code that decodes images checks this bound itself before decoding.
MAX_IMAGE_PIXELS = 40_000_000

DRAFT_MEDIA = IMAGES | VIDEOS
BRIEF_ASSETS = IMAGES | VIDEOS | DOCUMENTS
SCREENSHOTS = IMAGES


def upload_name(upload: UploadedFile) -> str:
    """The name the uploader gave the file, for display only (never a path on disk)."""
    return (upload.name or "file")[:200]


def upload_facts(upload: UploadedFile) -> dict[str, str | int]:
    """What the file models keep beside the stored file: shown name, checked type, size."""
    return {
        "name": upload_name(upload),
        "content_type": upload.content_type or "",
        "size": upload.size or 0,
    }


def sniffed_type(upload: UploadedFile) -> str | None:
    """The content type the file's first bytes show (None when they match nothing known)."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


class UploadValidator:
    """A form field validator: the file is one of `allowed` types and within the size limit."""

    def __init__(self, allowed: set[str], *, max_bytes: int | None = None) -> None:
        self.allowed = allowed
        self.max_bytes = max_bytes

    def __call__(self, upload: UploadedFile) -> None:
        limit = self.max_bytes or settings.UPLOAD_MAX_MB * 1024 * 1024
        if upload.size and upload.size > limit:
            raise ValidationError(
                _("%(name)s is %(size)s; the limit is %(limit)s."),
                code="too_large",
                params={
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(limit),
                },
            )
        content_type = sniffed_type(upload)
        if content_type not in self.allowed:
            raise ValidationError(
                _("%(name)s is not an accepted file type (accepted: %(types)s)."),
                code="wrong_type",
                params={"name": upload.name, "types": describe_types(self.allowed)},
            )
        upload.content_type = content_type

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadValidator) and (other.allowed, other.max_bytes) == (
            self.allowed,
            self.max_bytes,
        )


def describe_types(allowed: set[str]) -> str:
    labels = []
    if allowed & IMAGES:
        labels.append("JPEG, PNG, WebP, GIF, HEIC")
    if allowed & VIDEOS:
        labels.append("MP4, MOV, WebM")
    if allowed & DOCUMENTS:
        labels.append("PDF")
    return ", ".join(labels)
