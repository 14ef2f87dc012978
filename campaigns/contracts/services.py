"""Writes of contract templates."""

from __future__ import annotations

from django.db import transaction

from campaigns.models import ContractTemplate
from kolhub.models import User


@transaction.atomic
def contract_template_save(*, template: ContractTemplate, user: User) -> ContractTemplate:
    """Save a template; a new default for its language takes over from the previous one."""
    if template.is_default:
        others = ContractTemplate.objects.for_workspace(template.workspace).filter(
            language=template.language, is_default=True
        )
        if template.pk:
            others = others.exclude(pk=template.pk)
        others.update(is_default=False)
    template.updated_by = user
    template.save()
    return template


def contract_template_delete(*, template: ContractTemplate) -> None:
    """Delete a template; contracts in its language fall back to another default or the
    built-in text."""
    template.delete()
