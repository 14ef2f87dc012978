"""A collaboration's log in words: each event is stored as facts and worded when it is read.

So the log reads in the reader's language, whoever caused the event and in whichever language
the worker was running when it happened.
"""

from __future__ import annotations

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.models import (
    Collaboration,
    CollaborationEvent,
    Decision,
    DocumentKind,
    EventKind,
    InsightReport,
    InstallmentStatus,
    Payee,
    ReminderKind,
    Stage,
)
from creators.models import DeliverableFormat
from kolhub.formatting import grouped, money


def label(choices, value: str) -> str:
    """The translated label of a choice value (the value itself for a retired one)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def describe_event(event: CollaborationEvent) -> str:
    """What happened, in the active language (the typed note, if any, is shown beside it)."""
    data = event.data or {}
    kind = event.kind
    if kind == EventKind.STAGE:
        return _("moved from “%(from)s” to “%(to)s”") % {
            "from": label(Stage, event.from_stage),
            "to": label(Stage, event.to_stage),
        }
    if kind == EventKind.DRAFT and "version" in data:
        return _("sent version %(version)s of the %(format)s") % {
            "version": data["version"],
            "format": label(DeliverableFormat, data.get("format", "")),
        }
    if kind == EventKind.REVIEW and "decision" in data:
        return _("%(decision)s on version %(version)s") % {
            "decision": label(Decision, data["decision"]),
            "version": data.get("version", "?"),
        }
    if kind == EventKind.EDITED and "fields" in data:
        return _("edited the terms: %(fields)s") % {"fields": _field_names(data["fields"])}
    if kind == EventKind.EDITED and "deliverable_added" in data:
        return _("added a deliverable: %(format)s") % {
            "format": label(DeliverableFormat, data["deliverable_added"])
        }
    if kind == EventKind.SHIPMENT and data.get("received"):
        return _("confirmed the product arrived")
    if kind == EventKind.PORTAL:
        return _portal_text(data)
    if kind == EventKind.POST and "url" in data:
        return _("sent the live post of the %(format)s: %(url)s") % {
            "format": label(DeliverableFormat, data.get("format", "")),
            "url": data["url"],
        }
    if kind == EventKind.INSIGHTS and "figures" in data:
        return _("reported insights of the %(format)s: %(figures)s") % {
            "format": label(DeliverableFormat, data.get("format", "")),
            "figures": _figures(data["figures"]),
        }
    if kind == EventKind.REMINDER and "reminder" in data:
        return _("reminder sent: %(what)s (%(date)s)") % {
            "what": label(ReminderKind, data["reminder"]),
            "date": data.get("due", ""),
        }
    if kind == EventKind.TAKEN_DOWN and "url" in data:
        return _taken_down_text(data)
    if kind == EventKind.PAYEE:
        return _payee_text(data)
    if kind == EventKind.PAYOUT and "action" in data:
        return _payout_text(data)
    if kind == EventKind.SIGNING and "document" in data:
        return _signing_text(data)
    return label(EventKind, kind)


def _payout_text(data: dict) -> str:
    params = {
        "label": data.get("label", ""),
        "amount": money(data.get("amount"), data.get("currency", ""), -2),
    }
    action = data["action"]
    if action == "added":
        return _("added the installment “%(label)s” of %(amount)s") % params
    if action == "edited":
        return _("changed the installment “%(label)s” (%(amount)s)") % params
    if action == "removed":
        return _("removed the installment “%(label)s” (%(amount)s)") % params
    if action == "invoice":
        return _("uploaded the invoice %(number)s for “%(label)s” (%(amount)s)") % {
            **params,
            "number": data.get("number", ""),
        }
    if action == InstallmentStatus.PAID:
        return _("marked “%(label)s” (%(amount)s) paid on %(date)s") % {
            **params,
            "date": data.get("paid_on", "?"),
        }
    return _("moved the installment “%(label)s” (%(amount)s) to “%(status)s”") % {
        **params,
        "status": label(InstallmentStatus, action),
    }


def _signing_text(data: dict) -> str:
    params = {
        "document": label(DocumentKind, data["document"]),
        "version": data.get("version", "?"),
        "name": data.get("name", ""),
    }
    if data.get("issued"):
        return _("issued version %(version)s of the %(document)s for signing") % params
    return _("%(name)s signed version %(version)s of the %(document)s") % params


def _taken_down_text(data: dict) -> str:
    params = {"url": data["url"], "days": data.get("days", "?"), "required": data.get("required")}
    if data.get("status") == "private":
        return (
            _("the post %(url)s was made private after %(days)s days (%(required)s agreed)")
            % params
        )
    return _("the post %(url)s was deleted after %(days)s days (%(required)s agreed)") % params


def _portal_text(data: dict) -> str:
    if "link_created_days" in data:
        days = data["link_created_days"]
        return ngettext(
            "created a portal link, valid for %(days)s day",
            "created a portal link, valid for %(days)s days",
            days,
        ) % {"days": days}
    if data.get("link_revoked"):
        return _("revoked the portal link")
    return _("opened the portal")


def _payee_text(data: dict) -> str:
    if data.get("exported") == "bank_batch":
        return _("exported the payee's bank details in a bank batch file")
    if data.get("exported") == "yearly":
        return _("exported the payee's tax ID in the yearly withholding statement file")
    if "revealed" in data:
        return _("revealed the payee's %(field)s") % {
            "field": _field_names([data["revealed"]], Payee)
        }
    if data.get("fields"):
        return _("updated the payment details: %(fields)s") % {
            "fields": _field_names(data["fields"], Payee)
        }
    return _("saved the payment details unchanged")


def _field_names(names: list[str], model: type[Model] = Collaboration) -> str:
    fields = {field.name: field for field in model._meta.fields}
    return ", ".join(str(fields[name].verbose_name) for name in names if name in fields)


def _figures(figures: dict[str, int]) -> str:
    fields = {field.name: field for field in InsightReport._meta.fields}
    return ", ".join(
        f"{fields[name].verbose_name} {grouped(value)}"
        for name, value in figures.items()
        if name in fields
    )
