"""Clip keys: the file name is a hash of the spoken text and of everything that changes the sound.

Any change in the text, the speech-text version or an engine's identity (engine, its version,
language, voice, speed, lexicon, encoder...) gives a new key, so a URL never changes meaning and
can be cached for a year.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from app.tts.text import SPEECH_TEXT_VERSION

KEY_LENGTH = 32
KEY_RE = re.compile(r"[0-9a-f]{32}")


def clip_spec(text: str, identity: Mapping[str, Any]) -> dict[str, Any]:
    if "text" in identity or "speech_text_v" in identity:
        raise ValueError("engine identity may not use the names 'text' or 'speech_text_v'")
    return {"text": text, "speech_text_v": SPEECH_TEXT_VERSION, **identity}


def clip_key(text: str, identity: Mapping[str, Any]) -> str:
    """32 hex characters: sha256 of the canonical JSON of {text, speech_text_v, **identity}."""
    raw = json.dumps(clip_spec(text, identity), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:KEY_LENGTH]


def is_key(value: str) -> bool:
    return KEY_RE.fullmatch(value) is not None
