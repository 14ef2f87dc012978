"""Creators as edited by hand: the profile with its rates and labels, merging duplicates,
shortlists."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from creators.models import Category, Creator, RateCardItem, Shortlist, SocialAccount, Tag
from creators.services.directory import creators_refresh_summary
from kolhub.models import Workspace


@transaction.atomic
def creator_save(
    *,
    creator: Creator,
    categories: Iterable[Category] | None = None,
    tag_names: Iterable[str] | None = None,
    rates: dict | None = None,
) -> Creator:
    """Create or update a creator from its validated form; keeps the directory columns current."""
    creator.save()
    if categories is not None:
        creator.categories.set(list(categories))
    if tag_names is not None:
        names = set(tag_names)
        ids = labels_get_or_create(creator.workspace, Tag, names) if names else {}
        creator.tags.set(list(ids.values()))
    if rates is not None:
        _set_rates(creator, rates)
    creators_refresh_summary(workspace=creator.workspace, creator_ids=[creator.pk])
    creator.refresh_from_db()
    return creator


def _set_rates(creator: Creator, rates: dict) -> None:
    """The rate card as given: a price per format, an empty price removes that format."""
    RateCardItem.objects.filter(creator=creator).exclude(
        format__in=[f for f, price in rates.items() if price is not None]
    ).delete()
    for rate_format, price in rates.items():
        if price is not None:
            RateCardItem.objects.update_or_create(
                workspace=creator.workspace,
                creator=creator,
                format=rate_format,
                defaults={"price": price},
            )


def labels_get_or_create(workspace: Workspace, model, names: set[str]) -> dict[str, int]:
    """The ids of these labels (Category or Tag) by name; the missing ones are created."""
    existing = dict(
        model.objects.for_workspace(workspace).filter(name__in=names).values_list("name", "pk")
    )
    missing = [model(workspace=workspace, name=n) for n in names if n not in existing]
    if missing:
        model.objects.bulk_create(missing, ignore_conflicts=True)
        existing = dict(
            model.objects.for_workspace(workspace).filter(name__in=names).values_list("name", "pk")
        )
    return existing


_MERGE_FILLED_FIELDS = (
    "real_name",
    "bio",
    "region",
    "city",
    "languages",
    "email",
    "phone",
    "line_id",
    "agent_name",
    "agent_contact",
    "classification",
    "classification_reason",
)


class MergeRefused(Exception):
    """A merge that would delete a creator other rows hold on to; the message says why."""


@transaction.atomic
def creators_merge(*, target: Creator, source: Creator) -> Creator:
    """Fold `source` into `target` (accounts, history, rates, labels, blanks), then delete it;
    MergeRefused (and nothing changed) if `source` is on a campaign's roster."""
    if source.pk == target.pk or source.workspace_id != target.workspace_id:
        raise ValueError("merge needs two creators of one workspace")
    SocialAccount.objects.filter(creator=source).update(creator=target)
    target_formats = set(target.rates.values_list("format", flat=True))
    RateCardItem.objects.filter(creator=source).exclude(format__in=target_formats).update(
        creator=target
    )
    target.categories.add(*source.categories.all())
    target.tags.add(*source.tags.all())
    for shortlist in source.shortlists.all():
        shortlist.creators.add(target)
    for name in _MERGE_FILLED_FIELDS:
        if not getattr(target, name) and getattr(source, name):
            setattr(target, name, getattr(source, name))
    if source.notes:
        target.notes = "\n\n".join(n for n in (target.notes, source.notes) if n)
    target.save()
    try:
        source.delete()
    except ProtectedError:  # a collaboration holds on to it (campaigns protect their creators)
        raise MergeRefused(
            _(
                "“%(source)s” is on a campaign roster, so merging would delete it: open "
                "“%(source)s” and merge “%(target)s” into it instead."
            )
            % {"source": source.display_name, "target": target.display_name}
        ) from None
    creators_refresh_summary(workspace=target.workspace, creator_ids=[target.pk])
    target.refresh_from_db()
    return target


@transaction.atomic
def shortlist_add(
    *, workspace: Workspace, creator_ids: Iterable[int], user, name: str
) -> tuple[Shortlist, int]:
    """Add creators of this workspace to the shortlist of that name (made if new)."""
    shortlist, _ = Shortlist.objects.get_or_create(
        workspace=workspace, name=name.strip()[:120], defaults={"created_by": user}
    )
    creators = Creator.objects.for_workspace(workspace).filter(pk__in=list(creator_ids))
    before = shortlist.creators.count()
    shortlist.creators.add(*creators)
    return shortlist, shortlist.creators.count() - before


def shortlist_remove(*, shortlist: Shortlist, creator: Creator) -> None:
    """Take a creator off a shortlist (the creator stays on the roster)."""
    shortlist.creators.remove(creator)
