"""The pull pipeline: which posts are due, claiming them, pulling a batch, applying outcomes.

Beat runs `posts_claim_due` (tracking.ingest.sweeps) every minute; it claims due posts (SKIP
LOCKED, so several schedulers or a slow one never claim a post twice), groups them by provider
and connection with `route` and returns batches of at most PULL_TASK_POSTS posts, each pulled
by one task with `pull_batch`: small enough that a backlog makes work for every worker process
(8,000 posts make 80 tasks by default), while the call budgets stay shared whoever pulls
(ratelimit: a token bucket per platform in Redis; quota: YouTube's units per key in the
database), so more tasks never mean more calls than a platform allows.
A batch is read in the provider's chunks (YouTube: 50 ids a call) and each chunk's outcomes are
stored as soon as it is read, so trouble part-way through (a quota running out, a 5xx) loses
nothing already read, and a retry asks only for the posts left unread.
Applying outcomes is idempotent: a redelivered batch rewrites the same snapshot rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.services import post_taken_down
from creators.models import SocialAccount
from kolhub.celery import send_task_after_commit
from kolhub.models import Workspace
from tracking import webhooks
from tracking.ingest import oauth, services
from tracking.ingest.providers import DEMO, PROVIDERS
from tracking.ingest.providers.base import (
    AuthExpired,
    Credentials,
    ErrorCode,
    Fetched,
    Gone,
    NotConfigured,
    PostOutcome,
    PostRef,
    ProviderError,
    RateLimited,
    TemporaryFailure,
    Unreadable,
)
from tracking.ingest.providers.http import chunks
from tracking.ingest.snapshots import SnapshotRow, snapshots_write
from tracking.ingest.thumbnails import posts_wanting_cover
from tracking.models import (
    ConnectionKind,
    ConnectionLogin,
    ConnectionStatus,
    PlatformConnection,
    Post,
    PostStatus,
    SnapshotSource,
)

logger = logging.getLogger(__name__)

# (posts younger than, are pulled every): hourly for two days, six-hourly to a week, daily to
# a month, then weekly until the campaign's observation window ends.
CADENCE = (
    (timedelta(hours=48), timedelta(hours=1)),
    (timedelta(days=7), timedelta(hours=6)),
    (timedelta(days=30), timedelta(days=1)),
)
LATE_CADENCE = timedelta(days=7)
# A claimed post is not due again for this long: time for the task, its retries and a
# redelivery after a lost worker. Each batch sets the real next time when it finishes.
CLAIM_LEASE = timedelta(hours=1)
GONE = (PostStatus.DELETED, PostStatus.PRIVATE)
# A post a read says is gone is read once more this much later before it is marked deleted or
# private and its take-down alert fires; an answer sooner (a second click on "Refresh now", a
# redelivered batch) is no second opinion. Platforms answer "not found" for a while about a
# post being edited, re-processed or briefly held for review, and a caught-up replica or a
# listing served from a cache settles within minutes; half an hour is still well inside the
# hourly cadence of a young post, so a real take-down is reported the same hour.
RECHECK_AFTER = timedelta(minutes=30)
UNCONFIGURED_WAIT = timedelta(hours=6)
GIVE_UP_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class Batch:
    provider: str
    workspace_id: int
    connection_id: int | None
    ids: tuple[int, ...]  # posts (or accounts) of this batch

    def as_task_kwargs(self) -> dict:
        return {
            "provider": self.provider,
            "workspace_id": self.workspace_id,
            "connection_id": self.connection_id,
            "post_ids": list(self.ids),
        }


@dataclass
class PullReport:
    """What one batch did, for the task, the pull_metrics command and the logs.

    `error` is what stopped the batch, if anything did: the posts read before it are stored
    and in `fetched`; `unread` are the posts it left, which a TemporaryFailure's retry asks for
    again (other errors have already put them off, with the error, until a later pull).
    """

    fetched: dict[int, PostOutcome] = field(default_factory=dict)
    error: ProviderError | None = None
    snapshots: int = 0
    unread: tuple[int, ...] = ()
    # Posts answered gone that are not marked so yet: they are read again first (RECHECK_AFTER).
    suspected: set[int] = field(default_factory=set)


def next_pull_time(
    *, published_at: datetime, pulled_at: datetime, window_ends: datetime | None
) -> datetime | None:
    """When to pull a post next, from its age; None once the observation window is over."""
    if window_ends is not None and pulled_at >= window_ends:
        return None
    age = pulled_at - published_at
    step = next((every for younger_than, every in CADENCE if age < younger_than), LATE_CADENCE)
    upcoming = pulled_at + step
    return min(upcoming, window_ends) if window_ends is not None else upcoming


def window_end(observation_ends_on: date | None, zone: str) -> datetime | None:
    """The end of the observation window's last day, in the workspace's time zone."""
    if observation_ends_on is None:
        return None
    return datetime.combine(observation_ends_on + timedelta(days=1), time.min, ZoneInfo(zone))


# Claiming -------------------------------------------------------------------------------------


def route(due: Sequence[tuple[int, int, str, int]]) -> list[Batch]:
    """Group (post or account, workspace, platform, creator) rows by provider and connection."""
    workspaces = {row[1] for row in due}
    demo = set(
        Workspace.objects.filter(pk__in=workspaces, is_demo=True).values_list("pk", flat=True)
    )
    connections = _connection_map(workspaces)
    groups: dict[tuple[str, int, int | None], list[int]] = {}
    for post_id, workspace_id, platform, creator_id in due:
        provider = DEMO if workspace_id in demo else platform
        connection = None
        if provider != DEMO:
            connection = connections.get((workspace_id, platform, creator_id)) or connections.get(
                (workspace_id, platform, None)
            )
        groups.setdefault((provider, workspace_id, connection), []).append(post_id)
    batches = []
    for (provider, workspace_id, connection), ids in sorted(
        groups.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or 0)
    ):
        size = task_size(provider)
        batches += [
            Batch(provider, workspace_id, connection, tuple(ids[start : start + size]))
            for start in range(0, len(ids), size)
        ]
    return batches


def task_size(provider: str) -> int:
    """Posts per pull task: PULL_TASK_POSTS, in whole calls of the provider (YouTube reads 50
    ids a call, so a task of 100 makes two full calls), never less than one call."""
    per_call = getattr(PROVIDERS.get(provider), "batch_size", 1)
    wanted = max(settings.PULL_TASK_POSTS, 1)
    return max(per_call, wanted - wanted % per_call)


def _connection_map(workspaces: Iterable[int]) -> dict[tuple[int, str, int | None], int]:
    """(workspace, platform, creator or None for the workspace's own) → connection id."""
    rows = PlatformConnection.objects.filter(
        workspace_id__in=workspaces, status=ConnectionStatus.ACTIVE
    ).values_list("pk", "workspace_id", "platform", "account__creator_id")
    mapping: dict[tuple[int, str, int | None], int] = {}
    for pk, workspace_id, platform, creator_id in rows.order_by("pk"):
        mapping.setdefault((workspace_id, platform, creator_id), pk)
    return mapping


# Pulling --------------------------------------------------------------------------------------


def credentials_for(batch: Batch) -> Credentials:
    if batch.provider == DEMO:
        return Credentials(token="", base_url="")
    base_url = settings.PROVIDER_BASE_URLS.get(batch.provider, "")
    if batch.connection_id is not None:
        connection = PlatformConnection.objects.filter(workspace_id=batch.workspace_id).get(
            pk=batch.connection_id
        )
        if connection.status != ConnectionStatus.ACTIVE or not connection.token:
            raise NotConfigured(
                f"The {batch.provider} connection {connection} is not working",
                code=ErrorCode.CONNECTION_OFF,
            )
        connection_renew_if_due(connection)
        return Credentials(
            token=connection.token,
            base_url=_api_url(connection, base_url),
            account_id=connection.external_id,
            connection_id=connection.pk,
            # route() gives a creator's connection only that creator's posts.
            reads_own_posts=connection.account_id is not None,
            bearer=connection.kind == ConnectionKind.OAUTH,
        )
    if batch.provider == "youtube" and settings.YOUTUBE_API_KEY:
        return Credentials(token=settings.YOUTUBE_API_KEY, base_url=base_url)
    raise NotConfigured(f"No {batch.provider} connection in this workspace to read its posts")


def _api_url(connection: PlatformConnection, default: str) -> str:
    """Where the connection's token is good: an Instagram Login token on Instagram's own host."""
    if connection.login == ConnectionLogin.INSTAGRAM:
        return settings.PROVIDER_BASE_URLS["instagram_login"]
    return default


def connection_renew_if_due(connection: PlatformConnection) -> None:
    """Tokens that expire are renewed before they lapse (each login's renew_ahead)."""
    if not oauth.renewal_due(
        connection.login,
        expires_at=connection.expires_at,
        refresh_token=connection.refresh_token,
    ):
        return
    try:
        grant = oauth.renew(
            connection.login, token=connection.token, refresh_token=connection.refresh_token
        )
    except oauth.ConnectFailed as exc:
        raise AuthExpired(str(exc)) from exc
    services.connection_token_renew(connection=connection, grant=grant)


def pull_batch(batch: Batch, *, now: datetime | None = None) -> PullReport:
    """Pull one batch chunk by chunk, storing each chunk's outcomes as it arrives.

    Errors are reported, never raised: a TemporaryFailure leaves `report.unread` for the
    caller to retry; any other error puts the unread posts off with the error as their reason.
    """
    posts = list(
        Post.objects.filter(workspace_id=batch.workspace_id)
        .filter(pk__in=batch.ids)
        .select_related("collaboration__campaign", "collaboration__creator", "workspace")
        # A creator's posts side by side, so a chunk read by its author's public listing
        # (Instagram business discovery) needs that listing once.
        .order_by("collaboration__creator_id", "pk")
    )
    report = PullReport()
    if not posts:
        return report
    source = SnapshotSource.DEMO if batch.provider == DEMO else SnapshotSource.API
    unread = posts
    try:
        provider = PROVIDERS.get(batch.provider)
        if provider is None:
            raise NotConfigured(
                f"KOLHub cannot read {batch.provider} posts yet",
                code=ErrorCode.UNSUPPORTED_PLATFORM,
            )
        credentials = credentials_for(batch)
        handles = author_handles(posts)
        for chunk in chunks(posts, provider.batch_size):
            fetched = provider.fetch_posts([_ref(post, handles) for post in chunk], credentials)
            report.fetched.update(fetched)
            report.snapshots += outcomes_apply(chunk, fetched, source=source, now=now)
            report.suspected.update(
                post.pk
                for post in chunk
                if post.gone_suspected_at is not None and isinstance(fetched.get(post.pk), Gone)
            )
            unread = unread[len(chunk) :]
    except ProviderError as exc:
        report.error = exc
        report.unread = tuple(post.pk for post in unread)
        _put_off(batch, unread, exc, now=now or timezone.now())
    webhooks.metrics_pulled(posts, report.fetched, at=now or timezone.now())
    return report


def _put_off(batch: Batch, posts: Sequence[Post], error: ProviderError, *, now: datetime) -> None:
    """Settle the posts an error left unread: when they are tried again, and why."""
    if isinstance(error, TemporaryFailure):
        return  # the task retries them with a backoff, then gives up on them for now
    if isinstance(error, RateLimited):
        posts_postpone(posts, until=error.retry_at, error=error)
    elif isinstance(error, AuthExpired):
        connection_needs_reconnect(batch, error=error)
        posts_postpone(posts, until=None, error=error)
    elif isinstance(error, NotConfigured):
        posts_postpone(posts, until=now + UNCONFIGURED_WAIT, error=error)
    else:
        posts_postpone(posts, until=now + GIVE_UP_WAIT, error=error)


def author_handles(posts: Sequence[Post]) -> dict[tuple[int, str], str]:
    """(creator, platform) → the creator's handle there, in one query for the whole batch.

    A provider reading through someone else's connection finds the posts by their author's
    public account (Instagram business discovery). A creator with several accounts on one
    platform is looked up by the most followed: the one a campaign usually books.
    """
    wanted = {(post.collaboration.creator_id, post.platform) for post in posts}
    rows = (
        SocialAccount.objects.filter(
            workspace_id__in={post.workspace_id for post in posts},
            creator_id__in={creator for creator, _platform in wanted},
            platform__in={platform for _creator, platform in wanted},
        )
        .order_by(F("followers").desc(nulls_last=True), "pk")
        .values_list("creator_id", "platform", "handle")
    )
    handles: dict[tuple[int, str], str] = {}
    for creator_id, platform, handle in rows:
        handles.setdefault((creator_id, platform), handle)
    return handles


def _ref(post: Post, handles: dict[tuple[int, str], str]) -> PostRef:
    return PostRef(
        key=post.pk,
        platform_id=post.platform_id,
        url=post.url,
        published_at=post.published_at,
        author_handle=handles.get((post.collaboration.creator_id, post.platform), ""),
    )


@transaction.atomic
def outcomes_apply(
    posts: Sequence[Post],
    outcomes: dict[int, PostOutcome],
    *,
    source: str,
    now: datetime | None = None,
) -> int:
    """Write the snapshots, statuses and next pull times of a pulled batch."""
    now = now or timezone.now()
    rows: list[SnapshotRow] = []
    taken_down: list[Post] = []
    for post in posts:
        outcome = outcomes.get(post.pk) or Unreadable("The platform's answer left this post out")
        if isinstance(outcome, Fetched):
            rows.append(
                SnapshotRow(
                    post_id=post.pk,
                    workspace_id=post.workspace_id,
                    captured_at=now,
                    source=source,
                    counters=outcome.counters,
                    raw=outcome.raw,
                )
            )
            _mark_live(post, outcome)
            post.thumbnail_source = outcome.thumbnail_url or post.thumbnail_source
            _note_watch_time(post, outcome, now)
        elif isinstance(outcome, Gone):
            if _gone_confirmed(post, outcome, now):
                taken_down.append(post)
            _note_error(post, outcome.code, outcome.detail)
        else:
            _suspicion_lapses(post, now)
            _note_error(post, outcome.code, outcome.detail)
        post.next_pull_at = next_pull_for(post, now)
    Post.objects.bulk_update(
        posts,
        [
            "status",
            "gone_at",
            "gone_suspected_at",
            "last_error",
            "error_code",
            "failures",
            "published_at",
            "next_pull_at",
            "thumbnail_source",
            "watch_minutes",
        ],
        batch_size=1000,
    )
    written = snapshots_write(rows=rows)
    covers_fetch_soon(posts)
    for post in taken_down:
        _check_live_period(post, now)
        webhooks.post_taken_down(post)
    return written


def covers_fetch_soon(posts: Sequence[Post]) -> None:
    """The worker copies the covers it has not got yet, after this pull is committed."""
    wanted = posts_wanting_cover(posts)
    if wanted:
        send_task_after_commit("tracking.tasks.fetch_thumbnails", wanted)


def _check_live_period(post: Post, now: datetime) -> None:
    """A post gone within the contract's minimum live period is an alert on its collaboration."""
    if post.published_at is None:
        return
    post_taken_down(
        collaboration=post.collaboration,
        url=post.url,
        status=post.status,
        published_at=post.published_at,
        # Dated from the first read that found it gone, not from the re-check confirming it.
        noticed_at=post.gone_at or now,
    )


def _gone_confirmed(post: Post, outcome: Gone, now: datetime) -> bool:
    """Settle a "gone" answer; True when it newly takes the post down (the alert is due).

    The first answer only records the suspicion; a second one at least RECHECK_AFTER later
    confirms it, dated from the first. A post already marked gone just follows the answer
    (deleted after private, say), without a second alert.
    """
    if post.status in GONE:
        post.status = outcome.status
        return False
    if post.gone_suspected_at is None:
        post.gone_suspected_at = now
        return False
    if now < post.gone_suspected_at + RECHECK_AFTER:
        return False  # too soon to count as a second look
    post.status = outcome.status
    post.gone_at = post.gone_suspected_at
    post.gone_suspected_at = None
    return True


def _suspicion_lapses(post: Post, now: datetime) -> None:
    """The re-check could not read the post (unreadable, not shown to this connection): it
    did not say "gone" again, so nothing is asserted and the post no longer reads as being
    checked. A later "gone" starts a new suspicion. Sooner than the re-check, it stands."""
    if post.gone_suspected_at is not None and now >= post.gone_suspected_at + RECHECK_AFTER:
        post.gone_suspected_at = None


def _mark_live(post: Post, outcome: Fetched) -> None:
    post.status = PostStatus.LIVE
    post.gone_at = None
    post.gone_suspected_at = None
    post.last_error = ""
    post.error_code = ""
    post.failures = 0
    if post.published_at is None and outcome.published_at is not None:
        post.published_at = outcome.published_at


def _note_watch_time(post: Post, outcome: Fetched, now: datetime) -> None:
    """Keep the watch time the platform said, unless this read is older than the post's last
    (a late retry); a read that says nothing keeps the last one, as counters do."""
    if outcome.watch_minutes is None or (post.last_pulled_at and post.last_pulled_at > now):
        return
    post.watch_minutes = outcome.watch_minutes


def next_pull_for(post: Post, now: datetime) -> datetime | None:
    if post.gone_suspected_at is not None and post.gone_suspected_at + RECHECK_AFTER > now:
        # The one re-check of a post answered gone, even past the observation window: whether
        # it was taken down too early is still to be told. (Sooner than any cadence step.)
        return post.gone_suspected_at + RECHECK_AFTER
    campaign = post.collaboration.campaign
    upcoming = next_pull_time(
        published_at=post.published_at or post.created_at,
        pulled_at=now,
        window_ends=window_end(campaign.observation_ends_on, post.workspace.timezone),
    )
    if upcoming is not None and post.status in GONE:
        # A post that is gone is looked at once a day in case it comes back.
        upcoming = max(upcoming, now + timedelta(days=1))
    return upcoming


def _note_error(post: Post, code: str, detail: str) -> None:
    post.error_code = code
    post.last_error = detail[:500]


def posts_postpone(posts: Sequence[Post], *, until: datetime | None, error: ProviderError) -> None:
    """Nothing was read: keep the counters, note why, and come back at `until` (or never)."""
    Post.objects.filter(pk__in=[post.pk for post in posts]).update(
        next_pull_at=until, last_error=error.detail[:500], error_code=error.code
    )


def posts_give_up_for_now(
    post_ids: Sequence[int], *, workspace_id: int, error: ProviderError
) -> None:
    """Retries are spent on a temporary failure: count it and come back in an hour."""
    posts = list(Post.objects.filter(workspace_id=workspace_id, pk__in=post_ids))
    for post in posts:
        post.failures = min(post.failures + 1, 1000)
        _note_error(post, error.code, error.detail)
        post.next_pull_at = timezone.now() + GIVE_UP_WAIT * min(post.failures, 24)
    Post.objects.bulk_update(posts, ["failures", "last_error", "error_code", "next_pull_at"])


def connection_needs_reconnect(batch: Batch, *, error: ProviderError) -> None:
    if batch.connection_id is not None:
        connection_refused(batch.connection_id, error=error)


def connection_refused(connection_id: int, *, error: ProviderError) -> None:
    """Mark the connection broken once and tell the workspace's owners; no retry loop.

    A refused OAuth token (expired, or the grant revoked on the platform) is deleted at once:
    it can never read again, and a revoked consent must leave nothing behind. A refused API
    key is kept: it may work again once its project is fixed."""
    refused = PlatformConnection.objects.filter(pk=connection_id, status=ConnectionStatus.ACTIVE)
    refused.filter(kind=ConnectionKind.OAUTH).update(token="", refresh_token="")
    changed = refused.update(
        status=ConnectionStatus.NEEDS_RECONNECT,
        last_error=error.detail[:500],
        error_code=error.code,
    )
    if not changed:
        return
    connection = PlatformConnection.objects.select_related("workspace").get(pk=connection_id)
    workspace = connection.workspace
    services.owners_tell(
        workspace=workspace,
        message=lambda: (
            _(
                "The %(platform)s connection “%(name)s” stopped working: reconnect it so its posts "
                "are followed again."
            )
            % {"platform": connection.get_platform_display(), "name": connection.label or "—"}
        ),
    )
    logger.warning("Connection %s needs reconnecting: %s", connection.pk, error.detail)
