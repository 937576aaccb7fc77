"""Each item's clips stay under 200 KB: the spoken-length budget the bank is written to, checked against
what espeak-ng really produces at the configured rate (real synthesis, no stand-ins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.bank.loader import load_bank
from app.config import ROOT, Defaults
from app.tts import mp3
from app.tts.engines.espeak import EspeakSynthesizer
from app.tts.text import ITEM_AUDIO_BUDGET_BYTES, ITEM_SPOKEN_BUDGET, clips_for, spoken_length


@pytest.fixture(scope="module")
def bank_questions() -> list:
    return list(load_bank(Path(ROOT / "question_bank")).questions)


@pytest.fixture(scope="module")
def voice() -> EspeakSynthesizer:
    return EspeakSynthesizer("zh-CN", rate=Defaults.TTS_ESPEAK_RATE, kbps=Defaults.TTS_MP3_KBPS)


def _item_audio(voice: EspeakSynthesizer, question) -> tuple[int, float, int]:
    """(bytes, seconds, characters) of one item's own clips."""
    size, seconds, chars = 0, 0.0, 0
    for text in clips_for(question.body(), question.kind).values():
        data = voice.synthesize(text)
        size, seconds, chars = size + len(data), seconds + mp3.parse(data).duration, chars + len(text)
    return size, seconds, chars


def test_every_shipped_item_is_written_to_the_spoken_budget(bank_questions) -> None:
    over = {q.item_id: n for q in bank_questions if (n := spoken_length(q.body(), q.kind)) > ITEM_SPOKEN_BUDGET}
    assert not over, f"write a shorter `speech` version for: {over}"


def test_the_longest_items_fit_200_kb_when_really_voiced(bank_questions, voice) -> None:
    longest = sorted(bank_questions, key=lambda q: spoken_length(q.body(), q.kind))[-2:]
    for question in longest:
        size, seconds, chars = _item_audio(voice, question)
        assert size < ITEM_AUDIO_BUDGET_BYTES, (question.item_id, size, seconds)
        # the pace the budget assumes (about 3.7 characters a second) is the pace espeak really speaks
        assert 3.3 < chars / seconds < 4.3, (question.item_id, chars / seconds)


def test_the_budget_leaves_room_for_slower_passages(voice) -> None:
    """A budget-sized text full of pauses (short clauses, hotline digits) still fits."""
    clause = "挂断电话，不要转账，拨打幺幺零。"
    text = (clause * (ITEM_SPOKEN_BUDGET // len(clause) + 1))[:ITEM_SPOKEN_BUDGET]
    data = voice.synthesize(text)
    assert len(data) < ITEM_AUDIO_BUDGET_BYTES, (len(data), mp3.parse(data).duration)
