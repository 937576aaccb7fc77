"""The real gTTS library code against a local stand-in for Google's batchexecute endpoint."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.tts import mp3
from app.tts.chunker import zh_chunks
from app.tts.engines.base import TTSError
from app.tts.engines.gtts_engine import GTTSSynthesizer
from app.tts.keys import clip_key
from app.tts.store import AudioStore
from tests.tts.conftest import closed_port, files_under, point_gtts_at

TEXT = "不听、不信、不转账，遇到可疑情况要及时拨打幺幺零报警。"


def engine(**kwargs: object) -> GTTSSynthesizer:
    settings: dict[str, object] = {"throttle": 0.0, "retries": 2, "backoff": 0.01, "max_failures": 10, "timeout": (2.0, 2.0)}
    settings.update(kwargs)
    return GTTSSynthesizer(**settings)  # type: ignore[arg-type]


def produce(audio_root: Path, synth: GTTSSynthesizer, text: str = TEXT) -> Path:
    return AudioStore(audio_root).produce(clip_key(text, synth.identity()), synth, text)


def test_success_writes_the_mp3_google_sent(fake_google, audio_root: Path, tone_mp3: bytes) -> None:
    path = produce(audio_root, engine())
    assert path.read_bytes() == tone_mp3
    info = mp3.parse_file(path)
    assert (info.sample_rate, info.channels) == (24000, 1)
    assert fake_google.calls == [
        {"text": TEXT, "lang": "zh-CN", "slow": None, "path": "/_/TranslateWebserverUi/data/batchexecute", "rpc": "jQ1olc"}
    ]
    assert files_under(audio_root) == [path]


def test_slow_mode_and_cantonese_are_sent(fake_google, audio_root: Path) -> None:
    produce(audio_root, engine(slow=True))
    produce(audio_root, engine(lang="yue"))
    assert fake_google.calls[0]["slow"] is True
    assert fake_google.calls[1]["lang"] == "yue"
    assert fake_google.calls[1]["text"] == TEXT.replace("幺", "一")  # Cantonese reads 110 as 一一零
    assert len(files_under(audio_root)) == 2  # different identities, different files


def test_long_text_goes_out_in_sentence_chunks(fake_google, audio_root: Path, tone_mp3: bytes) -> None:
    text = "".join(f"这是第{n}句话，骗子会冒充公检法人员打来电话，要求你把钱转到所谓的安全账户。" for n in "一二三四五六七")
    path = produce(audio_root, engine(), text)
    sent = [call["text"] for call in fake_google.calls]
    assert sent == zh_chunks(text) and len(sent) >= 3
    assert all(len(part) <= 100 and part.endswith("。") for part in sent)
    assert "".join(sent) == text
    assert path.read_bytes() == tone_mp3 * len(sent)
    assert mp3.parse_file(path).frames == len(sent) * mp3.parse(tone_mp3).frames


def test_429_is_retried_then_reported_as_retryable(fake_google, audio_root: Path) -> None:
    fake_google.mode = "429"
    synth = engine(retries=2)
    with pytest.raises(TTSError) as caught:
        produce(audio_root, synth)
    assert caught.value.retryable and caught.value.engine == "gtts"
    assert "429" in caught.value.msg
    assert len(fake_google.calls) == 3  # first try + 2 retries
    assert files_under(audio_root) == []
    assert synth.available()  # a 429 alone does not open the circuit


def test_repeated_429s_open_the_circuit(fake_google, audio_root: Path) -> None:
    fake_google.mode = "429"
    synth = engine(retries=5, max_failures=3)
    with pytest.raises(TTSError) as caught:
        produce(audio_root, synth)
    assert caught.value.retryable and "不再调用" in caught.value.msg
    assert len(fake_google.calls) == 3
    fake_google.mode = "ok"
    with pytest.raises(TTSError):
        produce(audio_root, synth)
    assert len(fake_google.calls) == 3 and not synth.available()
    assert files_under(audio_root) == []


def test_5xx_is_retryable(fake_google, audio_root: Path) -> None:
    fake_google.mode = "500"
    with pytest.raises(TTSError) as caught:
        produce(audio_root, engine(retries=1))
    assert caught.value.retryable and "500" in caught.value.msg
    assert len(fake_google.calls) == 2
    assert files_under(audio_root) == []


def test_200_without_audio_is_permanent(fake_google, audio_root: Path) -> None:
    fake_google.mode = "nolang"
    with pytest.raises(TTSError) as caught:
        produce(audio_root, engine())
    assert not caught.value.retryable and "没有返回音频" in caught.value.msg
    assert len(fake_google.calls) == 1
    assert files_under(audio_root) == []


def test_403_is_permanent(fake_google, audio_root: Path) -> None:
    fake_google.mode = "403"
    with pytest.raises(TTSError) as caught:
        produce(audio_root, engine())
    assert not caught.value.retryable and "403" in caught.value.msg
    assert len(fake_google.calls) == 1
    assert files_under(audio_root) == []


def test_audio_that_is_not_mp3_is_refused(fake_google, audio_root: Path) -> None:
    fake_google.mode = "garbage"
    with pytest.raises(TTSError) as caught:
        produce(audio_root, engine())
    assert not caught.value.retryable and "MP3" in caught.value.msg
    assert files_under(audio_root) == []


def test_refused_connection_opens_the_circuit(fake_google, monkeypatch, audio_root: Path) -> None:
    point_gtts_at(monkeypatch, f"http://127.0.0.1:{closed_port()}")
    synth = engine()
    started = time.monotonic()
    with pytest.raises(TTSError) as caught:
        produce(audio_root, synth)
    assert time.monotonic() - started < 2
    assert not caught.value.retryable and "无法连接谷歌语音服务" in caught.value.msg
    assert not synth.available()
    # Google "comes back": the engine still makes no further call in this run.
    point_gtts_at(monkeypatch, fake_google.base)
    with pytest.raises(TTSError):
        produce(audio_root, synth)
    assert fake_google.calls == []
    assert files_under(audio_root) == []


def test_a_server_slower_than_the_read_timeout_fails_within_the_timeout(fake_google, audio_root: Path) -> None:
    fake_google.mode = "slow"
    fake_google.delay = 10.0
    synth = engine(timeout=(2.0, 0.5), retries=3)
    started = time.monotonic()
    with pytest.raises(TTSError) as caught:
        produce(audio_root, synth)
    elapsed = time.monotonic() - started
    assert 0.4 <= elapsed < 2.0, elapsed  # one read timeout, no retries inside the call
    assert caught.value.retryable and "超时" in caught.value.msg
    assert len(fake_google.calls) == 1
    assert files_under(audio_root) == []


def test_calls_are_throttled(fake_google, audio_root: Path) -> None:
    synth = engine(throttle=0.3)
    started = time.monotonic()
    synth.synthesize("第一句。")
    synth.synthesize("第二句。")
    assert time.monotonic() - started >= 0.3
    assert len(fake_google.calls) == 2


def test_identity_names_everything_that_changes_the_sound() -> None:
    identity = engine(slow=True, lang="yue", tld="com.hk").identity()
    assert identity["engine"] == "gtts" and identity["v"] == "2.5.4"
    assert (identity["lang"], identity["slow"], identity["tld"]) == ("yue", True, "com.hk")
    assert identity["chunker"] == "zh_chunks/1"
