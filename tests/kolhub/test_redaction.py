"""Credentials are redacted from every log line the web process and the worker write, and from
texts passed through redact(), in each form they take: query, form, JSON, repr, header."""

from __future__ import annotations

import io
import logging
import os

import httpx
import pytest
from django.conf import settings

from kolhub.redaction import REDACTED, RedactSecrets, redact

SECRET = "s3cr3t-VALUE-0123456789"


@pytest.mark.parametrize(
    "text",
    [
        f"GET https://www.googleapis.com/youtube/v3/videos?part=statistics&key={SECRET}&id=x",
        f"https://graph.facebook.com/v24.0/me/accounts?access_token={SECRET}",
        f"/oauth/access_token?client_id=1&client_secret={SECRET}&code=x",
        f"/oauth/access_token?grant_type=fb_exchange_token&fb_exchange_token={SECRET}",
        f"grant_type=refresh_token&refresh_token={SECRET}",
        f"/oauth/instagram/callback/?code={SECRET}&state=abc",
        f"?api_key={SECRET}",
        f"?apikey={SECRET}",
        f"?token={SECRET}",
        f"?page_access_token={SECRET}",
        f"username=alice&password={SECRET}",
        f"redirect_uri=https%3A%2F%2Fkolhub.example%2Fcb%3Fcode%3D{SECRET}",
        f'{{"access_token": "{SECRET}", "token_type": "bearer"}}',
        f"{{'client_secret': '{SECRET}'}}",
        f"Authorization: Bearer {SECRET}",
        f"{{'Authorization': 'Bearer {SECRET}'}}",
        f"X-Goog-Api-Key: {SECRET}",
        f"Cookie: sessionid={SECRET}",
        f"the header said bearer {SECRET}",
    ],
)
def test_it_redacts_a_credential_in_every_form(text):
    clean = redact(text)
    assert SECRET not in clean and REDACTED in clean


@pytest.mark.parametrize(
    "text",
    [
        "GET https://graph.facebook.com/v24.0/1784/media?fields=id%2Cshortcode&after=QVFI",
        "YouTube HTTP 403 quotaExceeded: The request cannot be completed",
        "monkey=3 turkey=4 utm_content=anan-1",
        "No cover for post 12: forbidden_address",
        '{"token_type": "bearer", "expires_in": 5183944}',
    ],
)
def test_it_leaves_everything_else_alone(text):
    assert redact(text) == text


def test_it_redacts_a_known_secret_wherever_it_appears():
    assert redact(f"(#190) Malformed access token {SECRET}", [SECRET]) == (
        f"(#190) Malformed access token {REDACTED}"
    )
    assert redact("short abc", ["abc"]) == "short abc"  # too short to be a secret


@pytest.fixture
def console():
    """The web process's log handler as settings.LOGGING makes it, writing to a buffer."""
    from django.utils.log import configure_logging

    # As django.setup() does; a test worker started earlier (test_worker) took over the root.
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    yield buffer
    handler.setStream(old)


def test_the_configured_handler_redacts_what_httpx_logs(console):
    url = httpx.URL(f"https://www.googleapis.com/youtube/v3/videos?id=x&key={SECRET}")
    logging.getLogger("httpx").info(
        'HTTP Request: %s %s "%s %d %s"', "GET", url, "HTTP/1.1", 200, "OK"
    )
    written = console.getvalue()
    assert "HTTP Request: GET https://www.googleapis.com/youtube/v3/videos?id=x&key=" in written
    assert SECRET not in written and f"key={REDACTED}" in written


def test_the_configured_handler_redacts_a_traceback(console):
    try:
        raise ValueError(f"refused https://graph.facebook.com/me?access_token={SECRET}")
    except ValueError:
        logging.getLogger("tracking.tasks").exception("Pull failed")
    written = console.getvalue()
    assert "Traceback" in written and "ValueError: refused" in written
    assert SECRET not in written


def test_a_record_whose_arguments_do_not_fit_still_reaches_the_handler():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s %s", ("one",), None)
    assert RedactSecrets().filter(record) is True


def test_the_worker_puts_the_filter_on_the_handlers_it_installs():
    from celery.app.log import Logging

    from kolhub.celery import app

    root = logging.getLogger()
    loggers = [
        root,
        *(logging.getLogger(n) for n in ("celery", "celery.task", "celery.redirected")),
    ]
    saved = [(logger, logger.handlers[:], logger.level) for logger in loggers]
    environ = {key: value for key, value in os.environ.items() if key.startswith("_MP_FORK_")}
    try:
        Logging._setup = False
        app.log.setup_logging_subsystem(loglevel="INFO", colorize=False)
        for logger in (root, logging.getLogger("celery.task")):
            assert logger.handlers, logger
            for handler in logger.handlers:
                assert any(isinstance(f, RedactSecrets) for f in handler.filters), handler
    finally:
        for logger, handlers, level in saved:
            logger.handlers[:] = handlers
            logger.setLevel(level)
        Logging._setup = False
        for key in [key for key in os.environ if key.startswith("_MP_FORK_")]:
            del os.environ[key]
        os.environ.update(environ)


def test_the_web_server_s_access_log_redacts_an_oauth_code():
    import runpy
    import types
    from datetime import timedelta
    from pathlib import Path

    from django.utils.module_loading import import_string
    from gunicorn.config import Config

    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = import_string(conf["logger_class"])(cfg)
    buffer = io.StringIO()
    logger.access_log.handlers[0].setStream(buffer)
    query = f"code={SECRET}&state=abc"
    environ = {
        "REMOTE_ADDR": "203.0.113.9",
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/oauth/instagram/callback/?{query}",
        "PATH_INFO": "/oauth/instagram/callback/",
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    answer = types.SimpleNamespace(status="302 Found", response_length=0, sent=0, headers=[])
    asked = types.SimpleNamespace(headers=[])
    logger.access(answer, asked, environ, timedelta(milliseconds=40))
    written = buffer.getvalue()
    assert '"GET /oauth/instagram/callback/?code=[redacted]&state=abc HTTP/1.1" 302' in written
    assert SECRET not in written
