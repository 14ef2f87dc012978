"""Gunicorn's own log handlers (the access log prints each request line, query string included:
an OAuth callback's `code=`) get the same redaction as the application's (kolhub.redaction).
gunicorn.conf.py names this class, so every way the web process is started uses it."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from kolhub.redaction import install_on


class RedactingLogger(Logger):
    def setup(self, cfg: Any) -> None:
        # Gunicorn replaces its handlers on every setup (a reload too): filter the new ones.
        super().setup(cfg)
        install_on(self.error_log)
        install_on(self.access_log)
