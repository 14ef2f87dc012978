"""{% document_status document as status %}: (code, label) of a document to sign."""

from __future__ import annotations

from django import template

from campaigns.models import SignedDocument
from campaigns.signing import selectors

register = template.Library()


@register.simple_tag
def document_status(document: SignedDocument) -> tuple[str, str]:
    return selectors.document_status(document)
