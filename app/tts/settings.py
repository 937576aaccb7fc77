"""TTS settings with their defaults, read from the Flask config.

The factory's `Defaults` should carry the same values (see the report in the README section on
speech); until it does, `setting()` falls back to DEFAULTS so the package works on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.config import ROOT

DEFAULTS: dict[str, Any] = {
    # Engine chain, first wins: for each clip the first engine whose file exists is served.
    "TTS_ENGINES": ["gtts", "espeak"],
    # Languages a listener may choose; "zh-CN" is Mandarin, "yue" is Cantonese.
    "TTS_LANGUAGES": ["zh-CN", "yue"],
    # Serve gTTS's slow variant (and espeak's slower rate). The client also has a 0.8x toggle.
    "TTS_SLOW": False,
    # Synthesize a missing clip inside the request, with the local engine only (espeak-ng).
    "TTS_ON_DEMAND": False,
    # More engines by configuration: {"name": "package.module:ClassName"}.
    "TTS_ENGINE_CLASSES": {},
    # gTTS (Google Translate's web endpoint).
    "TTS_GTTS_TLD": "com",
    "TTS_GTTS_CONNECT_TIMEOUT": 5.0,
    "TTS_GTTS_READ_TIMEOUT": 20.0,
    "TTS_GTTS_THROTTLE": 1.0,  # seconds between two calls
    "TTS_GTTS_RETRIES": 3,  # extra attempts after a 429/5xx
    "TTS_GTTS_BACKOFF": 30.0,  # first retry delay in seconds, doubled each time
    "TTS_GTTS_MAX_FAILURES": 3,  # consecutive 429/5xx/timeouts that stop gTTS for the run
    # espeak-ng (Debian package) + lameenc.
    "TTS_ESPEAK_BIN": "espeak-ng",
    "TTS_ESPEAK_RATE": 175,  # syllables per minute: about 3.7 characters of our text a second, calm
    "TTS_ESPEAK_SLOW_RATE": 140,
    "TTS_ESPEAK_TIMEOUT": 60.0,
    "TTS_MP3_KBPS": 32,
    # LAME's quality/speed trade-off, 0 best .. 9 fastest. Encoding is most of `warm`'s time; at
    # 32 kbps a formant voice gains little from a slower setting.
    "TTS_MP3_QUALITY": 7,
}


def setting(config: Mapping[str, Any], name: str) -> Any:
    if name in config:
        return config[name]
    return DEFAULTS[name]


def audio_dir(config: Mapping[str, Any]) -> Path:
    """AUDIO_DIR as an absolute path; a relative one is taken from the project root."""
    raw = config.get("AUDIO_DIR") or "audio"
    path = Path(raw)
    return path if path.is_absolute() else ROOT / path
