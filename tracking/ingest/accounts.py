"""Account refresh: followers and audiences of the creators at work, slower than posts.

Accounts of creators in a running or observing campaign are read once a day, grouped by
provider and connection exactly like posts, and stored through the creators app (accounts,
daily AccountSnapshot, AudienceProfile, directory columns, and the comment sample read with
the figures, for the authenticity score).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from campaigns.models import CampaignStatus
from creators.models import AudienceSource, CommentSample, SocialAccount
from creators.services import AccountFigures, accounts_figures_record, comment_sample_add
from kolhub.models import Workspace
from tracking import marks
from tracking.ingest.faces import faces_fetch_soon
from tracking.ingest.providers import DEMO, PROVIDERS
from tracking.ingest.providers.base import AccountFigures as ProviderFigures
from tracking.ingest.providers.base import (
    AccountRef,
    AuthExpired,
    CommentTexts,
    ProviderError,
    RecentPost,
)
from tracking.ingest.pulls import Batch, connection_needs_reconnect, credentials_for
from tracking.models import COUNTERS, AccountPost, PlatformConnection

logger = logging.getLogger(__name__)

REFRESH_EVERY = timedelta(days=1)
# These platforms show an account's figures only to the account's own token: a workspace's
# connection would read its own account instead, so such accounts wait for their creator's.
OWNER_ONLY = {"tiktok", "facebook", "threads"}
ACTIVE_CAMPAIGNS = (CampaignStatus.RUNNING, CampaignStatus.OBSERVING)
DESCRIPTION_LENGTH = CommentSample._meta.get_field("description").max_length or 160


def refresh_batch(batch: Batch) -> tuple[int, int]:
    """Read and store one batch's accounts; returns (refreshed, failed)."""
    provider = PROVIDERS.get(batch.provider)
    accounts = list(SocialAccount.objects.filter(workspace_id=batch.workspace_id, pk__in=batch.ids))
    if provider is None or not accounts:
        return 0, len(accounts)
    figures: dict[int, AccountFigures] = {}
    recent: dict[int, tuple[RecentPost, ...]] = {}
    comments: dict[int, CommentTexts] = {}
    owner = _connection_account(batch)
    if batch.provider in OWNER_ONLY:
        accounts = [a for a in accounts if a.pk == owner]
    try:
        credentials = credentials_for(batch) if accounts else None
        for account in accounts:
            read = _read(provider, account, credentials, by_owner=account.pk == owner)
            if read is not None:
                figures[account.pk] = _figures(read)
                recent[account.pk] = read.recent_posts
                if read.comments is not None:
                    comments[account.pk] = read.comments
    except AuthExpired as exc:
        connection_needs_reconnect(batch, error=exc)
    except ProviderError as exc:
        # Throttled, out of quota, unreachable or not configured: the rest waits for the
        # next run; what was read so far is kept.
        logger.info("Account refresh of %s stopped: %s", batch.provider, exc.detail)
    # Stored as read by the platform's API, the day of the read: the pages say which platform
    # and when, and tell it from the profiles people enter by hand.
    source = AudienceSource.DEMO if batch.provider == DEMO else AudienceSource.API
    refreshed = accounts_figures_record(
        workspace=Workspace.objects.get(pk=batch.workspace_id),
        figures=figures,
        audience_source=source,
    )
    account_posts_record(workspace_id=batch.workspace_id, recent=recent)
    comment_samples_record(accounts=accounts, comments=comments)
    faces_fetch_soon(figures.keys())
    if refreshed:
        marks.account_scores_changed([batch.workspace_id])
    return refreshed, len(accounts) - refreshed


def _connection_account(batch: Batch) -> int | None:
    """The creator account a batch's connection belongs to (None: the workspace's own)."""
    if batch.connection_id is None:
        return None
    return (
        PlatformConnection.objects.filter(pk=batch.connection_id)
        .values_list("account_id", flat=True)
        .first()
    )


def _read(
    provider, account: SocialAccount, credentials, *, by_owner: bool
) -> ProviderFigures | None:
    ref = AccountRef(
        key=account.pk, platform_id=account.platform_id, handle=account.handle, by_owner=by_owner
    )
    try:
        return provider.fetch_account(ref, credentials)
    except ProviderError as exc:
        if type(exc) is not ProviderError:
            raise  # batch-level trouble (its subclasses): token, throttling, quota, network
        # A plain ProviderError concerns this account only (unknown channel, bad answer).
        logger.info("Account %s not refreshed: %s", account.pk, exc.detail)
        return None


def _figures(read: ProviderFigures) -> AccountFigures:
    return AccountFigures(
        followers=read.followers,
        following=read.following,
        posts_count=read.posts_count,
        audience={dimension: dict(shares) for dimension, shares in read.audience.items()},
        avatar_url=read.avatar_url,
    )


def comment_samples_record(
    *, accounts: list[SocialAccount], comments: dict[int, CommentTexts]
) -> int:
    """One platform comment sample per account read with comments; the description names the
    posts they were read from. Returns the samples stored."""
    stored = 0
    for account in accounts:
        sample = comments.get(account.pk)
        if sample is None or not sample.texts:
            continue
        comment_sample_add(
            account=account,
            comments=list(sample.texts[: CommentSample.MAX_COMMENTS]),
            source=CommentSample.Source.PLATFORM,
            description=", ".join(sample.posts)[:DESCRIPTION_LENGTH],
        )
        stored += 1
    return stored


def account_posts_record(*, workspace_id: int, recent: dict[int, tuple[RecentPost, ...]]) -> int:
    """Keep each account's latest posts as just listed; an account whose list came back
    empty (a failed extra call, a new account) keeps the list it had. A post that is still
    listed keeps the cover copied for it; the covers of posts no longer listed are deleted
    with them."""
    now = timezone.now()
    rows = [
        AccountPost(
            workspace_id=workspace_id,
            account_id=account_id,
            platform_id=post.platform_id[:64],
            url=post.url if len(post.url) <= 500 else "",
            thumbnail_source=post.cover_url,
            published_at=post.published_at,
            read_at=now,
            **{name: post.counters.get(name) for name in COUNTERS},
        )
        for account_id, posts in recent.items()
        for post in posts
    ]
    if not rows:
        return 0
    with transaction.atomic():
        AccountPost.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["account", "platform_id"],
            # The cover's address is refreshed (it expires); the copy already made stays.
            update_fields=["url", "thumbnail_source", "published_at", "read_at", *COUNTERS],
        )
        dropped = AccountPost.objects.filter(
            workspace_id=workspace_id,
            account_id__in={row.account_id for row in rows},
            read_at__lt=now,
        )
        covers = list(dropped.exclude(thumbnail="").values_list("thumbnail", flat=True))
        dropped.delete()
        storage = AccountPost._meta.get_field("thumbnail").storage
        for name in covers:
            transaction.on_commit(partial(storage.delete, name))
    return len(rows)
