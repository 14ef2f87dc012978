"""The test session's own settings: a cache and a broker folder that are not the ones `make run`
uses, and a fast password hasher that still checks passwords."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.core.cache import cache

from kolhub.models import User
from tests.factories import PASSWORD, UserFactory


def test_the_file_cache_is_not_the_one_make_run_uses():
    if settings.REDIS_URL:
        pytest.skip("the cache is Redis: see the next test")
    location = Path(settings.CACHES["default"]["LOCATION"]).resolve()
    var = Path(settings.BASE_DIR, "var").resolve()
    for shared in (var, Path(settings.VAR_DIR).resolve()):
        assert not location.is_relative_to(shared), location
    # The live connection, not only the setting, writes there.
    assert Path(cache._dir).resolve() == location
    cache.set("isolation-probe", 1)
    assert any(location.iterdir())


def test_the_filesystem_broker_is_not_the_one_make_run_uses():
    if settings.REDIS_URL:
        pytest.skip("the broker is Redis, on the database REDIS_URL names")
    from kolhub.celery import app

    options = app.conf.broker_transport_options
    var = Path(settings.VAR_DIR).resolve()
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        assert not Path(options[key]).resolve().is_relative_to(var), options[key]
    with app.connection_for_write() as connection:
        assert not Path(connection.transport_options["data_folder_in"]).is_relative_to(var)


def test_the_redis_cache_is_the_database_redis_url_names():
    if not settings.REDIS_URL:
        pytest.skip("no REDIS_URL: the file cache is checked by the previous test")
    client = cache._cache.get_client(None, write=True)
    given = urlsplit(settings.REDIS_URL).path.strip("/") or "0"
    # clear() is FLUSHDB on this connection: it empties this one database and no other.
    assert str(client.connection_pool.connection_kwargs.get("db", 0)) == given


def test_passwords_are_hashed_fast_and_still_checked(db):
    assert get_hasher().algorithm == "md5"
    user = UserFactory()
    assert identify_hasher(user.password).algorithm == "md5"
    user = User.objects.get(pk=user.pk)
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "x")
