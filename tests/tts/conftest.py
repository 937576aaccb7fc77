"""Fixtures for the speech tests: a real small MP3, a stand-in for Google's endpoint on 127.0.0.1,
an app with a temporary AUDIO_DIR and the tts CLI/blueprint registered.

No test here may reach the real Google: an autouse fixture points gTTS at a closed local port
unless a test is marked `network` (those run only with TTS_NETWORK_TESTS=1; otherwise they are
deselected, not skipped).
"""

from __future__ import annotations

import array
import base64
import json
import math
import os
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

PROXY_VARS = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("TTS_NETWORK_TESTS") == "1":
        return
    deselected = [item for item in items if item.get_closest_marker("network")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("network")]


def make_mp3(seconds: float = 0.5, rate: int = 24000, kbps: int = 32, freq: float = 440.0) -> bytes:
    """A real MP3 made with lameenc: a tone, mono, MPEG-2 Layer III like gTTS's output."""
    import lameenc

    n = int(seconds * rate)
    pcm = array.array("h", (int(8000 * math.sin(2 * math.pi * freq * i / rate)) for i in range(n))).tobytes()
    encoder = lameenc.Encoder()
    encoder.set_channels(1)
    encoder.set_in_sample_rate(rate)
    encoder.set_out_sample_rate(rate)
    encoder.set_bit_rate(kbps)
    encoder.set_quality(2)
    return bytes(encoder.encode(pcm) + encoder.flush())


@pytest.fixture(scope="session")
def tone_mp3() -> bytes:
    return make_mp3()


def closed_port() -> int:
    """A 127.0.0.1 port nobody listens on (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def point_gtts_at(monkeypatch: pytest.MonkeyPatch, base: str) -> None:
    import gtts.tts

    monkeypatch.setattr(gtts.tts, "_translate_url", lambda tld="com", path="": f"{base}/{path}")


@pytest.fixture(autouse=True)
def _no_real_google(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """gTTS ignores NO_PROXY, so proxies are cleared; and it is pointed at a closed local port."""
    if request.node.get_closest_marker("network"):
        return
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    point_gtts_at(monkeypatch, f"http://127.0.0.1:{closed_port()}")


def batchexecute_body(mp3: bytes | None) -> str:
    inner = json.dumps([base64.b64encode(mp3).decode()]) if mp3 is not None else None
    frame = json.dumps([["wrb.fr", "jQ1olc", inner, None, None, None, "generic"]], separators=(",", ":"))
    return f")]}}'\n\n{len(frame)}\n{frame}\n57\n[[\"di\",37],[\"af.httprm\",36,\"-668177807451224424\",66]]\n"


class FakeGoogle(BaseHTTPRequestHandler):
    """Google Translate's batchexecute endpoint, as gTTS 2.5.4 talks to it."""

    calls: ClassVar[list[dict[str, Any]]] = []
    mode: ClassVar[str] = "ok"
    mp3: ClassVar[bytes] = b""
    delay: ClassVar[float] = 0.0
    stop: ClassVar[threading.Event] = threading.Event()
    base: ClassVar[str] = ""

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        try:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            rpc = json.loads(urllib.parse.parse_qs(body)["f.req"][0])[0][0]
            text, lang, slow, _ = json.loads(rpc[1])
            FakeGoogle.calls.append({"text": text, "lang": lang, "slow": slow, "path": self.path, "rpc": rpc[0]})
            mode = FakeGoogle.mode
            if mode == "slow":
                FakeGoogle.stop.wait(FakeGoogle.delay)
            if mode in ("429", "500", "403"):
                self.send_response(int(mode))
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.end_headers()
            payload = {"nolang": None, "garbage": b"not an mp3 at all" * 20}.get(mode, FakeGoogle.mp3)
            self.wfile.write(batchexecute_body(payload).encode())
        except OSError:
            pass  # the client gave up (timeout test): nothing to answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def fake_google(monkeypatch: pytest.MonkeyPatch, tone_mp3: bytes) -> Iterator[type[FakeGoogle]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGoogle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    FakeGoogle.base = f"http://127.0.0.1:{server.server_address[1]}"
    point_gtts_at(monkeypatch, FakeGoogle.base)
    FakeGoogle.calls = []
    FakeGoogle.mode = "ok"
    FakeGoogle.mp3 = tone_mp3
    FakeGoogle.delay = 0.0
    FakeGoogle.stop = threading.Event()
    yield FakeGoogle
    FakeGoogle.stop.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def files_under(root: Path) -> list[Path]:
    """Every file the store keeps under its shard folders (not the top-level change marker)."""
    return sorted(p for p in root.glob("*/*") if p.is_file()) if root.exists() else []


@pytest.fixture()
def audio_root(tmp_path: Path) -> Path:
    return tmp_path / "audio"


@pytest.fixture()
def tts_app(app: Flask, audio_root: Path) -> Flask:
    """The shared test app (shipped bank imported) with its own AUDIO_DIR and fast gTTS settings."""
    from app.tts.cli import tts_cli
    from app.tts.routes import bp

    app.config.update(
        AUDIO_DIR=str(audio_root),
        TTS_GTTS_THROTTLE=0.0,
        TTS_GTTS_BACKOFF=0.01,
        TTS_GTTS_RETRIES=1,
        TTS_GTTS_CONNECT_TIMEOUT=2.0,
        TTS_GTTS_READ_TIMEOUT=2.0,
    )
    # Until the factory registers them (then these are no-ops).
    if "tts" not in app.cli.commands:
        app.cli.add_command(tts_cli)
    if "tts" not in app.blueprints:
        app.register_blueprint(bp)
    return app


@pytest.fixture()
def tts_runner(tts_app: Flask) -> FlaskCliRunner:
    return tts_app.test_cli_runner()


class Stopwatch:
    def __enter__(self) -> Stopwatch:
        self.start = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.monotonic() - self.start
