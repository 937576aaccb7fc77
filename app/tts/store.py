"""AUDIO_DIR: one MP3 per clip key at <dir>/<key[:2]>/<key>.mp3.

Files only ever appear whole: the bytes are validated as MP3 first, written to a temporary file
in the same directory, flushed to disk and renamed over the final name (os.replace is atomic on
one filesystem). A failed synthesis or write leaves nothing behind, never an empty file.

Every write or removal also touches <dir>/.changes and counts in this process, so the web workers'
memo of which clips exist (app.tts.service) can trust itself until the store changes.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from app.tts import mp3
from app.tts.engines.base import Synthesizer
from app.tts.keys import KEY_RE, is_key

TMP_PREFIX = ".tmp-"
STALE_TMP_SECONDS = 600  # older temporary files are leftovers of a killed run
CHANGES_MARKER = ".changes"  # top-level file touched after every write or removal
_changes_here = 0  # writes and removals made by this process


def changes_here() -> int:
    """How many times this process has changed any store (for in-process memo checks)."""
    return _changes_here


def change_stamp(root: str) -> tuple[int, int]:
    """Differs after any process changed the store at root: the marker's mtime and size."""
    try:
        found = os.stat(os.path.join(root, CHANGES_MARKER))
    except OSError:
        return (0, 0)
    return (found.st_mtime_ns, found.st_size)


class AudioStore:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path_for(self, key: str) -> Path:
        if not is_key(key):
            raise ValueError(f"not a clip key: {key!r}")
        return self.root / key[:2] / f"{key}.mp3"

    def exists(self, key: str) -> bool:
        """One stat: the clip's file is there (and not empty)."""
        try:
            return self.path_for(key).stat().st_size > 0
        except OSError:
            return False

    def write(self, key: str, data: bytes) -> Path:
        """Validate `data` as MP3 and make it visible atomically under the key's name."""
        info = mp3.parse(data)  # raises Mp3Error before anything touches the disk
        final = self.path_for(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{key}-", suffix=".part", dir=final.parent)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if tmp.stat().st_size != info.size:
                raise OSError(f"short write for {final.name}")
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; a front web server must read the file
            os.replace(tmp, final)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        self._changed()
        return final

    def _changed(self) -> None:
        """Announce a change: count it here, and grow the marker by a byte for other processes (its
        size changes even when two changes fall in the same tick of the file system's clock)."""
        global _changes_here
        _changes_here += 1
        with contextlib.suppress(OSError), open(self.root / CHANGES_MARKER, "ab") as marker:
            if marker.tell() >= 1 << 20:
                marker.truncate(0)
            marker.write(b".")

    def produce(self, key: str, engine: Synthesizer, text: str) -> Path:
        """Synthesize `text` with `engine` and store it; on any error nothing is written."""
        return self.write(key, engine.synthesize(text))

    def shard_dirs(self) -> Iterator[Path]:
        if not self.root.is_dir():
            return
        for entry in sorted(self.root.iterdir()):
            if entry.is_dir() and len(entry.name) == 2 and all(c in "0123456789abcdef" for c in entry.name):
                yield entry

    def files(self) -> Iterator[Path]:
        """Every file in the shard directories (clips and anything else that got there)."""
        for shard in self.shard_dirs():
            for entry in sorted(shard.iterdir()):
                if entry.is_file() or entry.is_symlink():
                    yield entry

    def keys(self) -> Iterator[str]:
        for path in self.files():
            if path.suffix == ".mp3" and KEY_RE.fullmatch(path.stem) and path.parent.name == path.stem[:2]:
                yield path.stem

    def orphans(self, needed: Iterable[str], now: float | None = None) -> list[Path]:
        """Files under the shard directories that no needed key names.

        Temporary files count only once they are stale (a running `warm` may be writing them).
        Top-level files of AUDIO_DIR (a README, .gitkeep) are never touched.
        """
        wanted = {self.path_for(key) for key in needed}
        now = time.time() if now is None else now
        found: list[Path] = []
        for path in self.files():
            if path in wanted:
                continue
            if path.name.startswith(TMP_PREFIX):
                try:
                    if now - path.stat().st_mtime < STALE_TMP_SECONDS:
                        continue
                except OSError:
                    continue
            found.append(path)
        return found

    def remove(self, paths: Iterable[Path]) -> int:
        removed = 0
        for path in paths:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        for shard in list(self.shard_dirs()):
            with contextlib.suppress(OSError):
                shard.rmdir()  # only succeeds when empty
        if removed:
            self._changed()
        return removed
