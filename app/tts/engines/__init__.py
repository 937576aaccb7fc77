"""Engine registry: names -> classes, imported lazily so gTTS is only loaded when used.

More engines come by configuration only: TTS_ENGINE_CLASSES = {"piper": "mypkg.piper:PiperSynthesizer"}
adds a name that TTS_ENGINES (the chain) and `tts warm --engine` can then use. An engine class
provides `from_config(config, *, lang, slow)` and the Synthesizer protocol.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from app.tts.engines.base import Synthesizer, TTSError
from app.tts.settings import setting

BUILTIN: dict[str, str] = {
    "gtts": "app.tts.engines.gtts_engine:GTTSSynthesizer",
    "espeak": "app.tts.engines.espeak:EspeakSynthesizer",
}


class UnknownEngine(ValueError):
    pass


def registry(config: Mapping[str, Any]) -> dict[str, str]:
    return {**BUILTIN, **dict(setting(config, "TTS_ENGINE_CLASSES") or {})}


def engine_class(name: str, config: Mapping[str, Any]) -> Any:
    target = registry(config).get(name)
    if target is None:
        raise UnknownEngine(f"不认识语音引擎“{name}”，可用的有：{'、'.join(registry(config))}")
    module_name, _, class_name = target.partition(":")
    return getattr(importlib.import_module(module_name), class_name)


def create_engine(name: str, config: Mapping[str, Any], *, lang: str, slow: bool = False) -> Synthesizer:
    engine: Synthesizer = engine_class(name, config).from_config(config, lang=lang, slow=slow)
    return engine


def chain_names(config: Mapping[str, Any]) -> list[str]:
    return list(setting(config, "TTS_ENGINES"))


def languages(config: Mapping[str, Any]) -> list[str]:
    return list(setting(config, "TTS_LANGUAGES"))


__all__ = ["Synthesizer", "TTSError", "UnknownEngine", "chain_names", "create_engine", "engine_class", "languages", "registry"]
