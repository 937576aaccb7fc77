"""Under real gunicorn (with the repo's gunicorn.conf.py) the common oversize requests reach the app and
are answered in the contract's JSON shape; only requests beyond gunicorn's own limits get its HTML."""

from __future__ import annotations

import os
import runpy
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import limits
from tests.helpers import wait_until_serving

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_conf_sets_limits_above_the_apps():
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["limit_request_line"] == limits.GUNICORN_REQUEST_LINE > limits.MAX_URL_BYTES + len("GET  HTTP/1.1")
    assert conf["limit_request_fields"] == limits.GUNICORN_HEADER_FIELDS > limits.MAX_HEADER_FIELDS
    assert conf["limit_request_field_size"] == limits.GUNICORN_HEADER_FIELD_BYTES > limits.MAX_COOKIE_BYTES


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _raw(port: int, head: str) -> tuple[int, str, str]:
    """Send a raw request head; (status, content type, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(head.encode("latin-1"))
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    header, _, body = data.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), fields.get("content-type", ""), body.decode("utf-8", "replace")


def _get(port: int, target: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    return _raw(port, f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}\r\n")


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[int]:
    """gunicorn from the repo root (so it reads gunicorn.conf.py); only routes that need no database."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}", "SECRET_KEY": "gunicorn-limits-test",
           "APP_ENV": "testing"}
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
        )
        try:
            wait_until_serving(process, log, lambda: _get(port, "/api/openapi.json")[0] == 200)
            yield port
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
    assert "Traceback" not in log.read_text()


@pytest.mark.slow
def test_oversize_requests_under_gunicorn(server):
    # A URL past the app's limit but within gunicorn's: the app answers, in JSON under /api/.
    status, kind, body = _get(server, "/api/openapi.json?x=" + "a" * 6000)
    assert (status, kind) == (414, "application/json") and '"uri_too_long"' in body
    # A header past the app's limit but within gunicorn's (a browser's cookies, say): JSON 431.
    status, kind, body = _get(server, "/api/openapi.json", {"Cookie": "c=" + "a" * 12000})
    assert (status, kind) == (431, "application/json") and '"headers_too_large"' in body
    status, kind, body = _get(server, "/api/openapi.json", {f"X-Filler-{i}": "1" for i in range(150)})
    assert (status, kind) == (431, "application/json")
    # On a page the same refusal is a Chinese page.
    status, kind, body = _get(server, "/?x=" + "a" * 6000)
    assert status == 414 and kind.startswith("text/html") and "网址太长" in body
    # Beyond gunicorn's own limits gunicorn answers, in HTML (documented in the README and the spec).
    status, kind, _ = _get(server, "/api/openapi.json?x=" + "a" * 9000)
    assert (status, kind) == (414, "text/html")
    status, kind, _ = _get(server, "/api/openapi.json", {"Cookie": "c=" + "a" * 20000})
    assert (status, kind) == (431, "text/html")
