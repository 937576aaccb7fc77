"""Quiz pages: thin views over app.quiz.services, Post/Redirect/Get throughout."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from app.extensions import db, limiter
from app.groups.errors import RosterMismatch
from app.quiz import services
from app.quiz.errors import (
    AlreadyAnswered,
    InvalidChoice,
    InvalidJoinCode,
    InvalidNickname,
    NotYours,
    QuizNotFound,
    StepLocked,
)
from app.quiz.forms import AnswerForm, EmptyForm, StartForm
from app.quiz.listen import feedback_audio, listener_lang, question_audio
from app.quiz.models import Answer, Attempt, AttemptQuestion, Participant
from app.quiz.presenters import feedback_view, question_view, review_view, score_view
from app.ratelimit.keys import answer_limit, attempt_key, learner_key, start_limit

PRIVATE_QUIZ_NEEDS_CODE = "这份测验是单位自己出的题，只能用本单位班级的班级码参加，请向老师或工作人员要班级码。"

bp = Blueprint("quiz", __name__)


def this_participant() -> Participant:
    """This browser's participant; a new one is only flushed, and saved with its first attempt."""
    pid = session.get("pid")
    participant = db.session.get(Participant, pid) if isinstance(pid, int) else None
    if participant is None:
        participant, _key = services.new_participant()
    return participant


def remember_player(attempt: Attempt) -> None:
    """This browser is now the attempt's participant (and suggests the nickname next time)."""
    session.permanent = True
    session["pid"] = attempt.participant_id
    session["nickname"] = attempt.nickname


def _own(attempt_id: str) -> Attempt:
    attempt = services.get_attempt(attempt_id)
    if session.get("pid") != attempt.participant_id:
        raise NotYours()
    return attempt


@bp.route("/play/<quiz_id>", methods=["GET", "POST"])
@limiter.limit(start_limit, key_func=learner_key, methods=["POST"])
def play(quiz_id: str) -> Response | tuple[str, int] | str:
    quiz = services.get_quiz(quiz_id)
    form = StartForm()
    if not form.is_submitted():
        form.nickname.data = session.get("nickname", "")
    private = quiz.organisation_id is not None  # a unit's own quiz: played with one of its groups' codes
    if form.validate_on_submit():
        if private and not (form.join_code.data or "").strip():
            form.join_code.errors = [PRIVATE_QUIZ_NEEDS_CODE]
        else:
            try:
                started = services.start_attempt(quiz.id, form.nickname.data, this_participant(), form.join_code.data)
            except InvalidNickname as exc:
                db.session.rollback()
                form.nickname.errors = [exc.message]
            except (InvalidJoinCode, RosterMismatch) as exc:
                db.session.rollback()
                form.join_code.errors = [exc.message]
            except QuizNotFound:  # a code of another unit's group for this unit's own quiz
                db.session.rollback()
                form.join_code.errors = [PRIVATE_QUIZ_NEEDS_CODE]
            else:
                remember_player(started.attempt)
                return redirect(url_for("quiz.question", attempt_id=started.attempt.id, n=1), code=303)
        return render_template("quiz/start.html", quiz=quiz, form=form, private=private), 422
    return render_template("quiz/start.html", quiz=quiz, form=form, private=private)


@bp.get("/a/<attempt_id>/<int:n>")
def question(attempt_id: str, n: int) -> Response | str:
    attempt = _own(attempt_id)
    slot, answer = services.slot_and_answer(attempt, n)
    if answer is not None:
        return _feedback_page(attempt, slot, answer)
    if attempt.finished:
        return redirect(url_for("quiz.result", attempt_id=attempt.id), code=303)
    try:
        services.check_step_unlocked(attempt, slot)
    except StepLocked:
        return redirect(url_for("quiz.question", attempt_id=attempt.id, n=services.first_unanswered(attempt)), code=303)
    return _question_page(attempt, slot, AnswerForm())


@bp.post("/a/<attempt_id>/<int:n>")
@limiter.limit(answer_limit, key_func=attempt_key)
def answer(attempt_id: str, n: int) -> Response | tuple[str, int]:
    attempt = _own(attempt_id)
    slot = services.get_slot(attempt, n)
    form = AnswerForm()  # CSRF is checked for every POST by the global CSRFProtect
    try:
        services.record_answer(attempt, n, form.choices.data or [])
    except InvalidChoice as exc:
        return _question_page(attempt, slot, form, error=exc.message), 422
    except AlreadyAnswered as exc:
        attempt = services.get_attempt(attempt_id)
        slot = services.get_slot(attempt, n)
        existing = services.get_answer(attempt, n)
        if existing is not None:
            return _feedback_page(attempt, slot, existing, notice=exc.message), 409
        raise
    return redirect(url_for("quiz.question", attempt_id=attempt_id, n=n), code=303)


def _question_page(attempt: Attempt, slot: AttemptQuestion, form: AnswerForm, error: str | None = None) -> str:
    return render_template(
        "quiz/question.html",
        attempt=attempt,
        q=question_view(attempt, slot),
        form=form,
        error=error,
        listen=question_audio(slot, listener_lang()),
    )


def _feedback_page(attempt: Attempt, slot: AttemptQuestion, answer: Answer, notice: str | None = None) -> str:
    return render_template(
        "quiz/feedback.html",
        attempt=attempt,
        q=question_view(attempt, slot),
        fb=feedback_view(slot, answer),
        next_n=services.first_unanswered(attempt),
        form=EmptyForm(),
        notice=notice,
        listen=feedback_audio(slot, listener_lang()),
    )


@bp.post("/a/<attempt_id>/finish")
def finish(attempt_id: str) -> Response:
    services.finish(_own(attempt_id))
    return redirect(url_for("quiz.result", attempt_id=attempt_id), code=303)


@bp.get("/a/<attempt_id>/result")
def result(attempt_id: str) -> Response | str:
    attempt = _own(attempt_id)
    if not attempt.finished:
        pending = services.first_unanswered(attempt)
        if pending is not None:
            return redirect(url_for("quiz.question", attempt_id=attempt.id, n=pending), code=303)
        services.finish(attempt)
    slots = services.slots(attempt)
    review = review_view(attempt, slots, services.answers_of(attempt))
    return render_template(
        "quiz/result.html",
        attempt=attempt,
        score=score_view(services.score_of(attempt)),
        review=review,
        form=StartForm(nickname=attempt.nickname, join_code=attempt.join_code or ""),
    )
