"""Real Celery worker processes for tests and benchmarks, and the videos.list answer of the
loopback YouTube stand-ins they pull from."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def start_celery_worker(*options: str, **extra_env: str) -> subprocess.Popen:
    """`celery -A kolhub worker` with these options (pool, concurrency), on this test's database
    and broker, in a session of its own (stop it with os.killpg)."""
    db = connection.settings_dict
    login = f"{db['USER']}:{db['PASSWORD']}" if db.get("PASSWORD") else db["USER"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{login}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        **extra_env,
    }
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "kolhub", "worker", *options),
            *("--without-gossip", "--without-mingle", "--loglevel", "WARNING"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def answer_videos_list(handler: BaseHTTPRequestHandler, template: dict) -> None:
    """Answer a videos.list request: one item per id asked for, each `template` with its id."""
    ids = parse_qs(urlsplit(handler.path).query)["id"][0].split(",")
    body = {"kind": "youtube#videoListResponse", "items": [{**template, "id": i} for i in ids]}
    data = json.dumps(body).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)
