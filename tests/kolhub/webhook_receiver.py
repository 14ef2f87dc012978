"""A real HTTP server on 127.0.0.1 standing in for a workspace's webhook receiver.

Each path answers one way (/ok, /fail, /slow, /redirect, /big); every request it saw is kept
with its headers and raw body, so a test checks what went over the wire.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    slow_seconds: float = 2.0
    release: threading.Event = field(default_factory=threading.Event)


def serve(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            receiver.seen.append(
                Seen(
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length),
                )
            )
            if self.path == "/slow":
                receiver.release.wait(receiver.slow_seconds)
                self._answer(200, b"late")
            elif self.path == "/fail":
                self._answer(500, b"receiver broke")
            elif self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", receiver.url + "/ok")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/big":
                chunk = b"x" * 65536
                self.send_response(200)
                self.send_header("Content-Length", str(len(chunk) * 160))  # 10 MB
                self.end_headers()
                try:
                    for _ in range(160):
                        self.wfile.write(chunk)
                except OSError:
                    pass  # the client hung up after what it wanted: the point of the test
            else:
                self._answer(204 if self.path == "/empty" else 200, b"thanks")

        def _answer(self, status: int, content: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)
