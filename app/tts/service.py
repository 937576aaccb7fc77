"""Which file plays a speech text: cheap enough to call for every clip of every request.

`audio_url(text, lang)` walks the configured chain (TTS_ENGINES) and returns /audio/<key>.mp3 for
the first engine whose file exists: a hash and a stat per engine. Each worker remembers the answers
until the store changes (app.tts.store announces every write and removal), which costs one stat
per request instead of two per clip. Engine identities are computed once per process and app
(espeak-ng's version is read on first use, not at import).
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

from flask import Flask, current_app, g, has_request_context, request

from app.tts.engines import UnknownEngine, chain_names, create_engine, languages
from app.tts.engines.base import Synthesizer, TTSError
from app.tts.keys import clip_key
from app.tts.mp3 import Mp3Error
from app.tts.settings import audio_dir, setting
from app.tts.store import AudioStore, change_stamp, changes_here
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
    state: _State | None = app.extensions.get("tts")
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


MEMO_LIMIT = 50_000  # distinct (text, language, speed, chain, on-demand) answers kept per worker


def _memo(app: Flask, root: str) -> dict[tuple[Any, ...], str | None]:
    """This worker's remembered audio_url answers, valid while the store at root is unchanged:
    nothing written here since (counted in-process), and the marker of other processes' writes as
    it was at this request's first lookup (one stat per request)."""
    seen = g.get("tts_store_stamp")
    if seen is None or seen[0] != root:
        seen = (root, change_stamp(root))
        g.tts_store_stamp = seen
    stamp = (seen, changes_here())
    memo = app.extensions.get("tts-urls")
    if memo is None or memo[0] != stamp or len(memo[1]) > MEMO_LIMIT:
        memo = (stamp, {})
        app.extensions["tts-urls"] = memo
    return memo[1]


def audio_url(text: str, lang: str = "zh-CN") -> str | None:
    """URL path of the clip for a speech text (from clips_for or LABEL_CLIPS), or None.

    None means no engine's file exists: the client falls back to the phone's own speech or
    says 本机暂不支持朗读.
    """
    if not text or not text.strip():
        return None
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy, typed as the Flask it stands for
    if lang not in languages(app.config):
        return None
    slow = bool(setting(app.config, "TTS_SLOW"))
    root = _root(app)
    memo = _memo(app, root)
    memo_key = (text, lang, slow, tuple(chain_names(app.config)), bool(setting(app.config, "TTS_ON_DEMAND")))
    try:
        key = memo[memo_key]
    except KeyError:
        key = memo[memo_key] = _find(app, root, text, lang, slow)
    return None if key is None else _url(key)


def _find(app: Flask, root: str, text: str, lang: str, slow: bool) -> str | None:
    """The clip key to serve for text: the first engine's file that exists, else (when on-demand
    speech is on) a file made now by a local engine, else None."""
    chain = resolved_chain(app, lang, slow)
    for item in chain:
        key = item.key(text)
        if _exists(root, key):
            return key
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
            return key
    return None


def clip_urls(body: dict[str, Any], kind: str, lang: str = "zh-CN") -> dict[str, str | None]:
    """Part name -> audio URL (or None) for one stored question body."""
    return {part: audio_url(text, lang) for part, text in clips_for(body, kind).items()}


def label_urls(lang: str = "zh-CN") -> dict[str, str | None]:
    """Option label (A-F) -> audio URL of 选项A ... 选项F."""
    return {label: audio_url(text, lang) for label, text in LABEL_CLIPS.items()}
