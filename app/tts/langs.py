"""Listener languages and the per-language touches engines apply before synthesis.

Speech text is language-neutral (text.py). Cantonese reads a hotline's 1 as 一, not 幺, so the
substitutions below are applied by every engine for that language and are part of its identity.
"""

from __future__ import annotations

import hashlib
import json

LANGUAGES: dict[str, str] = {"zh-CN": "普通话", "yue": "粤语"}

SUBSTITUTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "zh-CN": (),
    "yue": (("幺", "一"),),
}


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"不支持的朗读语言“{lang}”，可用的有：{'、'.join(LANGUAGES)}")
    return lang


def localize(text: str, lang: str) -> str:
    for old, new in SUBSTITUTIONS.get(lang, ()):
        text = text.replace(old, new)
    return text


def localization_id(lang: str) -> str:
    raw = json.dumps(SUBSTITUTIONS.get(lang, ()), ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]
