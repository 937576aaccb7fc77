"""Which file plays a speech text: cheap enough to call for every clip of every request.

`audio_url(text, lang)` walks the configured chain (TTS_ENGINES) and returns /audio/<key>.mp3 for
the first engine whose file exists: a hash and a stat per engine. Engine identities are computed
once per process and app (espeak-ng's version is read on first use, not at import).
Nothing is synthesised here unless TTS_ON_DEMAND is on, and then only by a local engine.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_request_context, request

from app.tts.engines import UnknownEngine, chain_names, create_engine, languages
from app.tts.engines.base import Synthesizer, TTSError
from app.tts.keys import clip_key
from app.tts.mp3 import Mp3Error
from app.tts.settings import audio_dir, setting
from app.tts.store import AudioStore
from app.tts.text import LABEL_CLIPS, clips_for

log = logging.getLogger(__name__)


@dataclass
class _Resolved:
    engine: Synthesizer
    identity: dict[str, Any]

    def __post_init__(self) -> None:
        self.identity_json = json.dumps(self.identity, sort_keys=True, ensure_ascii=False)

    def key(self, text: str) -> str:
        return _key(text, self.identity_json)


@lru_cache(maxsize=32768)
def _key(text: str, identity_json: str) -> str:
    """Hashing is most of audio_url's cost; the same few thousand texts recur on every page."""
    return clip_key(text, json.loads(identity_json))


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    chains: dict[tuple[Any, ...], list[_Resolved]] = field(default_factory=dict)


def _state(app: Flask) -> _State:
    state = app.extensions.get("tts")
    if state is None:
        state = app.extensions.setdefault("tts", _State())
    return state


def resolved_chain(app: Flask, lang: str, slow: bool) -> list[_Resolved]:
    """The chain's engines with their identities, built once per (chain, lang, speed).

    An engine whose identity cannot be known here (espeak-ng not installed, gTTS missing) is left
    out: its files could not be named anyway.
    """
    names = tuple(chain_names(app.config))
    cache_key = (names, lang, slow)
    state = _state(app)
    chain = state.chains.get(cache_key)
    if chain is not None:
        return chain
    with state.lock:
        chain = state.chains.get(cache_key)
        if chain is None:
            chain = []
            for name in names:
                try:
                    engine = create_engine(name, app.config, lang=lang, slow=slow)
                    chain.append(_Resolved(engine, engine.identity()))
                except (TTSError, UnknownEngine, ImportError, ValueError) as exc:
                    log.warning("TTS engine %s unusable for %s: %s", name, lang, exc)
            state.chains[cache_key] = chain
    return chain


def _url(key: str) -> str:
    root = request.script_root if has_request_context() else ""
    return f"{root}/audio/{key}.mp3"


def _root(app: Flask) -> str:
    """AUDIO_DIR as a string, worked out once per value (Path arithmetic showed up in profiles)."""
    raw = app.config.get("AUDIO_DIR")
    cached = app.extensions.get("tts-root")
    if cached is None or cached[0] != raw:
        cached = (raw, str(audio_dir(app.config)))
        app.extensions["tts-root"] = cached
    return cached[1]


def _exists(root: str, key: str) -> bool:
    """The same check as AudioStore.exists, on plain strings: this runs for every clip of a page."""
    try:
        return os.stat(os.path.join(root, key[:2], key + ".mp3")).st_size > 0
    except OSError:
        return False


def audio_url(text: str, lang: str = "zh-CN") -> str | None:
    """URL path of the clip for a speech text (from clips_for or LABEL_CLIPS), or None.

    None means no engine's file exists: the client falls back to the phone's own speech or
    says 本机暂不支持朗读.
    """
    if not text or not text.strip():
        return None
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if lang not in languages(app.config):
        return None
    slow = bool(setting(app.config, "TTS_SLOW"))
    root = _root(app)
    chain = resolved_chain(app, lang, slow)
    for item in chain:
        key = item.key(text)
        if _exists(root, key):
            return _url(key)
    if setting(app.config, "TTS_ON_DEMAND"):
        store = AudioStore(Path(root))
        for item in chain:
            if not getattr(item.engine, "local", False) or not item.engine.available():
                continue
            key = item.key(text)
            try:
                store.produce(key, item.engine, text)
            except (TTSError, Mp3Error, OSError) as exc:
                log.warning("on-demand speech failed for %s: %s", key, exc)
                continue
            return _url(key)
    return None


def clip_urls(body: dict[str, Any], kind: str, lang: str = "zh-CN") -> dict[str, str | None]:
    """Part name -> audio URL (or None) for one stored question body."""
    return {part: audio_url(text, lang) for part, text in clips_for(body, kind).items()}


def label_urls(lang: str = "zh-CN") -> dict[str, str | None]:
    """Option label (A-F) -> audio URL of 选项A ... 选项F."""
    return {label: audio_url(text, lang) for label, text in LABEL_CLIPS.items()}
