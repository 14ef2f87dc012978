from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from creators.admin import RateCardInline
from creators.models import (
    AccountSnapshot,
    AudienceSample,
    CommentSample,
    Creator,
    CreatorImport,
    RateCardItem,
    TierThresholds,
)
from tests.admin_posting import as_posted
from tests.factories import (
    AccountSnapshotFactory,
    CreatorFactory,
    CreatorImportFactory,
    ShortlistFactory,
    SocialAccountFactory,
    UserFactory,
)


def _queries(client, url: str) -> int:
    # A first visit fills the caches every later visit reads (content types, the session).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _superuser_request():
    request = RequestFactory().get("/")
    request.user = UserFactory.build(is_superuser=True, is_active=True)
    return request


def test_it_keeps_account_snapshots_read_only(superuser_client, workspace):
    snapshot = AccountSnapshotFactory(account__creator__workspace=workspace)
    url = reverse("admin:creators_accountsnapshot_change", args=[snapshot.pk])
    assert superuser_client.get(url).status_code == 200
    assert superuser_client.post(url, {"followers": 1}).status_code == 403
    assert superuser_client.get(reverse("admin:creators_accountsnapshot_add")).status_code == 403
    model_admin = admin.site._registry[AccountSnapshot]
    assert not model_admin.has_delete_permission(_superuser_request())


@pytest.mark.parametrize(
    "model", [AudienceSample, CommentSample, CreatorImport], ids=lambda m: m.__name__
)
def test_it_makes_samples_and_imports_only_on_the_pages(superuser_client, model):
    url = reverse(f"admin:creators_{model._meta.model_name}_add")
    assert superuser_client.get(url).status_code == 403


def test_an_import_is_inspected_and_deleted_not_edited(superuser_client, workspace):
    job = CreatorImportFactory(workspace=workspace)
    url = reverse("admin:creators_creatorimport_change", args=[job.pk])
    assert superuser_client.post(url, {"filename": "other.csv"}).status_code == 403
    delete = reverse("admin:creators_creatorimport_delete", args=[job.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 302
    assert not CreatorImport.objects.filter(pk=job.pk).exists()


def test_a_creator_opens_in_the_same_queries_whatever_their_accounts(superuser_client, workspace):
    creator = CreatorFactory(workspace=workspace)
    SocialAccountFactory(creator=creator)
    url = reverse("admin:creators_creator_change", args=[creator.pk])
    with_one = _queries(superuser_client, url)
    SocialAccountFactory.create_batch(4, creator=creator)
    for format in ("ig_post", "ig_reel", "yt_video"):
        RateCardItem.objects.create(workspace=workspace, creator=creator, format=format, price=1)
    assert _queries(superuser_client, url) == with_one


def test_snapshots_list_without_a_query_per_row(superuser_client, workspace):
    url = reverse("admin:creators_accountsnapshot_changelist")
    AccountSnapshotFactory(account__creator__workspace=workspace)
    with_one = _queries(superuser_client, url)
    AccountSnapshotFactory.create_batch(4, account__creator__workspace=workspace)
    assert _queries(superuser_client, url) == with_one


def test_it_counts_a_shortlists_creators(superuser_client, workspace):
    shortlist = ShortlistFactory(workspace=workspace, name="Tea lovers")
    shortlist.creators.set(CreatorFactory.create_batch(3, workspace=workspace))
    response = superuser_client.get(reverse("admin:creators_shortlist_changelist"))
    row = next(line for line in response.text.splitlines() if "Tea lovers" in line)
    assert '<td class="field-creator_count">3</td>' in row


def test_a_rate_added_inline_belongs_to_the_creators_workspace(workspace):
    creator = CreatorFactory(workspace=workspace)
    formset_class = RateCardInline(Creator, admin.site).get_formset(_superuser_request(), creator)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-format": "ig_post",
        f"{prefix}-0-price": "12000",
    }
    formset = formset_class(data, instance=creator, prefix=prefix)
    assert formset.is_valid(), formset.errors
    formset.save()
    assert RateCardItem.objects.get(creator=creator).workspace == workspace


def test_a_creator_saved_in_the_admin_keeps_the_directory_current(superuser_client, workspace):
    creator = CreatorFactory(workspace=workspace, display_name="Mei")
    SocialAccountFactory(creator=creator, handle="mei.daily", followers=25_000)
    url = reverse("admin:creators_creator_change", args=[creator.pk])
    data = as_posted(superuser_client.get(url))
    data.update(
        {
            "display_name": "Mei Chen",
            "rates-TOTAL_FORMS": "1",
            "rates-0-format": "ig_post",
            "rates-0-price": "8000",
        }
    )
    assert superuser_client.post(url, data).status_code == 302
    creator.refresh_from_db()
    assert "mei chen" in creator.search_text
    assert (creator.total_followers, creator.min_price) == (25_000, 8000)


def test_a_rate_changed_in_the_admin_moves_the_creators_lowest_price(superuser_client, workspace):
    creator = CreatorFactory(workspace=workspace)
    rate = RateCardItem.objects.create(
        workspace=workspace, creator=creator, format="ig_post", price=5000
    )
    url = reverse("admin:creators_ratecarditem_change", args=[rate.pk])
    data = {"creator": creator.pk, "format": "ig_post", "price": "3000", "note": ""}
    assert superuser_client.post(url, data).status_code == 302
    creator.refresh_from_db()
    assert creator.min_price == 3000


def test_thresholds_changed_in_the_admin_re_tier_the_workspace(superuser_client, workspace):
    account = SocialAccountFactory(creator__workspace=workspace, followers=25_000)
    thresholds = TierThresholds.objects.get_or_create(workspace=workspace)[0]
    url = reverse("admin:creators_tierthresholds_change", args=[thresholds.pk])
    data = as_posted(superuser_client.get(url))
    data.update({"micro_min": "1000", "mid_min": "2000", "macro_min": "3000", "mega_min": "4000"})
    assert superuser_client.post(url, data).status_code == 302
    account.refresh_from_db()
    assert account.tier == "mega"
