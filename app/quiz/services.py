"""The rules of play, one module per job, gathered here for the views:

- app.quiz.participants: who plays (a phone's key);
- app.quiz.starting: starting an attempt (the draw, the context it is played in);
- app.quiz.lookup and app.quiz.reading: reading an attempt's question n and its answers;
- app.quiz.recording: recording the first answer, graded on the server;
- app.quiz.finishing: closing and scoring an attempt, announcing it (app.quiz.events);
- app.quiz.results: the result page's contents.
"""

from __future__ import annotations

from app.quiz.finishing import Score, finish, score_of
from app.quiz.lookup import Lookup
from app.quiz.lookup import slot_by_id as slot_of
from app.quiz.models import AnswerFields
from app.quiz.participants import is_key, new_participant, participant_by_key, token_hash
from app.quiz.reading import (
    answers_of,
    attempt_by_token,
    check_step_unlocked,
    display_keys,
    first_unanswered,
    get_attempt,
    owned_attempt,
    owned_slot,
    question_of,
    range_error,
    slots,
    to_labels,
)
from app.quiz.recording import parse_choices, record_answer
from app.quiz.results import ResultPage, ResultSection, result_page
from app.quiz.starting import Started, active_quizzes, get_quiz, start_again, start_attempt, start_with_code

__all__ = [
    "AnswerFields", "Lookup", "ResultPage", "ResultSection", "Score", "Started", "active_quizzes", "answers_of", "attempt_by_token",
    "check_step_unlocked", "display_keys", "finish", "first_unanswered", "get_attempt", "get_quiz", "is_key",
    "new_participant", "owned_attempt", "owned_slot", "parse_choices", "participant_by_key", "question_of",
    "range_error",
    "record_answer", "result_page", "score_of", "slot_of", "slots", "start_again", "start_attempt", "start_with_code",
    "to_labels", "token_hash",
]
