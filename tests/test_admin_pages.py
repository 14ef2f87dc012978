"""Every table in the admin opens, searches and shows a row on the demo data, as a superuser,
within a query budget that does not grow with the rows: a model added without an admin, or
with columns that load their related rows one line at a time, fails here."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import DeliverableFactory, PostFactory, ShipmentFactory, UserFactory

pytestmark = pytest.mark.usefixtures("seeded_demo")

# The most a changelist, a search or a form may cost, whatever the number of rows (the
# costliest page of the demo, a draft with its media and review comments, takes 14).
BUDGET = 20
PROJECT_APPS = ["kolhub", "creators", "campaigns", "tracking"]
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _label(model: type[Model]) -> str:
    return model._meta.label


def _url(model: type[Model], view: str, *args: Any) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _changelist_queries(client, model: type[Model]) -> int:
    url = _url(model, "changelist")
    # A first visit fills the caches every later visit reads (content types, the session).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_every_model_of_the_project_is_registered(db):
    missing = {
        label: [
            model.__name__
            for model in apps.get_app_config(label).get_models()
            if not admin.site.is_registered(model)
        ]
        for label in PROJECT_APPS
    }
    assert missing == {label: [] for label in PROJECT_APPS}


SHAPED_APPS = PROJECT_APPS


@pytest.mark.parametrize(
    "model",
    [model for model in REGISTERED if model._meta.app_label in SHAPED_APPS],
    ids=_label,
)
def test_every_table_has_columns_a_search_and_the_workspace_filter_first(db, model):
    model_admin = admin.site._registry[model]
    assert list(model_admin.list_display) != ["__str__"]
    assert model_admin.search_fields
    if any(field.name == "workspace" for field in model._meta.fields):
        assert model_admin.list_filter[0] == "workspace"


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_it_lists_and_searches_every_table(superuser_client, model, django_assert_max_num_queries):
    with django_assert_max_num_queries(BUDGET):
        assert superuser_client.get(_url(model, "changelist")).status_code == 200
    with django_assert_max_num_queries(BUDGET):
        assert superuser_client.get(_url(model, "changelist"), {"q": "a"}).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_it_opens_a_row_of_every_table(superuser_client, model, django_assert_max_num_queries):
    row = model._default_manager.order_by("pk").last()
    if row is None:
        pytest.skip(f"the demo has no {model._meta.verbose_name_plural}")
    with django_assert_max_num_queries(BUDGET):
        assert superuser_client.get(_url(model, "change", row.pk)).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_it_opens_the_add_form_where_adding_is_allowed(
    superuser_client, rf, model, django_assert_max_num_queries
):
    request = rf.get("/")
    request.user = UserFactory.build(is_superuser=True, is_active=True)
    if not admin.site._registry[model].has_add_permission(request):
        assert superuser_client.get(_url(model, "add")).status_code == 403
        return
    with django_assert_max_num_queries(BUDGET):
        assert superuser_client.get(_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_a_changelist_costs_the_same_for_one_row_as_for_a_page(
    superuser_client, model, monkeypatch
):
    if model._default_manager.count() < 2:
        pytest.skip(f"the demo has fewer than two {model._meta.verbose_name_plural}")
    model_admin = admin.site._registry[model]
    monkeypatch.setattr(model_admin, "list_per_page", 1)
    one_row = _changelist_queries(superuser_client, model)
    monkeypatch.setattr(model_admin, "list_per_page", 100)
    assert _changelist_queries(superuser_client, model) == one_row


def _more_collaboration_events() -> None:
    from campaigns.models import EventKind
    from campaigns.services.roster import event_log

    for deliverable in DeliverableFactory.create_batch(5):
        event_log(collaboration=deliverable.collaboration, kind=EventKind.EDITED, actor=None)


def _more_metric_snapshots() -> None:
    from django.utils import timezone

    from tracking.models import MetricSnapshot

    now = timezone.now()
    for post in PostFactory.create_batch(5):
        MetricSnapshot.objects.create(
            workspace_id=post.workspace_id, post=post, captured_at=now, bucket=now, source="api"
        )


@pytest.mark.parametrize(
    ("label", "add_rows"),
    [
        ("campaigns.CollaborationEvent", _more_collaboration_events),
        ("campaigns.Shipment", lambda: ShipmentFactory.create_batch(5)),
        ("campaigns.Deliverable", lambda: DeliverableFactory.create_batch(5)),
        ("tracking.MetricSnapshot", _more_metric_snapshots),
    ],
)
def test_a_heavy_changelist_costs_the_same_with_more_rows(superuser_client, label, add_rows):
    model = apps.get_model(label)
    at_the_demo = _changelist_queries(superuser_client, model)
    add_rows()
    assert _changelist_queries(superuser_client, model) == at_the_demo
