"""The game as every screen sees it: one versioned snapshot, never a delta. A lost event, a
reconnect or a fallback to polling can therefore never leave a screen wrong, and no sticky sessions
are needed. A snapshot never holds an answer key before its question is revealed, and holds no one
player's answers (a phone works out 答对/答错 itself from its own choice and the revealed key).

A snapshot of a given version never changes, so each worker keeps the ones it built, keyed by
(game, version), with no invalidation: a new version is a new key. Reading the version is one
indexed query; a fan-out process (a later step: gunicorn -k asgi, Redis publish) can follow the
same `version` column and serve the same JSON.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from flask import Flask, current_app
from sqlalchemy import case, func, select

from app.bank.models import Quiz
from app.bank.taxonomy import KINDS, RULES
from app.extensions import db
from app.groups.codes import display
from app.groups.models import Group
from app.leaderboard.boards import mask
from app.live.errors import GameNotFound
from app.live.games import clean_pin, fresh
from app.live.models import LiveGame, LivePlayer
from app.live.podium import Standing, places
from app.quiz.draw import OPTION_LABELS
from app.quiz.lookup import SlotRow
from app.quiz.models import Answer, Attempt
from app.quiz.reading import display_keys, question_of, to_labels

EXTENSION = "live.snapshots"
MAX_CACHED = 2000
RANKING_TOP = 5  # places shown on 看排名 after a question
# Letter + shape + colour on every option, never colour alone (the colour names the CSS class).
SHAPES = {"A": ("▲", "三角形", "red"), "B": ("◆", "菱形", "blue"), "C": ("●", "圆形", "yellow"),
          "D": ("■", "方形", "green"), "E": ("★", "星形", "purple"), "F": ("⬟", "五边形", "teal")}


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = {}


def _cache() -> dict[tuple[int, int], dict[str, Any]]:
    found: dict[tuple[int, int], dict[str, Any]] = current_app.extensions[EXTENSION]
    return found


def version_of_pin(raw: object) -> tuple[int, int]:
    """(game id, version) of the game a PIN names: the one query a poll or a 304 costs."""
    pin = clean_pin(raw)
    row = db.session.execute(select(LiveGame.id, LiveGame.version).where(LiveGame.pin == pin)).first() if pin else None
    if row is None:
        raise GameNotFound()
    return row[0], row[1]


def snapshot(game_id: int, version: int | None = None) -> dict[str, Any]:
    """The snapshot at `version` (the current one when it has moved on, or when None)."""
    cache = _cache()
    if version is not None and (game_id, version) in cache:
        return cache[(game_id, version)]
    game = fresh(game_id)
    found = cache.get((game.id, game.version))
    if found is None:
        found = build(game)
        if len(cache) >= MAX_CACHED:
            cache.clear()  # versions only grow: old ones are never asked for again
        cache[(game.id, game.version)] = found
    return found


def wait_newer(raw_pin: object, since: int, seconds: float, step: float = 0.25) -> tuple[int, int]:
    """Wait up to `seconds` for a version newer than `since`; (game id, version) either way."""
    deadline = time.monotonic() + seconds
    while True:
        game_id, version = version_of_pin(raw_pin)
        db.session.rollback()  # no transaction (or snapshot) held while waiting
        if version > since or time.monotonic() >= deadline:
            return game_id, version
        time.sleep(step)


def shape(label: str) -> dict[str, str]:
    symbol, name, colour = SHAPES[label]
    return {"symbol": symbol, "name": name, "colour": colour}


def question_block(game: LiveGame, n: int) -> dict[str, Any]:
    question_id, order = game.slot(n)
    slot = SlotRow(f"live-{game.id}", n, question_id, order)
    q = question_of(slot)
    return {
        "n": n,
        "total": game.question_count,
        "kind": q.kind,
        "kind_label": KINDS[q.kind],
        "scenario": q.body["scenario"],
        "prompt": q.body["prompt"],
        "options": [{"key": label, "text": q.option_text(key), "shape": shape(label)}
                    for label, key in display_keys(slot).items()],
        "case": {"title": q.body.get("case_title"), "step": q.step, "steps": q.steps} if q.case_id else None,
    }


def reveal_block(game: LiveGame, n: int) -> dict[str, Any]:
    question_id, order = game.slot(n)
    slot = SlotRow(f"live-{game.id}", n, question_id, order)
    q = question_of(slot)
    rows = db.session.execute(
        select(Answer.choices, Answer.correct)
        .join(LivePlayer, LivePlayer.attempt_id == Answer.attempt_id)
        .where(LivePlayer.game_id == game.id, LivePlayer.kicked.is_(False), Answer.position == n)
    ).all()
    counts: Counter[str] = Counter()
    for keys, _correct in rows:
        counts.update(to_labels(slot, keys))
    rule = RULES.get(q.body["rule"])
    return {
        "correct_choices": to_labels(slot, q.answers),
        "counts": {OPTION_LABELS[i]: counts.get(OPTION_LABELS[i], 0) for i in range(len(order))},
        "answered": len(rows),
        "right": sum(1 for _keys, correct in rows if correct),
        "explanation": q.body["explanation"],
        "rule": q.body["rule"],
        "rule_wording": rule.wording if rule else "",
        "action": q.body["action"],
        "source": q.body["source"],
    }


def standings(game: LiveGame, upto: int) -> list[Standing]:
    """Every player still in the game with items right among questions 1 … upto."""
    right = func.coalesce(func.sum(case((Answer.correct.is_(True) & (Answer.position <= upto), 1), else_=0)), 0)
    rows = db.session.execute(
        select(LivePlayer.id, Attempt.nickname, LivePlayer.points, right)
        .join(Attempt, Attempt.id == LivePlayer.attempt_id)
        .outerjoin(Answer, Answer.attempt_id == LivePlayer.attempt_id)
        .where(LivePlayer.game_id == game.id, LivePlayer.kicked.is_(False))
        .group_by(LivePlayer.id, Attempt.nickname, LivePlayer.points)
    ).all()
    return [Standing(pid, name, int(score), int(points)) for pid, name, points, score in rows]


def _shown(name: str, game: LiveGame) -> str:
    return mask(name) if game.settings.get("masked") else name


def placed(game: LiveGame, upto: int, top_n: int) -> list[dict[str, Any]]:
    scoring = str(game.settings.get("scoring", "accuracy"))
    return [{"place": place, "nickname": _shown(row.nickname, game), "score": row.score,
             "points": row.points if scoring == "speed" else None}
            for place, row in places(standings(game, upto), scoring, top_n)]


def build(game: LiveGame) -> dict[str, Any]:
    heading = db.session.execute(
        select(Group.name, Group.join_code, Quiz.title).select_from(LiveGame)
        .join(Quiz, Quiz.id == LiveGame.quiz_id).join(Group, Group.id == LiveGame.group_id)
        .where(LiveGame.id == game.id)
    ).one()
    names = db.session.scalars(
        select(Attempt.nickname).join(LivePlayer, LivePlayer.attempt_id == Attempt.id)
        .where(LivePlayer.game_id == game.id, LivePlayer.kicked.is_(False)).order_by(LivePlayer.id)
    ).all()
    n = game.position
    shows_question = game.state in ("question", "reveal", "ranking")
    revealed = game.state in ("reveal", "ranking")
    settings = game.settings
    return {
        "version": game.version,
        "state": game.state,
        "paused": game.paused,
        "n": n if n else None,
        "total": game.question_count,
        "game": {"pin": game.pin, "group": heading[0], "code": display(heading[1]), "quiz": heading[2],
                 "scoring": settings.get("scoring", "accuracy"), "timer": settings.get("timer"),
                 "locked": game.locked, "top_n": settings.get("top_n", 3)},
        "players": {"count": len(names), "names": [_shown(name, game) for name in names]},
        "answered": game.answered if shows_question else 0,
        "deadline": game.deadline.isoformat().replace("+00:00", "Z") if game.deadline and not game.paused else None,
        "question": question_block(game, n) if shows_question else None,
        "reveal": reveal_block(game, n) if revealed else None,
        "ranking": placed(game, n, RANKING_TOP) if game.state == "ranking" else None,
        "podium": placed(game, game.question_count, int(settings.get("top_n", 3))) if game.over else None,
        "poll_ms": int(current_app.config.get("LIVE_POLL_MS", 1500)),
    }
