"""Contract templates: the text a workspace generates its collaborations' contracts from."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kolhub.models import TenantModel

# A contract of a few pages is a few thousand characters; this bound keeps every generated
# page and PDF well under a second (campaigns/contracts/render.py).
MAX_TEMPLATE_LENGTH = 50_000


class ContractTemplate(TenantModel):
    """A workspace's own contract text in one language, with {{ placeholders }} for the terms."""

    name = models.CharField(_("name"), max_length=120)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    body = models.TextField(_("text"), validators=[MaxLengthValidator(MAX_TEMPLATE_LENGTH)])
    is_default = models.BooleanField(
        _("default for its language"),
        default=False,
        help_text=_("Used for contracts in this language unless another is chosen."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)

    class Meta:
        verbose_name = _("contract template")
        verbose_name_plural = _("contract templates")
        ordering = ["language", "-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "name"], name="contract_template_unique_name"
            ),
            models.UniqueConstraint(
                fields=["workspace", "language"],
                condition=Q(is_default=True),
                name="contract_template_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name
