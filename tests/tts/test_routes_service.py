"""GET /audio/<key>.mp3 and audio_url()."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.datastructures import Headers

from app.tts.engines.espeak import EspeakSynthesizer
from app.tts.engines.gtts_engine import GTTSSynthesizer
from app.tts.keys import clip_key
from app.tts.service import audio_url, clip_urls, label_urls
from app.tts.store import AudioStore
from app.tts.text import clips_for
from tests.conftest import ROOT
from tests.tts.conftest import files_under, make_mp3

KEY = "0123456789abcdef0123456789abcdef"


@dataclass
class Fetched:
    status_code: int
    headers: Headers
    data: bytes
    mimetype: str | None


def fetch(app: Flask, path: str, headers: dict[str, str] | None = None) -> Fetched:
    """GET and close the response (file responses hold an open file until closed)."""
    with app.test_client().get(path, headers=headers or {}) as response:
        return Fetched(response.status_code, response.headers, response.get_data(), response.mimetype)


@pytest.fixture()
def clip(tts_app: Flask, audio_root: Path) -> bytes:
    data = make_mp3(seconds=1.0)
    AudioStore(audio_root).write(KEY, data)
    return data


def test_serves_the_clip_with_immutable_caching(tts_app: Flask, clip: bytes) -> None:
    response = fetch(tts_app, f"/audio/{KEY}.mp3")
    assert response.status_code == 200
    assert response.data == clip
    assert response.mimetype == "audio/mpeg"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["ETag"]


def test_range_gives_206_with_exactly_the_bytes_asked(tts_app: Flask, clip: bytes) -> None:
    assert len(clip) > 1001
    response = fetch(tts_app, f"/audio/{KEY}.mp3", {"Range": "bytes=200-1000"})
    assert response.status_code == 206
    assert len(response.data) == 801 and response.data == clip[200:1001]
    assert response.headers["Content-Range"] == f"bytes 200-1000/{len(clip)}"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_safari_probe_and_bad_range(tts_app: Flask, clip: bytes) -> None:
    probe = fetch(tts_app, f"/audio/{KEY}.mp3", {"Range": "bytes=0-1"})
    assert probe.status_code == 206 and len(probe.data) == 2
    bad = fetch(tts_app, f"/audio/{KEY}.mp3", {"Range": f"bytes={len(clip) + 10}-"})
    assert bad.status_code == 416


def test_if_none_match_gives_304(tts_app: Flask, clip: bytes) -> None:
    etag = fetch(tts_app, f"/audio/{KEY}.mp3").headers["ETag"]
    response = fetch(tts_app, f"/audio/{KEY}.mp3", {"If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize(
    "path",
    [
        "/audio/ffffffffffffffffffffffffffffffff.mp3",  # valid key, no file
        f"/audio/{KEY.upper()}.mp3",
        f"/audio/{KEY}0.mp3",
        f"/audio/{KEY[:-1]}.mp3",
        f"/audio/{KEY}.wav",
        f"/audio/{KEY}",
        f"/audio/01/{KEY}.mp3",
        "/audio/../app/__init__.py",
        "/audio/..%2f..%2fapp%2f__init__.py",
        "/audio/%2e%2e%2f%2e%2e%2fwsgi.mp3",
        "/audio/%2e%2e.mp3",
        f"/audio/{KEY[:30]}%2e%2e.mp3",
        "/audio/.mp3",
    ],
)
def test_anything_but_an_existing_key_is_404(tts_app: Flask, clip: bytes, path: str) -> None:
    response = fetch(tts_app, path)
    assert response.status_code == 404
    assert response.data != clip


def test_audio_url_follows_the_chain(tts_app: Flask, audio_root: Path, tone_mp3: bytes) -> None:
    text = "拨打幺幺零报警。"
    store = AudioStore(audio_root)
    espeak_key = clip_key(text, EspeakSynthesizer("zh-CN").identity())
    gtts_key = clip_key(text, GTTSSynthesizer("zh-CN").identity())
    with tts_app.test_request_context("/"):
        assert audio_url(text) is None
        store.write(espeak_key, tone_mp3)
        assert audio_url(text) == f"/audio/{espeak_key}.mp3"
        store.write(gtts_key, tone_mp3)
        assert audio_url(text) == f"/audio/{gtts_key}.mp3"  # gtts comes first in the chain
        assert audio_url(text, "yue") is None  # another language, another file
        assert audio_url(text, "fr") is None
        assert audio_url("") is None


def test_clip_and_label_urls(tts_app: Flask, audio_root: Path, tone_mp3: bytes) -> None:
    body = {
        "scenario": "",
        "prompt": "接到96110的电话该怎么办？",
        "options": [{"key": "A", "text": "接听"}, {"key": "B", "text": "挂断"}],
        "explanation": "九六幺幺零是反诈专线。",
        "speech": {},
    }
    identity = EspeakSynthesizer("zh-CN").identity()
    prompt = clips_for(body, "single")["prompt"]
    AudioStore(audio_root).write(clip_key(prompt, identity), tone_mp3)
    AudioStore(audio_root).write(clip_key("选项A", identity), tone_mp3)
    with tts_app.test_request_context("/"):
        urls = clip_urls(body, "single")
        labels = label_urls()
    assert set(urls) == {"prompt", "option:A", "option:B", "explanation"}
    assert urls["prompt"] and urls["option:A"] is None
    assert labels["A"] and labels["B"] is None


def test_on_demand_uses_only_the_local_engine(tts_app: Flask, audio_root: Path, fake_google) -> None:
    with tts_app.test_request_context("/"):
        assert audio_url("不听不信不转账。") is None  # off by default: nothing synthesised
    assert files_under(audio_root) == []
    tts_app.config["TTS_ON_DEMAND"] = True
    tts_app.config["TTS_ENGINES"] = ["gtts"]
    with tts_app.test_request_context("/"):
        assert audio_url("不听不信不转账。") is None  # gTTS never runs inside a request
    assert fake_google.calls == [] and files_under(audio_root) == []
    tts_app.config["TTS_ENGINES"] = ["gtts", "espeak"]
    with tts_app.test_request_context("/"):
        url = audio_url("不听不信不转账。")
    assert url is not None and fake_google.calls == []
    [path] = files_under(audio_root)
    assert url == f"/audio/{path.stem}.mp3"
    assert fetch(tts_app, url).status_code == 200


def test_a_clip_made_by_another_process_is_served_from_the_next_request(
    tts_app: Flask, audio_root: Path, tone_mp3: bytes, tmp_path: Path
) -> None:
    """Workers remember which clips exist; `tts warm` in another process announces what it wrote."""
    text = "先挂断，再拨打九六幺幺零核实。"
    key = clip_key(text, EspeakSynthesizer("zh-CN").identity())
    mp3_file = tmp_path / "tone.mp3"
    mp3_file.write_bytes(tone_mp3)
    AudioStore(audio_root).write(KEY, tone_mp3)  # the store has changed before
    write = (
        "import sys; from pathlib import Path; from app.tts.store import AudioStore; "
        "AudioStore(sys.argv[1]).write(sys.argv[2], Path(sys.argv[3]).read_bytes())"
    )
    with tts_app.test_request_context("/"):
        assert audio_url(text) is None
        subprocess.run([sys.executable, "-c", write, str(audio_root), key, str(mp3_file)], check=True, cwd=ROOT)
        assert (audio_root / key[:2] / f"{key}.mp3").is_file()
        assert audio_url(text) is None  # one look at the store per request
    with tts_app.test_request_context("/"):
        assert audio_url(text) == f"/audio/{key}.mp3"
    AudioStore(audio_root).remove([audio_root / key[:2] / f"{key}.mp3"])
    with tts_app.test_request_context("/"):
        assert audio_url(text) is None  # removed through the store (tts gc): forgotten at once
