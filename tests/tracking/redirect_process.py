"""A second web process for tests: `python -m tests.tracking.redirect_process '<settings>'`.

It answers each path read from standard input through the whole Django stack (middleware,
URLs, the redirect view) and writes back one line: the status and the Location header. It
has its own per-process tables, like another gunicorn worker; the settings given as JSON
(database, cache, click log folder) make it share the test's database and cache.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kolhub.settings")
    from django.conf import settings

    # Before setup: nothing has read the database or the cache settings yet.
    for name, value in json.loads(sys.argv[1]).items():
        setattr(settings, name, value)
    import django

    django.setup()
    from django.test import Client

    client = Client()
    for line in sys.stdin:
        response = client.get(line.strip(), HTTP_USER_AGENT="Mozilla/5.0 second process")
        print(response.status_code, response.get("Location", ""), flush=True)


if __name__ == "__main__":
    main()
