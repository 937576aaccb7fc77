"""The MP3 frame walker and the store's atomic, validated writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.tts import mp3
from app.tts.engines.base import TTSError
from app.tts.store import TMP_PREFIX, AudioStore
from tests.tts.conftest import files_under, make_mp3

KEY = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(("rate", "kbps"), [(24000, 32), (22050, 32), (22050, 48), (44100, 64)])
def test_parse_reports_rate_channels_and_duration(rate: int, kbps: int) -> None:
    data = make_mp3(seconds=1.0, rate=rate, kbps=kbps)
    info = mp3.parse(data)
    assert info.sample_rate == rate and info.channels == 1 and info.size == len(data)
    frame = (1152 if rate > 24000 else 576) / rate
    assert abs(info.duration - 1.0) <= 3 * frame  # encoder delay/padding: a frame or two


def test_bytes_like_input_is_accepted(tone_mp3: bytes) -> None:
    assert mp3.parse(bytearray(tone_mp3)) == mp3.parse(memoryview(tone_mp3)) == mp3.parse(tone_mp3)


def test_concatenated_streams_add_up(tone_mp3: bytes) -> None:
    single = mp3.parse(tone_mp3)
    triple = mp3.parse(tone_mp3 * 3)
    assert triple.frames == 3 * single.frames


def test_id3_tags_are_skipped(tone_mp3: bytes) -> None:
    id3v2 = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10
    id3v1 = b"TAG" + b"\x00" * 125
    assert mp3.parse(id3v2 + tone_mp3 + id3v1).frames == mp3.parse(tone_mp3).frames


@pytest.mark.parametrize(
    "make",
    [
        lambda good: b"",
        lambda good: b"hello world, not audio" * 50,
        lambda good: good[: len(good) // 2 + 7],  # truncated mid-frame
        lambda good: good + b"junk",  # trailing garbage
        lambda good: b"\x00" * 100 + good,  # leading garbage
        lambda good: b"<html>404</html>",
        lambda good: b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10,  # a tag and nothing else
    ],
    ids=["empty", "text", "truncated", "trailing", "leading", "html", "tag-only"],
)
def test_parse_rejects_what_is_not_a_whole_mp3(make, tone_mp3: bytes) -> None:
    with pytest.raises(mp3.Mp3Error):
        mp3.parse(make(tone_mp3))
    assert not mp3.is_valid(make(tone_mp3))


def test_store_paths_are_sharded(tmp_path: Path) -> None:
    store = AudioStore(tmp_path)
    assert store.path_for(KEY) == tmp_path / "01" / f"{KEY}.mp3"
    for bad in ["../etc/passwd", KEY.upper(), KEY + "0", KEY[:-1], ""]:
        with pytest.raises(ValueError):
            store.path_for(bad)


def test_write_is_atomic_and_visible_whole(tmp_path: Path, tone_mp3: bytes) -> None:
    store = AudioStore(tmp_path)
    assert not store.exists(KEY)
    path = store.write(KEY, tone_mp3)
    assert store.exists(KEY) and path.read_bytes() == tone_mp3
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    assert files_under(tmp_path) == [path]  # no temporary file left
    assert list(store.keys()) == [KEY]


@pytest.mark.parametrize("data", [b"", b"garbage" * 100], ids=["empty", "garbage"])
def test_invalid_bytes_never_reach_the_disk(tmp_path: Path, data: bytes) -> None:
    store = AudioStore(tmp_path)
    with pytest.raises(mp3.Mp3Error):
        store.write(KEY, data)
    assert files_under(tmp_path) == []


def test_truncated_bytes_never_reach_the_disk(tmp_path: Path, tone_mp3: bytes) -> None:
    store = AudioStore(tmp_path)
    with pytest.raises(mp3.Mp3Error):
        store.write(KEY, tone_mp3[:-5])
    assert files_under(tmp_path) == []


class FailingEngine:
    name = "failing"
    local = True

    def identity(self) -> dict[str, object]:
        return {"engine": "failing"}

    def available(self) -> bool:
        return True

    def synthesize(self, text: str) -> bytes:
        raise TTSError("合成失败", retryable=False, engine=self.name)


def test_a_failing_synthesis_leaves_nothing(tmp_path: Path) -> None:
    store = AudioStore(tmp_path)
    with pytest.raises(TTSError):
        store.produce(KEY, FailingEngine(), "拨打幺幺零")
    assert files_under(tmp_path) == []
    assert not store.exists(KEY)


def test_a_failing_rename_removes_the_temporary_file(tmp_path: Path, tone_mp3: bytes, monkeypatch) -> None:
    store = AudioStore(tmp_path)

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.write(KEY, tone_mp3)
    assert files_under(tmp_path) == []


def test_orphans_spare_needed_files_fresh_temporaries_and_top_level_files(tmp_path: Path, tone_mp3: bytes) -> None:
    store = AudioStore(tmp_path)
    needed = store.write(KEY, tone_mp3)
    other = "f" * 32
    orphan = store.write(other, tone_mp3)
    fresh_tmp = needed.parent / f"{TMP_PREFIX}{KEY}-abc.part"
    fresh_tmp.write_bytes(b"partial")
    stale_tmp = needed.parent / f"{TMP_PREFIX}{KEY}-old.part"
    stale_tmp.write_bytes(b"partial")
    os.utime(stale_tmp, (0, 0))
    (tmp_path / ".gitkeep").write_text("")
    assert sorted(store.orphans({KEY})) == sorted([orphan, stale_tmp])
    assert store.remove(store.orphans({KEY})) == 2
    assert not orphan.parent.exists()  # empty shard removed
    assert needed.exists() and fresh_tmp.exists() and (tmp_path / ".gitkeep").exists()
