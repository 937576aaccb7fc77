"""JSON API v1: thin views over app.quiz.services."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from werkzeug.wrappers import Response

from app.api import bp
from app.api.auth import bearer_attempt, bearer_slot
from app.api.bodies import BadBody, json_body
from app.api.openapi import spec
from app.database import autocommit
from app.extensions import db, limiter
from app.quiz import services
from app.quiz.errors import AlreadyAnswered
from app.quiz.listen import api_feedback_audio, api_question_audio
from app.quiz.presenters import feedback_view, question_view, score_view
from app.ratelimit.keys import answer_limit, attempt_key, learner_key, start_limit
from app.tts.langs import LANGUAGES


def _optional_str(data: dict[str, Any], key: str, limit: int) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise BadBody(f"{key} 应当是不超过 {limit} 个字符的文字。")
    return value


def _lang() -> str:
    """Listener language for audio URLs: ?lang=yue for Cantonese, Mandarin otherwise."""
    lang = request.args.get("lang", "zh-CN")
    return lang if lang in LANGUAGES else "zh-CN"


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(spec())


@bp.get("/v1/quizzes")
def quizzes() -> Response:
    return jsonify(
        quizzes=[
            {"id": q.id, "title": q.title, "audience": q.audience, "question_count": q.question_count,
             "pass_mark": q.pass_mark, "description": q.description}
            for q in services.active_quizzes()
        ]
    )


@bp.post("/v1/attempts")
@limiter.limit(start_limit, key_func=learner_key)
def start() -> tuple[Response, int]:
    data = json_body()
    quiz_id = data.get("quiz_id")
    if not isinstance(quiz_id, str):
        raise BadBody("请提供 quiz_id（测验编号，文字）。")
    participant = services.participant_by_key(_optional_str(data, "participant_token", 100))
    participant_token = None
    if participant is None:
        services.get_quiz(quiz_id)  # an unknown quiz must not leave a participant behind
        participant, participant_token = services.new_participant()
    started = services.start_with_code(quiz_id, data.get("nickname"), participant, data.get("join_code"),
                                       staff_no=_optional_str(data, "staff_no", 32),
                                       staff_name=_optional_str(data, "staff_name", 40))
    db.session.rollback()
    body = {
        "attempt_id": started.attempt.id,
        "token": started.token,
        "quiz_id": started.attempt.quiz_id,
        "question_count": started.attempt.question_count,
    }
    if participant_token:
        body["participant_token"] = participant_token
    return jsonify(body), 201


@bp.get("/v1/attempts/<attempt_id>")
def status(attempt_id: str) -> Response:
    attempt = bearer_attempt(attempt_id)
    score = services.score_of(attempt) if attempt.finished else None
    return jsonify(
        status="finished" if attempt.finished else "open",
        answered=attempt.answered,
        question_count=attempt.question_count,
        score=score.score if score else None,
        counted=score.counted if score else None,
        count_note=score.count_note if score else None,
    )


@bp.get("/v1/attempts/<attempt_id>/questions/<int:n>")
def question(attempt_id: str, n: int) -> Response:
    autocommit(db.session)
    attempt, slot, answer, previous_answered = bearer_slot(attempt_id, n)
    if answer is None:
        services.check_step_unlocked(slot, previous_answered)
    view = question_view(attempt, slot)
    view.pop("kind_label")
    view["audio"] = api_question_audio(slot, _lang())
    return jsonify(view)


@bp.post("/v1/attempts/<attempt_id>/questions/<int:n>/answer")
@limiter.limit(answer_limit, key_func=attempt_key)
def answer(attempt_id: str, n: int) -> Response:
    autocommit(db.session)  # the lookups and the one-statement write, without BEGIN and COMMIT
    attempt, slot, answer, previous_answered = bearer_slot(attempt_id, n)
    data = json_body()
    if answer is not None:
        raise AlreadyAnswered()  # the common double tap, refused without a write
    recorded = services.record_answer(attempt, slot, data.get("choices"), previous_answered)
    view = feedback_view(slot, recorded)
    view["audio"] = api_feedback_audio(slot, _lang())
    return jsonify(view)


@bp.post("/v1/attempts/<attempt_id>/finish")
def finish(attempt_id: str) -> Response:
    return jsonify(score_view(services.finish(bearer_attempt(attempt_id))))

