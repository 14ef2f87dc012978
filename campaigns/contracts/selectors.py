"""Which contract text a collaboration gets, and the workspace's templates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404

from campaigns.models import ContractTemplate
from kolhub.models import Workspace

DEFAULTS = Path(__file__).parent / "defaults"
LANGUAGES = dict(settings.LANGUAGES)


@cache
def builtin_body(language: str) -> str:
    """The built-in contract text in a language (campaigns/contracts/defaults/)."""
    return (DEFAULTS / f"{language}.txt").read_text(encoding="utf-8")


@dataclass(frozen=True)
class ChosenTemplate:
    language: str
    body: str
    template: ContractTemplate | None  # None: the built-in text


def workspace_templates(workspace: Workspace) -> list[ContractTemplate]:
    """The workspace's contract templates, per language, the default first."""
    return list(ContractTemplate.objects.for_workspace(workspace).select_related("updated_by"))


def get_contract_template(workspace: Workspace, pk: int) -> ContractTemplate:
    """A contract template of this workspace, or 404."""
    try:
        return ContractTemplate.objects.for_workspace(workspace).get(pk=pk)
    except ContractTemplate.DoesNotExist:
        raise Http404 from None


def choose_template(
    templates: list[ContractTemplate], *, language: str, template_id: int | None
) -> ChosenTemplate:
    """The template asked for by id; else the language's default; else the built-in text."""
    for template in templates:
        if template.pk == template_id:
            return ChosenTemplate(template.language, template.body, template)
    language = language if language in LANGUAGES else settings.LANGUAGE_CODE
    for template in templates:
        if template.language == language and template.is_default:
            return ChosenTemplate(language, template.body, template)
    return ChosenTemplate(language, builtin_body(language), None)
