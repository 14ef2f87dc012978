"""Faces on the roster: each account's profile picture and its latest posts' covers, named by
the platform in the account refresh and copied by the worker once the refresh is committed.

Both go through the covers' pipeline (tracking.ingest.thumbnails: public https addresses only,
bytes and pixels capped, decoded and re-encoded as JPEG). A picture is cut to a small square
and kept by the roster, which tracking writes through (creators.services); a post's cover is
kept on its AccountPost like a followed post's.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence

from django.utils import timezone

from creators import services
from creators.models import SocialAccount
from kolhub.celery import send_task_after_commit
from tracking.ingest import public_fetch
from tracking.ingest.providers.http import chunks
from tracking.ingest.thumbnails import (
    MAX_FAILURES,
    CoverUnavailable,
    avatar_tile,
    image_bytes,
    thumbnails_fetch,
)
from tracking.models import AccountPost

log = logging.getLogger(__name__)

# Images a task copies at most: a refresh of 50 accounts (600 covers) spreads over workers,
# and a task cut short by its time limit leaves the rest due for the next refresh.
PER_TASK = 24
# Profile pictures are a few kilobytes; anything this big is not one.
AVATAR_MAX_BYTES = 2 * 1024 * 1024


def faces_fetch_soon(account_ids: Collection[int]) -> None:
    """Once the refresh is committed, the worker copies the pictures these accounts are due
    and the covers their latest posts still lack, PER_TASK images a task."""
    for chunk in chunks(accounts_wanting_avatar(account_ids), PER_TASK):
        send_task_after_commit("tracking.tasks.fetch_faces", account_ids=list(chunk))
    for chunk in chunks(account_posts_wanting_cover(account_ids), PER_TASK):
        send_task_after_commit("tracking.tasks.fetch_faces", account_post_ids=list(chunk))


def accounts_wanting_avatar(account_ids: Collection[int]) -> list[int]:
    now = timezone.now()
    accounts = (
        SocialAccount.objects.filter(pk__in=account_ids)
        .exclude(avatar_source="")
        .only("pk", "avatar_source", "avatar_copied_at", "avatar_failures")
        .order_by("pk")
    )
    return [account.pk for account in accounts if account.avatar_due(now)]


def account_posts_wanting_cover(account_ids: Collection[int]) -> list[int]:
    return list(
        AccountPost.objects.filter(
            account_id__in=account_ids, thumbnail="", thumbnail_failures__lt=MAX_FAILURES
        )
        .exclude(thumbnail_source="")
        .order_by("-published_at", "pk")
        .values_list("pk", flat=True)
    )


def faces_fetch(
    *, account_ids: Sequence[int] = (), account_post_ids: Sequence[int] = ()
) -> tuple[int, int]:
    """Copy the pictures and covers of these rows still due (PER_TASK of each at most);
    returns how many pictures and covers were stored."""
    covers = (
        thumbnails_fetch(account_post_ids[:PER_TASK], model=AccountPost) if account_post_ids else 0
    )
    return avatars_fetch(account_ids[:PER_TASK]), covers


def avatars_fetch(account_ids: Sequence[int]) -> int:
    """Download, square and store the pictures of these accounts that are due."""
    if not account_ids:
        return 0
    now = timezone.now()
    due = [a for a in SocialAccount.objects.filter(pk__in=account_ids) if a.avatar_due(now)]
    stored = 0
    with public_fetch.client("KOLHub picture fetcher") as http:
        for account in due:
            try:
                source = image_bytes(http, account.avatar_source, max_bytes=AVATAR_MAX_BYTES)
                picture = avatar_tile(source)
            except CoverUnavailable as exc:
                # The code only: the address may carry a CDN's signature.
                log.info("No picture for account %s: %s", account.pk, exc.code)
                services.account_avatar_failed(account_id=account.pk)
                continue
            stored += services.account_avatar_store(account_id=account.pk, image=picture)
    return stored
