"""The Payouts page's filters and the export choices."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, InstallmentStatus
from campaigns.payouts.board import OVERDUE
from campaigns.selectors.access import visible_campaigns
from kolhub.models import Membership

MONTH_FORMAT = "%Y-%m"
# The years a statement may be asked for: the filing concerns recent years only.
FIRST_YEAR = 2000


class MonthField(forms.DateField):
    """A month written YYYY-MM (what <input type="month"> sends), as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format=MONTH_FORMAT)
    input_formats = [MONTH_FORMAT]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, for example 2026-03.")}


class PayoutFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), (OVERDUE, _("Overdue")), *InstallmentStatus.choices],
    )
    due_month = MonthField(label=_("Due in"), required=False)
    paid_month = MonthField(label=_("Paid in"), required=False)
    campaign: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Campaign"),
        required=False,
        queryset=Campaign.objects.none(),
        empty_label=_("All campaigns"),
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["campaign"]
        assert isinstance(field, forms.ModelChoiceField)
        # Only what the choices show: an agency has hundreds of campaigns.
        field.queryset = (
            visible_campaigns(membership).only("pk", "name").order_by("-starts_on", "name")
        )

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is left out and shown with its error)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class MonthForm(forms.Form):
    month = MonthField(label=_("Month paid"))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year paid"), min_value=FIRST_YEAR)

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("The year cannot be in the future."))
        return year


def current_month() -> date:
    return timezone.localdate().replace(day=1)
