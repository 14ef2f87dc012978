from __future__ import annotations

from celery import shared_task

from campaigns import sweeps
from campaigns.services import emails
from campaigns.signing import audit
from campaigns.signing import services as signing_services


@shared_task(
    name="campaigns.tasks.send_reminders", ignore_result=True, soft_time_limit=600, time_limit=900
)
def send_reminders() -> None:
    """The daily run: approve drafts the brand left unanswered, then send due reminders."""
    sweeps.drafts_auto_approve()
    sweeps.reminders_send()


# Emails: a mail server that is down is retried with backoff, a few times.
EMAIL_TASK = {
    "ignore_result": True,
    "autoretry_for": (OSError,),
    "retry_backoff": 60,
    "max_retries": 5,
    "soft_time_limit": 30,
    "time_limit": 60,
}


@shared_task(name="campaigns.tasks.send_staff_reminders", **EMAIL_TASK)
def send_staff_reminders(workspace_id: int, user_id: int, reminder_ids: list[int]) -> None:
    """One email per team member with all of today's reminders about their collaborations."""
    emails.staff_reminders_email(
        workspace_id=workspace_id, user_id=user_id, reminder_ids=reminder_ids
    )


@shared_task(name="campaigns.tasks.send_creator_reminder", **EMAIL_TASK)
def send_creator_reminder(reminder_id: int) -> None:
    """A deadline reminder to the creator, in their portal's language, with the portal link."""
    emails.creator_reminder_email(reminder_id=reminder_id)


@shared_task(name="campaigns.tasks.send_paid_notice", **EMAIL_TASK)
def send_paid_notice(installment_id: int) -> None:
    """Tell the creator what was paid, in their portal's language (once per installment)."""
    emails.paid_notice_email(installment_id=installment_id)


# PDFs of documents to sign: a full disk or a storage hiccup is retried a few times.
PDF_TASK = {
    "ignore_result": True,
    "autoretry_for": (OSError,),
    "retry_backoff": 10,
    "max_retries": 5,
    "soft_time_limit": 120,
    "time_limit": 150,
}


@shared_task(name="campaigns.tasks.render_document_pdf", **PDF_TASK)
def render_document_pdf(document_id: int, workspace_id: int) -> None:
    """Print an issued contract version's PDF and freeze its SHA-256."""
    signing_services.document_pdf_render(document_id=document_id)


@shared_task(name="campaigns.tasks.store_signed_pdf", **PDF_TASK)
def store_signed_pdf(document_id: int, workspace_id: int) -> None:
    """Build and store a fully signed version's PDF with its audit page, once."""
    audit.signed_pdf_store(document_id=document_id)
