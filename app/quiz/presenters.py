"""Plain dicts for templates and the API. A question's view never holds its answer."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import current_app

from app.bank.taxonomy import KINDS, RULES
from app.quiz.finishing import Score
from app.quiz.models import Answer, AnswerFields, AttemptFields, AttemptQuestion, SlotFields
from app.quiz.reading import display_keys, question_of, to_labels


def public_question_id(attempt_id: str, item_id: str) -> str:
    """The id a learner sees for a question: an HMAC of the attempt and the bank item under the app's
    secret key. The same attempt and question always get the same id; it tells nothing about the item
    (bank ids such as `…-real` would hint at a judge question's answer) and differs between attempts."""
    secret = current_app.secret_key
    key = secret if isinstance(secret, bytes) else str(secret or "").encode("utf-8")
    message = f"question-id\0{attempt_id}\0{item_id}".encode()
    return "q" + hmac.new(key, message, hashlib.sha256).hexdigest()[:24]


def question_view(attempt: AttemptFields, slot: SlotFields) -> dict[str, Any]:
    q = question_of(slot)
    return {
        "n": slot.position,
        "total": attempt.question_count,
        "question_id": public_question_id(attempt.id, q.item_id),
        "kind": q.kind,
        "kind_label": KINDS[q.kind],
        "scenario": q.body["scenario"],
        "prompt": q.body["prompt"],
        "options": [{"key": label, "text": q.option_text(key)} for label, key in display_keys(slot).items()],
        "case": {"title": q.body.get("case_title"), "step": q.step, "steps": q.steps} if q.case_id else None,
    }


def feedback_view(slot: SlotFields, answer: AnswerFields) -> dict[str, Any]:
    q = question_of(slot)
    rule = RULES.get(q.body["rule"])
    correct_labels = to_labels(slot, q.answers)
    chosen_labels = to_labels(slot, answer.choices)
    texts = dict((label, q.option_text(key)) for label, key in display_keys(slot).items())
    return {
        "correct": answer.correct,
        "correct_choices": correct_labels,
        "your_choices": chosen_labels,
        "correct_texts": [f"{label}. {texts[label]}" for label in correct_labels],
        "your_texts": [f"{label}. {texts[label]}" for label in chosen_labels],
        "explanation": q.body["explanation"],
        "rule": q.body["rule"],
        "rule_wording": rule.wording if rule else "",
        "action": q.body["action"],
        "source": q.body["source"],
    }


def review_view(slots: list[AttemptQuestion], answers: dict[int, Answer]) -> list[dict[str, Any]]:
    """What to learn again after finishing: each question answered wrongly, with its key and
    explanation, and each question left unanswered, marked as such and nothing more.

    An unanswered question never shows its key or explanation: starting a quiz and finishing it at
    once must not hand out the answers before the attempt that counts. A later scenario step whose
    earlier step was left unanswered was never unlocked, so not even its prompt (which may give the
    earlier answer away) is shown.
    """
    review = []
    for slot in slots:
        answer = answers.get(slot.position)
        if answer is not None and answer.correct:
            continue
        q = question_of(slot)
        if answer is None:
            locked = (q.step or 1) > 1 and answers.get(slot.position - 1) is None
            review.append({"n": slot.position, "answered": False, "prompt": None if locked else q.body["prompt"]})
            continue
        correct_labels = to_labels(slot, q.answers)
        texts = dict((label, q.option_text(key)) for label, key in display_keys(slot).items())
        review.append(
            {
                "n": slot.position,
                "answered": True,
                "prompt": q.body["prompt"],
                "your_texts": [f"{lb}. {texts[lb]}" for lb in to_labels(slot, answer.choices)],
                "correct_texts": [f"{lb}. {texts[lb]}" for lb in correct_labels],
                "explanation": q.body["explanation"],
                "rule": q.body["rule"],
                "action": q.body["action"],
            }
        )
    return review


def score_view(score: Score) -> dict[str, Any]:
    """The API's score: the contract's three keys, then whether it counted for a group and why not."""
    return {"score": score.score, "total": score.total, "passed": score.passed, "counted": score.counted,
            "count_note": score.count_note}
