"""The demo workspace's posts come with histories, and its worker keeps them growing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tracking.ingest.providers.demo_data import demo_counters
from tracking.models import MetricSnapshot, Post, PostStatus, SnapshotSource


@pytest.fixture
def demo(seeded_demo, db):
    # Seeded once for the module; each test's changes are rolled back (tests/conftest.py).
    return Post.objects.filter(workspace__slug="demo-agency")


def test_published_demo_posts_are_followed_with_a_history(demo):
    assert demo.count() >= 5
    assert not demo.exclude(status=PostStatus.LIVE).exists()
    for post in demo:
        views = list(
            MetricSnapshot.objects.filter(post=post)
            .order_by("captured_at")
            .values_list("views", flat=True)
        )
        assert len(views) >= 2, post.url
        assert views == sorted(views), "demo counters never go down"
        assert post.views == views[-1]
    assert set(MetricSnapshot.objects.values_list("source", flat=True)) == {SnapshotSource.DEMO}


def test_posts_still_in_their_window_are_due_again(demo):
    assert demo.filter(next_pull_at__isnull=False).exists()


def test_seeding_again_adds_nothing(demo):
    before = MetricSnapshot.objects.count()
    call_command("seed_demo", verbosity=0)
    assert MetricSnapshot.objects.count() == before


def test_demo_curves_rise_fast_then_flatten():
    early, day, month = (demo_counters("x", hours)["views"] for hours in (2, 24, 720))
    assert 0 < early < day < month
    assert month - day < day * 4


def test_the_demo_has_links_clicks_codes_and_a_few_hundred_orders(demo):
    from tracking.models import ClickDay, Conversion, PromoCode, TrackedLink

    assert TrackedLink.objects.filter(workspace__slug="demo-agency").count() == demo.count()
    assert ClickDay.objects.filter(workspace__slug="demo-agency").exists()
    assert PromoCode.objects.filter(workspace__slug="demo-agency").exists()
    orders = Conversion.objects.filter(workspace__slug="demo-agency")
    assert 200 <= orders.count() <= 600
    assert set(orders.values_list("rule", flat=True)) == {"promo", "click"}


def test_the_demo_provider_continues_each_post_from_its_stored_history(demo):
    # Issue 16: a refresh drew new numbers from the creators' follower counts of the day
    # (likes 3,871 → 516); it must continue what is stored, and never go down.
    from creators.models import SocialAccount
    from tracking.ingest.providers.base import Credentials, PostRef
    from tracking.ingest.providers.demo import DemoProvider

    posts = list(demo.filter(views__gt=0))
    SocialAccount.objects.filter(workspace__slug="demo-agency").update(followers=1_000)
    refs = [PostRef(p.pk, p.platform_id, p.url, p.published_at) for p in posts]
    first = DemoProvider().fetch_posts(refs, Credentials(token="", base_url=""))
    for post in posts:
        counters = first[post.pk].counters
        for name in ("views", "impressions", "reach", "likes", "comments", "shares", "saves"):
            stored = getattr(post, name)
            assert counters[name] >= stored, (post.url, name)
            assert counters[name] <= stored * 2 + 10, (post.url, name)  # continued, not redrawn
