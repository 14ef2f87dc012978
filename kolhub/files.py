"""Stored files sent back to the browser, the same safe way for every app."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse


def file_response(
    file: FieldFile, *, name: str, content_type: str, download: bool = False
) -> FileResponse:
    """An uploaded file, sent so the browser never runs it as a page whatever it claims to be."""
    response = FileResponse(
        file.open("rb"), as_attachment=download, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
