"""The trio: alice owns a workspace, bob is a member of it, charlie has a workspace of his own.

Charlie must get 404 for everything of alice's workspace.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

from kolhub.models import Role
from tests.factories import BrandFactory, MembershipFactory, UserFactory, WorkspaceFactory

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _session_settings(own_folder: Path) -> dict:
    """Settings every test of the session runs with, applied before the first test."""
    overrides: dict = {
        # The real hasher (PBKDF2, a million rounds) costs ~0.3 s per password set or
        # checked; factories set one per user. What is tested is sign-in and lockout, not
        # the hash's strength, so a fast hasher is enough.
        "PASSWORD_HASHERS": FAST_HASHERS,
    }
    if not settings.REDIS_URL:
        # The file cache and the filesystem broker would be var/cache and var/broker, the
        # folders `make run` in the same checkout uses: _empty_cache would wipe its live
        # entries (refresh-progress tokens) and the real worker of tests/kolhub/test_worker.py
        # would take its tasks. Tests get folders of their own for the session. With
        # REDIS_URL both stay on that URL's database (CI gives a dedicated one), and clear()
        # is FLUSHDB of that one only.
        overrides["CACHES"] = {
            "default": {**settings.CACHES["default"], "LOCATION": str(own_folder / "cache")},
        }
        broker = {
            "queue": own_folder / "broker" / "queue",
            "control": own_folder / "broker" / "control",
        }
        for folder in broker.values():
            folder.mkdir(parents=True)
        overrides["CELERY_BROKER_TRANSPORT_OPTIONS"] = {
            **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            "data_folder_in": str(broker["queue"]),
            "data_folder_out": str(broker["queue"]),
            "control_folder": str(broker["control"]),
        }
    return overrides


_session_overrides = pytest.StashKey[override_settings]()
_session_folder = pytest.StashKey[Path]()


def pytest_configure(config):
    # override_settings, not plain assignment: its setting_changed signal resets the cache
    # connections and the hasher list if anything read them while conftests were imported.
    folder = Path(tempfile.mkdtemp(prefix="kolhub-tests-"))
    overrides = override_settings(**_session_settings(folder))
    overrides.enable()
    config.stash[_session_overrides] = overrides
    config.stash[_session_folder] = folder
    if "CELERY_BROKER_TRANSPORT_OPTIONS" in overrides.options:
        # The Celery app may have read its configuration already.
        from kolhub.celery import app

        app.conf.broker_transport_options = overrides.options["CELERY_BROKER_TRANSPORT_OPTIONS"]


def pytest_unconfigure(config):
    overrides = config.stash.get(_session_overrides, None)
    if overrides is not None:
        overrides.disable()
    folder = config.stash.get(_session_folder, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def transactional_db(transactional_db):
    """pytest-django's, plus what data migrations seeded: a transactional test (a live server,
    a real worker) flushes every table at its end, the withholding rules included, and the
    next one would find them gone."""
    from django.apps import apps

    from campaigns.models import WithholdingRule

    if not WithholdingRule.objects.exists():
        seeding = importlib.import_module("campaigns.migrations.0007_add_withholding_rules")
        seeding.seed_withholding_rules(apps, None)


@pytest.fixture(autouse=True)
def _tasks_run_inline():
    # Tasks enqueued by services run at once in tests; tests/kolhub/test_worker.py turns this
    # off to send them through the real broker to a real worker.
    from kolhub.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def dns(monkeypatch) -> dict[str, list[str]]:
    """The only DNS a test has: the names it writes here ({"cdn.example": ["93.184.215.14"]}),
    every other name unknown. Downloads of addresses from platforms and outgoing webhooks
    resolve through it, so a test can never reach the network by a name."""
    import ipaddress
    import socket

    from kolhub import public_addresses

    table: dict[str, list[str]] = {}

    def resolve(host: str, port: int) -> list:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} is not in the test's DNS table")
        return [ipaddress.ip_address(address) for address in table[host]]

    # The one resolver: covers (tracking.ingest.public_fetch) and webhooks ask it.
    monkeypatch.setattr(public_addresses, "resolve", resolve)
    return table


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


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """A transaction left open while a test module's tests run, rolled back after its last
    one: what a module fixture writes inside it (unblocking the database with the blocker
    this yields) every test of the module sees. Each test's own transaction is a savepoint
    inside it and is rolled back as usual, so every test starts from the same data, in any
    order. Other modules never see it (pytest tears a module fixture down before the next
    module's tests), so their counts and queries are unchanged.

    Only for modules whose tests use `db`: a `transactional_db`/`live_server` test flushes
    tables and would empty it.
    """
    from django.db import transaction

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
    try:
        # Blocked again in between: a test of the module without `db` still may not query.
        yield django_db_blocker
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def seeded_demo(module_transaction, tmp_path_factory):
    """`seed_demo` run once for a whole test module whose tests read the demo (it takes
    seconds: thousands of snapshots, orders and account histories), kept for the module by
    `module_transaction` (the browser tests seed for themselves)."""
    from django.core.management import call_command

    from kolhub.celery import app

    files = tmp_path_factory.mktemp("demo")
    # What the autouse fixtures give a test that seeds for itself: tasks inline, English,
    # thumbnails and click logs in a temporary folder (not var/).
    seeding = override_settings(
        LANGUAGE_CODE="en", MEDIA_ROOT=files / "media", CLICK_LOG_DIR=str(files / "clicks")
    )
    with module_transaction.unblock(), seeding:
        eager, app.conf.task_always_eager = app.conf.task_always_eager, True
        try:
            call_command("seed_demo", verbosity=0)
        finally:
            app.conf.task_always_eager = eager


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


@pytest.fixture
def superuser_client(db):
    """Django admin as the people who run KOLHub see it."""
    return _client_for(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
