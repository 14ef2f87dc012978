"""Social accounts and what is known of them: counts and their daily snapshots, audience
profiles and samples, comment samples."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from creators.audience import pack_identifiers
from creators.audience_labels import DIMENSIONS as AUDIENCE_LABEL_DIMENSIONS
from creators.audience_labels import canonical_shares
from creators.models import (
    AccountSnapshot,
    AudienceProfile,
    AudienceSample,
    CommentSample,
    Creator,
    SocialAccount,
)
from creators.services.directory import BATCH, creators_refresh_summary
from kolhub.models import Workspace


@transaction.atomic
def account_add(
    *,
    creator: Creator,
    platform: str,
    handle: str,
    url: str = "",
    platform_id: str = "",
    followers: int | None = None,
) -> SocialAccount:
    """Attach a social account to a creator (the form has checked it is not taken)."""
    from creators.parsing import canonical_url

    account = SocialAccount.objects.create(
        workspace=creator.workspace,
        creator=creator,
        platform=platform,
        handle=handle,
        profile_url=url or canonical_url(platform, handle, platform_id),
        platform_id=platform_id,
        followers=followers,
        last_refreshed_at=timezone.now() if followers is not None else None,
    )
    if followers is not None:
        account_snapshots_record(creator.workspace, [account])
    creators_refresh_summary(workspace=creator.workspace, creator_ids=[creator.pk])
    return account


def account_snapshots_record(workspace: Workspace, accounts: list[SocialAccount]) -> None:
    """One snapshot per account per day: a second import the same day overwrites it."""
    today: date = timezone.localdate()
    snapshots = [
        AccountSnapshot(
            workspace=workspace,
            account=a,
            captured_on=today,
            followers=a.followers,
            following=a.following,
            posts_count=a.posts_count,
        )
        for a in accounts
        if a.followers is not None
    ]
    AccountSnapshot.objects.bulk_create(
        snapshots,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["account", "captured_on"],
        update_fields=["followers", "following", "posts_count"],
    )


@dataclass(frozen=True)
class AccountFigures:
    """What a platform says about an account today; None where it did not say."""

    followers: int | None
    following: int | None = None
    posts_count: int | None = None
    # dimension ("age", "gender", "countries", "cities") → bucket → share of the audience
    audience: dict[str, dict[str, float]] = field(default_factory=dict)
    # Where the platform serves the profile picture now (https); "" when it did not say.
    avatar_url: str = ""


@transaction.atomic
def accounts_figures_record(
    *, workspace: Workspace, figures: dict[int, AccountFigures], audience_source: str
) -> int:
    """Store figures read from the platforms: the accounts' counts, today's snapshot, the
    audience profile of the day, and the creators' directory columns. Returns accounts updated."""
    accounts = list(SocialAccount.objects.for_workspace(workspace).filter(pk__in=figures))
    now = timezone.now()
    for account in accounts:
        read = figures[account.pk]
        for name in ("followers", "following", "posts_count"):
            value = getattr(read, name)
            if value is not None:
                setattr(account, name, value)
        account.last_refreshed_at = now
        _avatar_source(account, read.avatar_url)
    SocialAccount.objects.bulk_update(
        accounts,
        [
            "followers",
            "following",
            "posts_count",
            "last_refreshed_at",
            "avatar_source",
            "avatar_copied_at",
            "avatar_failures",
        ],
        batch_size=BATCH,
    )
    account_snapshots_record(workspace, accounts)
    _audience_today(workspace, accounts, figures, audience_source)
    creators_refresh_summary(workspace=workspace, creator_ids={a.creator_id for a in accounts})
    return len(accounts)


def _avatar_source(account: SocialAccount, url: str) -> None:
    """Keep the address the platform gives now (signed CDN addresses change every read). A
    different picture (another path on the CDN) is due at once, with fresh attempts; the
    same picture keeps its copy until it is AVATAR_KEEP old."""
    if not url or len(url) > 2000:
        return  # not said: what we have stays
    if _picture_path(url) != _picture_path(account.avatar_source):
        account.avatar_copied_at = None
        account.avatar_failures = 0
    account.avatar_source = url


def _picture_path(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:
        return url


def account_avatar_store(*, account_id: int, image: bytes) -> bool:
    """Keep this JPEG (the worker's copy of the account's picture) as its avatar; the picture
    it replaces is deleted once the change is committed. False when the account is gone."""
    account = SocialAccount.objects.filter(pk=account_id).first()
    if account is None:
        return False
    replaced = account.avatar.name
    account.avatar.save(f"{account.pk}.jpg", ContentFile(image), save=False)
    SocialAccount.objects.filter(pk=account.pk).update(
        avatar=account.avatar.name, avatar_copied_at=timezone.now(), avatar_failures=0
    )
    if replaced:
        transaction.on_commit(partial(account.avatar.storage.delete, replaced))
    return True


def account_avatar_failed(*, account_id: int) -> None:
    """Count a failed copy of the account's picture (AVATAR_ATTEMPTS and it waits)."""
    SocialAccount.objects.filter(pk=account_id).update(avatar_failures=F("avatar_failures") + 1)


AUDIENCE_DIMENSIONS = ("age", "gender", "countries", "cities", "languages")


def _audience_today(
    workspace: Workspace,
    accounts: list[SocialAccount],
    figures: dict[int, AccountFigures],
    source: str,
) -> None:
    """One profile per account, day and source: a second refresh the same day replaces it."""
    with_audience = [a for a in accounts if figures[a.pk].audience]
    today = timezone.localdate()
    AudienceProfile.objects.filter(
        account__in=with_audience, captured_on=today, source=source
    ).delete()
    AudienceProfile.objects.bulk_create(
        AudienceProfile(
            workspace=workspace,
            account=account,
            captured_on=today,
            source=source,
            **{
                # Stored under the vocabulary's keys: a platform's "F" is female, "Taipei,
                # Taiwan" is 台北市 (languages are kept as the platform writes them).
                dimension: canonical_shares(dimension, shares)
                if dimension in AUDIENCE_LABEL_DIMENSIONS
                else dict(shares)
                for dimension, shares in figures[account.pk].audience.items()
                if dimension in AUDIENCE_DIMENSIONS
            },
        )
        for account in with_audience
    )


def audience_profile_save(*, profile: AudienceProfile) -> AudienceProfile:
    """Save audience demographics entered by hand (with their screenshot, if any)."""
    profile.save()
    return profile


def audience_sample_add(
    *, account: SocialAccount, identifiers: Iterable[str], description: str = ""
) -> AudienceSample:
    """Store a list of audience identifiers of an account as packed hashes."""
    packed, size = pack_identifiers(identifiers)
    return AudienceSample.objects.create(
        workspace=account.workspace,
        account=account,
        description=description,
        size=size,
        hashes=packed,
    )


@transaction.atomic
def comment_sample_add(
    *, account: SocialAccount, comments: list[str], source: str, description: str = ""
) -> CommentSample:
    """Store the texts of comments on an account's posts; the account keeps its newest
    CommentSample.KEEP_PER_ACCOUNT samples."""
    texts = [text[: CommentSample.MAX_COMMENT_LENGTH] for text in comments]
    sample = CommentSample.objects.create(
        workspace=account.workspace,
        account=account,
        source=source,
        description=description,
        comments=texts,
        size=len(texts),
    )
    older = CommentSample.objects.filter(account=account).order_by("-created_at", "-pk")
    stale = older.values_list("pk", flat=True)[CommentSample.KEEP_PER_ACCOUNT :]
    CommentSample.objects.filter(pk__in=list(stale)).delete()
    return sample
