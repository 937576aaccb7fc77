"""What the 听题 / 听选项 / 听解析 buttons play: ordered segments of (clip URL or None, speech text).

A segment without a clip is spoken by the phone itself where it can (Web Speech), otherwise the page
says 本机暂不支持朗读. Explanation segments exist only after the answer, like the explanation text.
"""

from __future__ import annotations

from typing import Any

from flask import request

from app.quiz.models import SlotFields
from app.quiz.services import display_keys, question_of
from app.tts.langs import LANGUAGES
from app.tts.service import audio_url
from app.tts.text import LABEL_CLIPS, clips_for

VOICE_COOKIE = "voice"


def listener_lang() -> str:
    lang = request.cookies.get(VOICE_COOKIE, "zh-CN")
    return lang if lang in LANGUAGES else "zh-CN"


def _segment(text: str | None, lang: str) -> dict[str, Any] | None:
    if not text:
        return None
    return {"src": audio_url(text, lang), "text": text}


def _segments(texts: list[str | None], lang: str) -> list[dict[str, Any]]:
    return [s for t in texts if (s := _segment(t, lang))]


def question_audio(slot: SlotFields, lang: str) -> dict[str, list[dict[str, Any]]]:
    q = question_of(slot)
    clips = clips_for(q.body, q.kind)
    options: list[str | None] = []
    for label, key in display_keys(slot).items():
        options += [LABEL_CLIPS[label], clips.get(f"option:{key}")]
    stem = [clips.get("scenario"), clips.get("prompt")]
    return {
        "question": _segments(stem, lang),
        "options": _segments(options, lang),
        "all": _segments(stem + options, lang),
    }


def feedback_audio(slot: SlotFields, lang: str) -> list[dict[str, Any]]:
    """The right option(s), read as label then text, then the explanation."""
    q = question_of(slot)
    clips = clips_for(q.body, q.kind)
    back = {key: label for label, key in display_keys(slot).items()}
    texts: list[str | None] = []
    for key in q.answers:
        texts += [LABEL_CLIPS[back[key]], clips.get(f"option:{key}")]
    texts.append(clips.get("explanation"))
    return _segments(texts, lang)


def api_question_audio(slot: SlotFields, lang: str) -> dict[str, Any]:
    q = question_of(slot)
    clips = clips_for(q.body, q.kind)
    return {
        "prompt": audio_url(clips.get("prompt", ""), lang),
        "scenario": audio_url(clips.get("scenario", ""), lang),
        "options": {
            label: {"label": audio_url(LABEL_CLIPS[label], lang), "text": audio_url(clips.get(f"option:{key}", ""), lang)}
            for label, key in display_keys(slot).items()
        },
    }


def api_feedback_audio(slot: SlotFields, lang: str) -> dict[str, Any]:
    q = question_of(slot)
    return {"explanation": audio_url(clips_for(q.body, q.kind).get("explanation", ""), lang)}
