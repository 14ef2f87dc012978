"""Every Celery task of the tracking app, thin: each loads by id and calls one room.

Each task has an explicit `name=`, the one beat entries and queued messages use, so a task
keeps resolving wherever its code moves. Ingest sends tasks by these names too
(kolhub.celery.send_task_now), never by importing this module, which imports every room.
"""

from __future__ import annotations

import logging
import random

from celery import shared_task
from django.core.cache import cache

from campaigns.models import Campaign
from tracking import marks
from tracking.ingest import faces, pulls, refresh, thumbnails, upkeep
from tracking.ingest import sweeps as ingest_sweeps
from tracking.ingest.providers.base import TemporaryFailure
from tracking.results import account_scores, exports, figures
from tracking.results import sweeps as results_sweeps
from tracking.sales import clicks

logger = logging.getLogger(__name__)


@shared_task(
    name="tracking.tasks.register_published_posts",
    ignore_result=True,
    soft_time_limit=50,
    time_limit=60,
)
def register_published_posts() -> None:
    """Turn live post URLs sent through campaigns into followed posts, and the insights
    reported for them into snapshots."""
    ingest_sweeps.posts_register_published()
    ingest_sweeps.insights_to_snapshots()


@shared_task(
    name="tracking.tasks.schedule_pulls", ignore_result=True, soft_time_limit=50, time_limit=60
)
def schedule_pulls() -> int:
    """Claim the due posts and send one pull task per provider, connection and batch."""
    batches = ingest_sweeps.posts_claim_due()
    for batch in batches:
        pull_posts.delay(**batch.as_task_kwargs())
    return len(batches)


def backoff_seconds(retries: int) -> float:
    """Exponential backoff with jitter: about 30 s, 60 s, 2 min, 4 min… capped at 30 min."""
    return min(30 * 2**retries, 1800) * random.uniform(0.5, 1.5)


@shared_task(
    name="tracking.tasks.pull_posts",
    bind=True,
    ignore_result=True,
    max_retries=4,
    soft_time_limit=600,
    time_limit=660,
)
def pull_posts(
    self,
    *,
    provider: str,
    workspace_id: int,
    connection_id: int | None,
    post_ids: list[int],
    progress: str = "",
) -> None:
    """Pull one batch of posts. Acknowledged late: a worker lost mid-batch gets it redelivered,
    and the snapshot upsert makes the second run rewrite rather than add. A temporary failure
    part-way through is retried with only the posts it left unread. `progress` is the token of
    a “Refresh now” waiting for this batch."""
    batch = pulls.Batch(provider, workspace_id, connection_id, tuple(post_ids))
    report = pulls.pull_batch(batch)
    failure = report.error if isinstance(report.error, TemporaryFailure) else None
    if failure is not None and self.request.retries < self.max_retries:
        if progress:
            refresh.count_done(progress, len(post_ids) - len(report.unread))
        raise self.retry(
            kwargs={**self.request.kwargs, "post_ids": list(report.unread)},
            countdown=backoff_seconds(self.request.retries),
            exc=failure,
        )
    if failure is not None:
        logger.warning("Giving up on %s posts for now: %s", len(report.unread), failure.detail)
        pulls.posts_give_up_for_now(report.unread, workspace_id=workspace_id, error=failure)
    if progress:
        refresh.count_done(progress, len(post_ids))


# Well under the broker's visibility timeout, like every task. A run cut short keeps the
# batches it finished; the accounts left stay due for the next hourly run.
REFRESH_ACCOUNTS_TIME_LIMIT = 660


@shared_task(
    name="tracking.tasks.refresh_accounts",
    ignore_result=True,
    soft_time_limit=600,
    time_limit=REFRESH_ACCOUNTS_TIME_LIMIT,
)
def refresh_accounts() -> None:
    """Followers and audiences of the accounts at work, once a day each."""
    # One run at a time: a slow run must not overlap the next one.
    if not cache.add("tracking:refresh-accounts", "running", timeout=REFRESH_ACCOUNTS_TIME_LIMIT):
        return
    try:
        ingest_sweeps.accounts_refresh()
    finally:
        cache.delete("tracking:refresh-accounts")


