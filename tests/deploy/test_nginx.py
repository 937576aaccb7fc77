"""One host behind nginx, with the shipped site (deploy/nginx/fzkt.conf) in front of gunicorn.

nginx serves clips and static files itself, as the app promises (immutable caching, Range, ETags),
compresses text, and proxies pages and the API with the forwarded headers TRUSTED_PROXIES=1 trusts:
the client address the app sees is the one nginx saw, whatever the client claims. The app runs on
the suite's database (SQLite in the SQLite pass: the README's "one host" layout).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.tts.text import LABEL_CLIPS
from tests.deploy import play
from tests.deploy.browser import Browser
from tests.deploy.conftest import Server, access_lines, call, gunicorn, nginx, shared_dir, stop, warm_clip
from tests.helpers import make_group

pytestmark = [pytest.mark.deploy, pytest.mark.commits]


@pytest.fixture(scope="module")
def layout(_schema: str, work_dir: Path) -> Iterator[dict[str, Server]]:
    audio = shared_dir(work_dir, "audio")
    host = gunicorn("host", work_dir, {
        "DATABASE_URL": _schema, "SECRET_KEY": "deploy-test-secret-key", "APP_ENV": "production",
        "TRUSTED_PROXIES": "1", "AUDIO_DIR": str(audio), "TTS_ENGINES": "espeak",
    }, app="tests.deploy.remote_addr_app:app")
    try:
        front = nginx(work_dir, [host.port], audio)
    except BaseException:
        stop(host)
        raise
    yield {"host": host, "nginx": front, "audio": audio}
    stop(front)
    stop(host)


def _served_by_app(host: Server, path: str) -> bool:
    return any(f" {path.split('?')[0]}" in line for line in access_lines(host))


def test_a_clip_is_served_by_nginx_with_206_on_range(app, layout) -> None:
    front, host = layout["nginx"].port, layout["host"]
    url = warm_clip(layout["audio"], LABEL_CLIPS["A"])  # as `tts warm` would
    assert re.fullmatch(r"/audio/[0-9a-f]{32}\.mp3", url), url
    phone = Browser()
    page = phone.get(front, "/play/elder-listen")
    first = phone.submit(front, "/play/elder-listen", page, nickname="王阿姨").headers["location"]
    assert f'"{url}"' in phone.get(front, first).text, "the app's page names the clip nginx serves"

    whole = call(front, "GET", url)
    assert whole.status == 200 and whole.headers["content-type"] == "audio/mpeg"
    assert whole.body[:3] == b"ID3" or whole.body[0] == 0xFF
    assert whole.headers["cache-control"] == "public, max-age=31536000, immutable"
    part = call(front, "GET", url, headers={"Range": "bytes=0-99"})
    assert part.status == 206
    assert part.headers["content-range"] == f"bytes 0-99/{len(whole.body)}"
    assert part.body == whole.body[:100]
    tail = call(front, "GET", url, headers={"Range": "bytes=-10"})
    assert tail.status == 206 and tail.body == whole.body[-10:]
    again = call(front, "GET", url, headers={"If-None-Match": whole.headers["etag"]})
    assert again.status == 304
    assert not _served_by_app(host, url), "nginx should serve clips itself"

    missing = call(front, "GET", "/audio/" + "0" * 32 + ".mp3")
    assert missing.status == 404 and "immutable" not in missing.headers.get("cache-control", "")
    for other in ("/audio/.changes", "/audio/" + "0" * 64 + ".mp3", "/audio/../README.md"):
        assert call(front, "GET", other).status in (400, 404), other


def test_static_files_are_served_by_nginx_hashed_ones_cached_for_a_year(app, layout) -> None:
    front, host = layout["nginx"].port, layout["host"]
    home = call(front, "GET", "/", headers={"Accept-Encoding": "gzip"})
    assert home.status == 200 and home.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in home.headers["vary"]
    page = gzip.decompress(home.body).decode()
    stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert "?v=" in stylesheet

    hashed = call(front, "GET", stylesheet, headers={"Accept-Encoding": "gzip"})
    assert hashed.status == 200 and hashed.headers["content-encoding"] == "gzip"
    assert hashed.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert hashed.headers["x-content-type-options"] == "nosniff"
    bare = call(front, "GET", stylesheet.split("?")[0])
    assert bare.status == 200 and bare.headers["cache-control"] == "no-cache" and "etag" in bare.headers
    assert call(front, "GET", stylesheet.split("?")[0], headers={"If-None-Match": bare.headers["etag"]}).status == 304
    assert not _served_by_app(host, stylesheet), "nginx should serve static/ itself"
    assert _served_by_app(host, "/"), "pages come from the app"


def test_pages_forms_and_the_api_work_through_nginx(app, layout) -> None:
    front = layout["nginx"].port
    group = make_group(app, name="初二（1）班", size=3)
    phone = Browser()
    page = phone.get(front, f"/g/{group['join_code']}")
    assert page.status == 200 and "初二（1）班" in page.text
    joined = phone.submit(front, f"/g/{group['join_code']}", page, nickname="小红")
    assert joined.status == 303 and re.fullmatch(r"/a/[^/]+/1", joined.headers["location"]), joined.headers
    assert phone.get(front, joined.headers["location"]).status == 200

    started = play.start(front, group["quiz_id"], "小刚", group["join_code"])
    play.answer_all(started, lambda n: front)
    result = play.finish(front, started)
    assert play.finish(front, started) == result
    assert [e["nickname"] for e in play.board(front, group["join_code"])] == ["小刚"]
    health = call(front, "GET", "/healthz")
    assert health.status == 200 and health.json["status"] == "ok"


def test_the_app_sees_the_address_nginx_forwarded_not_the_one_the_client_claims(app, layout) -> None:
    front, host = layout["nginx"].port, layout["host"].port
    spoofed = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    seen = call(front, "GET", "/_test/client", headers=spoofed).json
    assert seen == {"remote_addr": "127.0.0.1", "scheme": "http", "host": f"127.0.0.1:{front}"}
    # The app does trust one proxy's headers (TRUSTED_PROXIES=1): sent straight to gunicorn, the
    # claim would be believed. nginx replacing them is what keeps them honest.
    assert call(host, "GET", "/_test/client", headers=spoofed).json["remote_addr"] == "203.0.113.9"
    # A spoofed https does not make the cookie Secure (or __Host-) over plain http.
    cookies = Browser().get(front, "/play/elder-listen", headers=spoofed).set_cookies
    assert cookies and all(c.startswith("fzkt=") and "Secure" not in c for c in cookies)
