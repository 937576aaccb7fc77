"""Quiz pages: thin views over app.quiz.services, Post/Redirect/Get throughout."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from app.errors import DomainError, show_on_form
from app.extensions import db, limiter
from app.quiz import services
from app.quiz.errors import AlreadyAnswered, InvalidChoice, QuizNeedsGroupCode, StepLocked
from app.quiz.forms import AnswerForm, EmptyForm, StartForm
from app.quiz.listen import feedback_audio, listener_lang, question_audio
from app.quiz.lookup import Lookup
from app.quiz.players import my_attempt, my_participant_id, remember_player, this_participant
from app.quiz.presenters import feedback_view, question_view
from app.ratelimit.keys import answer_limit, attempt_key, learner_key, start_limit

bp = Blueprint("quiz", __name__)


@bp.route("/play/<quiz_id>", methods=["GET", "POST"])
@limiter.limit(start_limit, key_func=learner_key, methods=["POST"])
def play(quiz_id: str) -> Response | tuple[str, int] | str:
    quiz = services.get_quiz(quiz_id)
    form = StartForm()
    if not form.is_submitted():
        form.nickname.data = session.get("nickname", "")
    private = quiz.organisation_id is not None  # a unit's own quiz: played with one of its groups' codes
    if form.validate_on_submit():
        try:
            if private and not (form.join_code.data or "").strip():
                raise QuizNeedsGroupCode()
            started = services.start_with_code(quiz.id, form.nickname.data, this_participant(), form.join_code.data)
        except DomainError as exc:
            db.session.rollback()
            if not show_on_form(form, exc, fallback="join_code"):
                raise
        else:
            remember_player(started.attempt)
            return redirect(url_for("quiz.question", attempt_id=started.attempt.id, n=1), code=303)
        return render_template("quiz/start.html", quiz=quiz, form=form, private=private), 422
    return render_template("quiz/start.html", quiz=quiz, form=form, private=private)


@bp.get("/a/<attempt_id>/<int:n>")
def question(attempt_id: str, n: int) -> Response | str:
    found = services.owned_slot(attempt_id, n, my_participant_id())
    if found.answer is not None:
        return _feedback_page(found, found.answer)
    if found.attempt.finished:
        return redirect(url_for("quiz.result", attempt_id=attempt_id), code=303)
    try:
        services.check_step_unlocked(found.slot, found.previous_answered)
    except StepLocked:
        return redirect(url_for("quiz.question", attempt_id=attempt_id,
                                n=services.first_unanswered(found.attempt)), code=303)
    return _question_page(found, AnswerForm())


@bp.post("/a/<attempt_id>/<int:n>")
@limiter.limit(answer_limit, key_func=attempt_key)
def answer(attempt_id: str, n: int) -> Response | tuple[str, int]:
    found = services.owned_slot(attempt_id, n, my_participant_id())
    form = AnswerForm()  # CSRF is checked for every POST by the global CSRFProtect
    try:
        if found.answer is not None:
            raise AlreadyAnswered()  # the common double tap, refused without a write
        services.record_answer(found.attempt, found.slot, form.choices.data or [], found.previous_answered)
    except InvalidChoice as exc:
        return _question_page(found, form, error=exc.message), 422
    except AlreadyAnswered as exc:
        again = services.owned_slot(attempt_id, n, my_participant_id())
        if again.answer is None:
            raise
        return _feedback_page(again, again.answer, notice=exc.message), 409
    return redirect(url_for("quiz.question", attempt_id=attempt_id, n=n), code=303)


def _question_page(found: Lookup, form: AnswerForm, error: str | None = None) -> str:
    return render_template(
        "quiz/question.html",
        attempt=found.attempt,
        q=question_view(found.attempt, found.slot),
        form=form,
        error=error,
        listen=question_audio(found.slot, listener_lang()),
    )


def _feedback_page(found: Lookup, answer: services.AnswerFields, notice: str | None = None) -> str:
    return render_template(
        "quiz/feedback.html",
        attempt=found.attempt,
        q=question_view(found.attempt, found.slot),
        fb=feedback_view(found.slot, answer),
        next_n=services.first_unanswered(found.attempt),
        form=EmptyForm(),
        notice=notice,
        listen=feedback_audio(found.slot, listener_lang()),
    )


@bp.post("/a/<attempt_id>/finish")
def finish(attempt_id: str) -> Response:
    services.finish(my_attempt(attempt_id))
    return redirect(url_for("quiz.result", attempt_id=attempt_id), code=303)


@bp.get("/a/<attempt_id>/result")
def result(attempt_id: str) -> Response | str:
    page = services.result_page(my_attempt(attempt_id))
    if isinstance(page, int):
        return redirect(url_for("quiz.question", attempt_id=attempt_id, n=page), code=303)
    return render_template("quiz/result.html", page=page, attempt=page.attempt, form=EmptyForm())


@bp.post("/a/<attempt_id>/again")
@limiter.limit(start_limit, key_func=learner_key)
def again(attempt_id: str) -> Response:
    """再来一次: a fresh draw of the same quiz, for the same class, unit person or family."""
    attempt = my_attempt(attempt_id)
    started = services.start_again(attempt, this_participant())
    remember_player(started.attempt)
    return redirect(url_for("quiz.question", attempt_id=started.attempt.id, n=1), code=303)
