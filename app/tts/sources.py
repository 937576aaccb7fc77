"""Texts other than questions that are spoken (the 承诺书's paragraphs …), registered by the features
that own them in the factory (app.configure_speech), so speech imports no feature above the bank."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Flask, current_app

EXTENSION = "tts.other_texts"
TextSource = Callable[[], Iterable[tuple[str, str]]]  # (where it is spoken, for messages; the text)


def register_texts(app: Flask, source: TextSource) -> None:
    app.extensions.setdefault(EXTENSION, []).append(source)


def other_texts() -> list[tuple[str, str]]:
    """Every registered (where, text) pair, in registration order."""
    return [pair for source in current_app.extensions.get(EXTENSION, []) for pair in source()]
