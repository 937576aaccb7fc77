"""This browser as a player: its participant (kept in the signed session cookie) and its attempts.
Used by every page that starts or continues play (quiz, class pages, family links, records)."""

from __future__ import annotations

from flask import session

from app.extensions import db
from app.quiz.models import Attempt, Participant
from app.quiz.participants import new_participant
from app.quiz.reading import owned_attempt


def this_participant() -> Participant:
    """This browser's participant; a new one is only flushed, and saved with its first attempt."""
    pid = session.get("pid")
    participant = db.session.get(Participant, pid) if isinstance(pid, int) else None
    if participant is None:
        participant, _key = new_participant()
    return participant


def remember_player(attempt: Attempt) -> None:
    """This browser is now the attempt's participant (and suggests the nickname next time)."""
    session.permanent = True
    session["pid"] = attempt.participant_id
    session["nickname"] = attempt.nickname


def my_attempt(attempt_id: object) -> Attempt:
    """An attempt this browser played (403 for anyone else's, 404 for none)."""
    return owned_attempt(attempt_id, session.get("pid"))


def my_participant_id() -> object:
    return session.get("pid")
