"""Cursor pages that stay right under inserts, ETag/304, query budgets."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.api.conftest import url
from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    PostFactory,
    SocialAccountFactory,
)


def _path(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def test_it_pages_by_cursor_without_skipping_or_repeating_under_inserts(api, workspace):
    first_ids = {CreatorFactory(workspace=workspace).pk for _ in range(5)}
    page = api.get(url(workspace, "creators") + "?page_size=2").json()
    seen = [c["id"] for c in page["results"]]
    # Rows created while the client pages do not shift the pages still to come.
    CreatorFactory(workspace=workspace)
    CreatorFactory(workspace=workspace)
    while page["next"]:
        page = api.get(_path(page["next"])).json()
        seen += [c["id"] for c in page["results"]]
    assert seen == sorted(first_ids, reverse=True)


def test_it_caps_the_page_size(api, workspace):
    CreatorFactory.create_batch(3, workspace=workspace)
    page = api.get(url(workspace, "creators") + "?page_size=100000").json()
    assert len(page["results"]) == 3


def test_it_answers_304_to_a_matching_etag(api, workspace):
    CreatorFactory(workspace=workspace)
    first = api.get(url(workspace, "creators"))
    assert first.status_code == 200 and first["ETag"]
    again = api.get(url(workspace, "creators"), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    CreatorFactory(workspace=workspace)
    changed = api.get(url(workspace, "creators"), headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_it_filters_and_searches_as_the_directory_does(api, workspace):
    create = url(workspace, "creators")
    api.post(
        create,
        {"display_name": "Lin Tea", "profile_url": "https://www.youtube.com/@lintea"},
        content_type="application/json",
    )
    api.post(create, {"display_name": "Wang Coffee"}, content_type="application/json")

    def names(query: str) -> list[str]:
        response = api.get(url(workspace, "creators") + query)
        return [c["display_name"] for c in response.json()["results"]]

    assert names("?q=tea") == ["Lin Tea"]
    assert names("?q=@lintea") == ["Lin Tea"]
    assert names("?platform=youtube") == ["Lin Tea"]
    assert set(names("")) == {"Lin Tea", "Wang Coffee"}


def test_it_lists_creators_in_a_bounded_number_of_queries(
    api, workspace, django_assert_max_num_queries
):
    for _ in range(20):
        SocialAccountFactory(creator=CreatorFactory(workspace=workspace))
    with django_assert_max_num_queries(14):
        response = api.get(url(workspace, "creators"))
    assert len(response.json()["results"]) == 20


def test_it_lists_campaigns_collaborations_and_posts_in_a_bounded_number_of_queries(
    api, workspace, brand, django_assert_max_num_queries
):
    campaign = CampaignFactory(brand=brand)
    for _ in range(10):
        PostFactory(collaboration=CollaborationFactory(campaign=campaign))
        CampaignFactory(brand=brand)
    for path in (
        "campaigns",
        f"campaigns/{campaign.pk}/collaborations",
        f"campaigns/{campaign.pk}/posts",
    ):
        with django_assert_max_num_queries(10):
            response = api.get(url(workspace, path))
        assert response.status_code == 200 and len(response.json()["results"]) >= 10


def test_it_lists_deliverables_links_conversions_and_snapshots_in_bounded_queries(
    api, workspace, brand, django_assert_max_num_queries
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import DeliverableFactory, DraftFactory, TrackedLinkFactory
    from tracking.models import Conversion, MetricSnapshot

    collaboration = CollaborationFactory(campaign=CampaignFactory(brand=brand))
    post = PostFactory(collaboration=collaboration)
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    for n in range(10):
        DraftFactory(deliverable=DeliverableFactory(collaboration=collaboration))
        TrackedLinkFactory(collaboration=collaboration)
        at = start - timedelta(hours=n)
        MetricSnapshot.objects.create(
            workspace=workspace, post=post, captured_at=at, bucket=at, source="api", views=n
        )
        Conversion.objects.create(
            workspace=workspace,
            channel="shopify",
            currency="TWD",
            order_id=f"o{n}",
            amount=10,
            occurred_at=start,
            collaboration=collaboration,
        )
    for path in (
        f"collaborations/{collaboration.pk}/deliverables",
        f"collaborations/{collaboration.pk}/links",
        f"posts/{post.pk}/snapshots",
        "conversions",
    ):
        with django_assert_max_num_queries(10):
            response = api.get(url(workspace, path))
        assert response.status_code == 200 and len(response.json()["results"]) == 10
