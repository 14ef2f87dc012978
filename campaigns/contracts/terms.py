"""The values a contract's placeholders are filled with, built from a collaboration's terms.

Only the names in placeholders.PLACEHOLDERS exist, each a plain string worded in the contract's
language: money with its currency (kolhub.formatting), dates as YYYY-MM-DD in the workspace's
time zone, lists as numbered lines.
"""

from __future__ import annotations

import zoneinfo
from datetime import date

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from campaigns.models import (
    BriefVersion,
    Collaboration,
    Deliverable,
    DeliverableStatus,
    Installment,
    InstallmentStatus,
)
from kolhub.formatting import money

# A contract lists at most this many deliverables (a collaboration rarely has ten); the rest
# are counted, so a runaway roster cannot make the page or the PDF slow.
MAX_LISTED_DELIVERABLES = 50
# A deliverable's requirements are quoted up to this length; the brief holds the rest.
MAX_REQUIREMENTS = 300


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _period(starts: date | None, ends: date | None) -> str:
    if starts and ends:
        return _("from %(start)s to %(end)s") % {"start": _day(starts), "end": _day(ends)}
    if starts:
        return _("from %(start)s, with no end date") % {"start": _day(starts)}
    if ends:
        return _("until %(end)s") % {"end": _day(ends)}
    return _("not specified")


def _numbered(lines: list[str]) -> str:
    return "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))


def _deliverable_line(deliverable: Deliverable) -> str:
    line = str(deliverable.get_format_display())  # "Instagram reel": it names the platform
    dues = []
    if deliverable.draft_due:
        dues.append(_("draft due %(date)s") % {"date": _day(deliverable.draft_due)})
    if deliverable.publish_due:
        dues.append(_("publish by %(date)s") % {"date": _day(deliverable.publish_due)})
    if dues:
        # Chinese separates with full-width punctuation: the separators are translated.
        line += " — " + pgettext("between the due dates of a deliverable", "; ").join(dues)
    requirements = " ".join(deliverable.requirements.split())
    if requirements:
        if len(requirements) > MAX_REQUIREMENTS:
            requirements = requirements[:MAX_REQUIREMENTS].rstrip() + "…"
        line = _("%(deliverable)s (%(requirements)s)") % {
            "deliverable": line,
            "requirements": requirements,
        }
    return line


def deliverables_text(deliverables: list[Deliverable], total: int) -> str:
    if not deliverables:
        return _("No deliverables agreed yet.")
    text = _numbered([_deliverable_line(d) for d in deliverables])
    if total > len(deliverables):
        more = total - len(deliverables)
        text += "\n" + ngettext(
            "… and %(n)s more deliverable, listed on the collaboration page.",
            "… and %(n)s more deliverables, listed on the collaboration page.",
            more,
        ) % {"n": more}
    return text


def payment_schedule_text(installments: list[Installment]) -> str:
    """The schedule as numbered lines (cancelled installments are not part of the deal)."""
    if not installments:
        return _(
            "In one payment within 30 days after the last deliverable has been published, "
            "unless agreed otherwise in writing."
        )
    return _numbered(
        [
            _("%(label)s: %(amount)s, due %(date)s")
            % {
                "label": installment.label,
                "amount": money(installment.amount, installment.currency, -2),
                "date": _day(installment.due_on),
            }
            for installment in installments
        ]
    )


def _allowed(flag: bool) -> str:
    return _("permitted") if flag else _("not permitted")


def usage_rights_text(collaboration: Collaboration) -> str:
    c = collaboration
    return _numbered(
        [
            _("Organic reposts on the brand's own channels: %(v)s")
            % {"v": _allowed(c.rights_organic)},
            _("Use in paid advertising (including whitelisting): %(v)s")
            % {"v": _allowed(c.rights_paid_ads)},
            _("Editing of the content by the brand: %(v)s") % {"v": _allowed(c.rights_edit)},
            _("Territory: %(v)s") % {"v": c.rights_territory or _("not specified")},
            _("Period: %(v)s") % {"v": _period(c.rights_starts_on, c.rights_ends_on)},
        ]
    )


def _brief(collaboration: Collaboration) -> BriefVersion | None:
    """The brief version sent with the contract, else the campaign's latest one."""
    if collaboration.brief_sent is not None:
        return collaboration.brief_sent
    return (
        BriefVersion.objects.filter(
            workspace_id=collaboration.workspace_id, campaign_id=collaboration.campaign_id
        )
        .order_by("-number")
        .first()
    )


def _brief_values(collaboration: Collaboration, tz: zoneinfo.ZoneInfo) -> dict[str, str]:
    brief = _brief(collaboration)
    # Taiwan's rules on sponsored content ask for a clear mark that a post is advertising.
    default_disclosure = _("#ad")
    if brief is None:
        return {"brief.version": _("no brief written yet"), "brief.disclosure": default_disclosure}
    version = _("version %(number)s of %(date)s") % {
        "number": brief.number,
        "date": _day(timezone.localdate(brief.created_at, tz)),
    }
    return {"brief.version": version, "brief.disclosure": brief.disclosure or default_disclosure}


def contract_values(collaboration: Collaboration, language: str) -> dict[str, str]:
    """Every placeholder's text for this collaboration, worded in `language`."""
    workspace = collaboration.workspace
    tz = zoneinfo.ZoneInfo(workspace.timezone)
    campaign, creator = collaboration.campaign, collaboration.creator
    open_deliverables = Deliverable.objects.filter(
        workspace_id=collaboration.workspace_id, collaboration=collaboration
    ).exclude(status=DeliverableStatus.CANCELLED)
    total = open_deliverables.count()
    listed = list(open_deliverables.order_by("publish_due", "pk")[:MAX_LISTED_DELIVERABLES])
    installments = list(
        Installment.objects.filter(
            workspace_id=collaboration.workspace_id, collaboration=collaboration
        )
        .exclude(status=InstallmentStatus.CANCELLED)
        .order_by("position", "due_on", "pk")[:MAX_LISTED_DELIVERABLES]
    )
    with translation.override(language):
        values = {
            "contract.date": _day(timezone.localdate(timezone.now(), tz)),
            "workspace.name": workspace.name,
            "brand.name": campaign.brand.name,
            "campaign.name": campaign.name,
            "campaign.period": _period(campaign.starts_on, campaign.ends_on),
            "creator.name": creator.display_name,
            "creator.legal_name": creator.real_name or creator.display_name,
            "creator.email": creator.email or _("not recorded"),
            "owner.name": collaboration.owner.display_name
            if collaboration.owner
            else _("not assigned"),
            "fee": money(collaboration.fee, collaboration.currency, -2)
            if collaboration.fee is not None
            else _("to be agreed"),
            "payment_schedule": payment_schedule_text(installments),
            "deliverables": deliverables_text(listed, total),
            "deliverables.count": str(total),
            "usage_rights": usage_rights_text(collaboration),
            "rights.territory": collaboration.rights_territory or _("not specified"),
            "rights.period": _period(collaboration.rights_starts_on, collaboration.rights_ends_on),
            "exclusivity": _("until %(end)s") % {"end": _day(collaboration.exclusivity_ends_on)}
            if collaboration.exclusivity_ends_on
            else _("none"),
            "min_live_days": ngettext("%(n)s day", "%(n)s days", collaboration.min_live_days)
            % {"n": collaboration.min_live_days}
            if collaboration.min_live_days
            else _("not specified"),
            **_brief_values(collaboration, tz),
        }
        # Text, not lazy objects: the values outlive the language override.
        return {name: str(value) for name, value in values.items()}
