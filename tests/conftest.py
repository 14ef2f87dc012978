"""The trio: alice owns a workspace, bob is a member of it, charlie has a workspace of his own.

Charlie must get 404 for everything of alice's workspace.
"""

from __future__ import annotations

import pytest
from django.test import Client

from kolhub.models import Role
from tests.factories import BrandFactory, MembershipFactory, UserFactory, WorkspaceFactory


@pytest.fixture(autouse=True)
def _tasks_run_inline():
    # Tasks enqueued by services run at once in tests; tests/kolhub/test_worker.py turns this
    # off to send them through the real broker to a real worker.
    from kolhub.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _empty_cache():
    # Database ids repeat between tests; a cached value must not outlive its test.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLICK_LOG_DIR = str(tmp_path / "clicks")


@pytest.fixture(autouse=True)
def _english(settings):
    # Assertions read English text; the zh-Hant pages are covered by their own tests.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(name="Alice Agency", slug="alice-agency")


@pytest.fixture
def brand(workspace):
    return BrandFactory(workspace=workspace, name="Mountain Tea")


@pytest.fixture
def alice(workspace):
    user = UserFactory(email="alice@example.com", first_name="Alice", last_name="Owner")
    MembershipFactory(workspace=workspace, user=user, role=Role.OWNER)
    return user


@pytest.fixture
def bob(workspace):
    user = UserFactory(email="bob@example.com", first_name="Bob", last_name="Member")
    MembershipFactory(workspace=workspace, user=user, role=Role.MEMBER)
    return user


@pytest.fixture
def charlie_workspace(db):
    return WorkspaceFactory(name="Charlie Co", slug="charlie-co")


@pytest.fixture
def charlie(charlie_workspace):
    user = UserFactory(email="charlie@example.com", first_name="Charlie", last_name="Other")
    MembershipFactory(workspace=charlie_workspace, user=user, role=Role.OWNER)
    return user


def _client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice):
    return _client_for(alice)


@pytest.fixture
def bob_client(bob):
    return _client_for(bob)


@pytest.fixture
def charlie_client(charlie):
    return _client_for(charlie)


@pytest.fixture
def client_for():
    return _client_for
