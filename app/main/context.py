"""Values every template can use."""

from __future__ import annotations

from typing import Any

from flask import Flask, request

from app.main.care import care_mode
from app.main.forms import CareForm, VoiceForm
from app.quiz.listen import listener_lang
from app.static_files import asset_url
from app.tts.langs import LANGUAGES


def _context() -> dict[str, Any]:
    return {
        "care_mode": care_mode(),
        "care_form": CareForm(formdata=None, next=request.full_path.rstrip("?") if request.method == "GET" else "/"),
        "asset_url": asset_url,
        "voice_form": VoiceForm(formdata=None, next=request.full_path.rstrip("?") if request.method == "GET" else "/"),
        "voice": listener_lang(),
        "voices": LANGUAGES,
    }


def install(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(_context)
