"""Limits of a quiz, one home for each (the loader, uploads, play and the API spec read them here):
how many questions a quiz may ask, and what passes it. The bank is the lowest layer, so everyone
above may import this module; it imports no other module of the app."""

from __future__ import annotations

from typing import TypeGuard

from sqlalchemy import ColumnElement, SQLColumnExpression, and_

MIN_QUESTIONS = 1
MAX_QUESTIONS = 50  # a quiz's largest question count; an attempt's question n is never above it
PASS_MARK_DEFAULT = 60  # per cent of the questions answered right
PASS_MARK_MIN = 1  # a pass mark of 0 would pass a learner who answered nothing (and hand out a certificate)
PASS_MARK_MAX = 100


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def valid_count(value: object) -> TypeGuard[int]:
    """A question count a quiz may have: a whole number from 1 to 50."""
    return _whole(value) and MIN_QUESTIONS <= value <= MAX_QUESTIONS


def valid_pass_mark(value: object) -> TypeGuard[int]:
    """A pass mark: a whole percentage from PASS_MARK_MIN (1) to 100."""
    return _whole(value) and PASS_MARK_MIN <= value <= PASS_MARK_MAX


def passes(score: int, total: int, pass_mark: int) -> bool:
    """At least pass_mark per cent right, compared exactly in integers (3 of 5 passes 60, 2 of 3
    does not pass 67); an attempt with no questions never passes."""
    return total > 0 and score * 100 >= pass_mark * total


def passes_sql(score: SQLColumnExpression[int], total: SQLColumnExpression[int],
               pass_mark: SQLColumnExpression[int]) -> ColumnElement[bool]:
    """`passes` as SQL, for reports that filter on it (the same integer comparison)."""
    return and_(total > 0, score * 100 >= pass_mark * total)
