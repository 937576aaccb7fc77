"""The result page of a finished attempt: its score, what to learn again, and what other features
offer next (listeners of `result_shown`), gathered by one service call so the view and its
templates run no queries of their own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from app.quiz.events import result_shown
from app.quiz.finishing import Score, finish, score_of
from app.quiz.models import Attempt
from app.quiz.presenters import review_view
from app.quiz.reading import answers_of, first_unanswered, slots


@dataclass(frozen=True)
class ResultSection:
    template: str  # included by quiz/result.html with `section.values` in scope
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ResultPage:
    attempt: Attempt
    score: Score
    review: list[dict[str, Any]]
    sections: list[ResultSection]


def result_page(attempt: Attempt) -> ResultPage | int:
    """The result of the attempt, finishing it first when every question is answered; the number
    of the first unanswered question instead while one is left."""
    if not attempt.finished:
        pending = first_unanswered(attempt)
        if pending is not None:
            return pending
        finish(attempt)
    score = score_of(attempt)
    review = review_view(slots(attempt), answers_of(attempt))
    sender = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy, typed as the Flask it stands for
    sections = [value for _, value in result_shown.send(sender, attempt=attempt, score=score)
                if isinstance(value, ResultSection)]
    return ResultPage(attempt, score, review, sections)
