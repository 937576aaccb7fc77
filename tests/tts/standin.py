"""A stand-in speech engine for runs over the whole bank: real MP3 frames, paced like espeak-ng.

`tts warm` over every current question with real espeak-ng takes about a minute (1 300 clips, one
process each). What such a run proves about the command (every question is covered, it resumes,
`verify` accepts the files and reports each item's size) does not depend on the voice, so those
runs use this engine; real espeak-ng output is checked on a few questions through the same command
and on the bank's longest items in test_budget.py.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from app.tts.cli import SPEAKABLE_RE

SECONDS_PER_CHARACTER = 0.27  # espeak-ng's pace at the default rate (about 3.7 characters a second)


@functools.cache
def _unit() -> tuple[bytes, float]:
    """A short real MP3 (a tone, 22 050 Hz mono) and how long it plays; copies of it concatenate
    into a longer MP3 that every player and app.tts.mp3 read."""
    from app.tts import mp3
    from tests.tts.conftest import make_mp3

    data = make_mp3(0.25, rate=22050)
    return data, mp3.parse(data).duration


class PacedTone:
    name = "tone"
    local = True

    def __init__(self, lang: str, slow: bool) -> None:
        self.lang, self.slow = lang, slow

    @classmethod
    def from_config(cls, config: Mapping[str, Any], *, lang: str, slow: bool) -> PacedTone:
        return cls(lang, slow)

    def identity(self) -> dict[str, Any]:
        return {"engine": "paced-tone", "lang": self.lang, "slow": self.slow}

    def available(self) -> bool:
        return True

    def synthesize(self, text: str) -> bytes:
        unit, seconds = _unit()
        spoken = SECONDS_PER_CHARACTER * max(1, len(SPEAKABLE_RE.findall(text)))
        return unit * max(1, round(spoken / seconds))
