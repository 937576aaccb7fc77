"""JSON API v1: thin views over app.quiz.services."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import jsonify, request
from werkzeug.wrappers import Response

from app.api import bp
from app.api.auth import bearer_attempt, bearer_slot
from app.api.openapi import spec
from app.database import autocommit
from app.errors import DomainError
from app.extensions import db, limiter
from app.quiz import services
from app.quiz.errors import AlreadyAnswered
from app.quiz.listen import api_feedback_audio, api_question_audio
from app.quiz.presenters import feedback_view, question_view, score_view
from app.ratelimit.keys import answer_limit, attempt_key, learner_key, start_limit
from app.tts.langs import LANGUAGES

SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")  # an escaped surrogate, \ud800 to \udfff: half a pair, or a pair


class BadBody(DomainError):
    status = 400
    code = "invalid_body"
    message = "请求体应当是一个 JSON 对象。"


class NotJson(DomainError):
    status = 415
    code = "unsupported_media_type"
    message = "请求体应当是 JSON：请加上请求头 Content-Type: application/json。"


def _body() -> dict[str, Any]:
    """The request's JSON object. Only JSON media types are read (application/json or
    application/*+json): a text/plain body or one without a Content-Type is a 415, so a plain HTML form
    or a cross-site "simple" request can never start attempts from a visitor's browser."""
    if not request.is_json:
        raise NotJson()
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # brackets nested deeper than the parser's stack; get_json only catches ValueError
        raise BadBody("请求体嵌套太深，应当是一个简单的 JSON 对象。") from None
    if not isinstance(data, dict):
        raise BadBody()
    if SURROGATE_ESCAPE.search(request.get_data()) and not _encodable(data):
        raise BadBody("请求体里有无法识别的文字（不成对的代理字符），请用 UTF-8 文字重新提交。")
    return data


def _encodable(data: dict[str, Any]) -> bool:
    """JSON may escape half a surrogate pair, which no database and no hash can take as text."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        return False
    return True


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
    data = _body()
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
    data = _body()
    if answer is not None:
        raise AlreadyAnswered()  # the common double tap, refused without a write
    recorded = services.record_answer(attempt, slot, data.get("choices"), previous_answered)
    view = feedback_view(slot, recorded)
    view["audio"] = api_feedback_audio(slot, _lang())
    return jsonify(view)


@bp.post("/v1/attempts/<attempt_id>/finish")
def finish(attempt_id: str) -> Response:
    return jsonify(score_view(services.finish(bearer_attempt(attempt_id))))