@shared_task(
    name="tracking.tasks.connections_upkeep",
    ignore_result=True,
    soft_time_limit=300,
    time_limit=360,
)
def connections_upkeep() -> None:
    """Renew tokens before they lapse; ask creators to reconnect what only they can mend."""
    upkeep.connections_upkeep()


@shared_task(
    name="tracking.tasks.drain_clicks", ignore_result=True, soft_time_limit=50, time_limit=60
)
def drain_clicks() -> None:
    """Copy the clicks the web processes logged into the database (and recount their days)."""
    clicks.clicks_drain_unscoped()


@shared_task(
    name="tracking.tasks.fetch_thumbnails",
    ignore_result=True,
    soft_time_limit=300,
    time_limit=330,
)
def fetch_thumbnails(post_ids: list[int]) -> None:
    thumbnails.thumbnails_fetch(post_ids)


@shared_task(
    name="tracking.tasks.fetch_faces",
    ignore_result=True,
    soft_time_limit=300,
    time_limit=330,
)
def fetch_faces(
    account_ids: list[int] | None = None, account_post_ids: list[int] | None = None
) -> None:
    """Copy accounts' profile pictures and their latest posts' covers (after a refresh)."""
    faces.faces_fetch(account_ids=account_ids or [], account_post_ids=account_post_ids or [])


@shared_task(
    name="tracking.tasks.recompute_marked",
    ignore_result=True,
    soft_time_limit=50,
    time_limit=60,
)
def recompute_marked() -> None:
    """Every minute: recompute the figures that ingest and sales marked stale a debounce ago,
    one task per chunk of a workspace's campaigns and per workspace's account scores."""
    due = results_sweeps.marks_take_due()
    for workspace_id, campaign_ids in results_sweeps.campaigns_by_workspace(due.campaigns):
        recompute_campaigns_results.delay(workspace_id, campaign_ids)
    for workspace_id in due.workspaces:
        recompute_account_scores.delay(workspace_id)


@shared_task(
    name="tracking.tasks.recompute_campaign_results",
    ignore_result=True,
    soft_time_limit=300,
    time_limit=330,
)
def recompute_campaign_results(campaign_id: int) -> None:
    """Recompute and store one campaign's figures."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is not None:
        figures.campaign_result_compute(campaign)


@shared_task(
    name="tracking.tasks.recompute_campaigns_results",
    ignore_result=True,
    soft_time_limit=300,
    time_limit=330,
)
def recompute_campaigns_results(workspace_id: int, campaign_ids: list[int]) -> None:
    """Recompute and store some campaigns of one workspace at once."""
    figures.campaigns_results_compute(workspace_id, campaign_ids)


@shared_task(
    name="tracking.tasks.refresh_stale_results",
    ignore_result=True,
    soft_time_limit=50,
    time_limit=60,
)
def refresh_stale_results() -> None:
    """The hourly safety net: campaigns still watched whose figures are over an hour old."""
    marks.campaigns_changed(results_sweeps.campaigns_needing_results())


@shared_task(
    name="tracking.tasks.recompute_account_scores",
    ignore_result=True,
    soft_time_limit=600,
    time_limit=660,
)
def recompute_account_scores(workspace_id: int) -> None:
    """Recompute every account score of one workspace."""
    account_scores.account_scores_compute(workspace_id)


@shared_task(
    name="tracking.tasks.build_report_file",
    ignore_result=True,
    soft_time_limit=300,
    time_limit=330,
)
def build_report_file(report_file_id: int, workspace_id: int) -> None:
    """Build a large campaign's XLSX or PDF and store it for download."""
    exports.report_file_build(report_file_id=report_file_id)


@shared_task(
    name="tracking.tasks.prune_report_files",
    ignore_result=True,
    soft_time_limit=300,
    time_limit=330,
)
def prune_report_files() -> None:
    """Daily: delete report files of figures since recomputed, or kept long enough."""
    exports.report_files_prune()
