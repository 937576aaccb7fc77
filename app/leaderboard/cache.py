"""A short-lived, per-process cache of the boards (class, organisation, campaign).

A board is watched by many screens at once (a projector, forty phones polling every 15 s), and it
is the same answer for all of them. Each worker keeps a computed board for BOARD_CACHE_SECONDS
(default 2; 0 turns the cache off). Within this process a board is recomputed at once after any
commit that changed what boards read: a finish (its attempt_finished listener below marks it, since the
summaries are written with Core upserts), a pledge or a family's first play (the group's counters,
also Core updates), or an ORM change to groups, organisations, campaigns or assignments (seen at
flush). Another worker's view is at most BOARD_CACHE_SECONDS old.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Flask, current_app, has_app_context
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

if TYPE_CHECKING:
    from app.database import SessionLike

T = TypeVar("T")
EXTENSION = "board_cache"
_FLAG = "boards_changed"


class BoardCache:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.generation = 0
        self._entries: dict[Hashable, tuple[int, float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if self.seconds <= 0:
            return compute()
        now = time.monotonic()
        with self._lock:
            found = self._entries.get(key)
            generation = self.generation
        if found is not None and found[0] == generation and now < found[1]:
            return found[2]  # type: ignore[no-any-return]  # what compute() returned for this key: a T
        value = compute()
        with self._lock:
            if len(self._entries) > 10_000:  # many distinct ids: start over rather than grow
                self._entries.clear()
            self._entries[key] = (generation, now + self.seconds, value)
        return value

    def changed(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = BoardCache(float(app.config.get("BOARD_CACHE_SECONDS", 2.0)))
    _listen_once()


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    board_cache = current_app.extensions.get(EXTENSION)
    return compute() if board_cache is None else board_cache.get(key, compute)


def forget_boards(_app: Any, attempt: Any, **_extra: Any) -> None:
    """`attempt_finished` listener: a finish played for a group or a family changes what boards read
    (with Core statements, which flush does not see), so forget them when it commits."""
    if attempt.group_id is not None or attempt.family_link_id is not None:
        mark_changed(db.session)


def mark_changed(session: SessionLike) -> None:
    """Boards read what this transaction wrote: forget them when it commits."""
    session.info[_FLAG] = True


_BOARD_TABLES = frozenset({"groups", "organisations", "campaigns", "assignments", "assignment_groups",
                           "group_stats", "board_entries", "pledges"})
_listening = False


def _listen_once() -> None:
    global _listening
    if _listening:
        return
    _listening = True
    # On Flask-SQLAlchemy's session class (the app's sessions), not on every SQLAlchemy Session.
    event.listen(AppSession, "after_flush", _after_flush)
    event.listen(AppSession, "after_commit", _after_commit)
    event.listen(AppSession, "after_rollback", _after_rollback)


def _after_flush(session: Session, _context: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if getattr(obj, "__tablename__", None) in _BOARD_TABLES:
            session.info[_FLAG] = True
            return


def _after_commit(session: Session) -> None:
    if session.info.pop(_FLAG, False) and has_app_context():
        board_cache = current_app.extensions.get(EXTENSION)
        if board_cache is not None:
            board_cache.changed()


def _after_rollback(session: Session) -> None:
    session.info.pop(_FLAG, None)
