"""Joining a game and coming back to it: the same phone (participant) is always the same player,
with the same attempt, nickname and answers, whether it returns by QR, PIN, refresh or back."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from app.bank.models import Quiz
from app.database import rows_matched
from app.extensions import db
from app.groups.membership import group_context
from app.groups.models import Group
from app.live.errors import GameFull, GameNotFound, GameOver, LobbyLocked, NotAPlayer, Removed
from app.live.games import fresh
from app.live.models import LiveGame, LivePlayer
from app.quiz.models import Attempt, Participant
from app.quiz.nickname import clean_nickname
from app.quiz.participants import token_hash
from app.quiz.starting import start_attempt


@dataclass(frozen=True)
class Joined:
    player: LivePlayer
    attempt: Attempt
    token: str | None  # the player's bearer token for the API (a new one on every API join)
    rejoined: bool


def player_of(game_id: int, participant_id: object) -> LivePlayer | None:
    if not isinstance(participant_id, int):
        return None
    return db.session.scalar(select(LivePlayer).where(LivePlayer.game_id == game_id,
                                                      LivePlayer.participant_id == participant_id)
                             .execution_options(populate_existing=True))  # kicked may have moved in SQL


def player_by_token(game_id: int, token: str) -> LivePlayer:
    player = db.session.scalar(
        select(LivePlayer).join(Attempt, Attempt.id == LivePlayer.attempt_id)
        .where(LivePlayer.game_id == game_id, Attempt.token_hash == token_hash(token))
        .execution_options(populate_existing=True)
    )
    if player is None:
        raise NotAPlayer("这个凭证不是本场的玩家凭证，请重新加入。")
    return player


def active_players(game_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(LivePlayer)
                             .where(LivePlayer.game_id == game_id, LivePlayer.kicked.is_(False))) or 0


def _open_seat(game_id: int) -> int:
    """Take a seat in one statement: below the cap, lobby not locked, game not over."""
    return rows_matched(db.session.execute(
        update(LiveGame)
        .where(LiveGame.id == game_id, LiveGame.players < LiveGame.player_cap, LiveGame.locked.is_(False),
               LiveGame.state.not_in(("podium", "ended")))
        .values(players=LiveGame.players + 1, version=LiveGame.version + 1)
        .execution_options(synchronize_session=False)
    ))


def _refusal(game: LiveGame) -> Exception:
    if game.over:
        return GameOver()
    if game.locked:
        return LobbyLocked()
    return GameFull()


def join(game: LiveGame, nickname: object, participant: Participant, staff_no: object = None,
         staff_name: object = None, new_token: bool = False) -> Joined:
    """This phone's player in the game: the one it already is, or a new attempt of the class with
    the game's questions (the class's nickname and roster rules apply; counting rules at the finish)."""
    existing = player_of(game.id, participant.id)
    if existing is not None:
        return _back(existing, new_token)
    if game.over:
        raise GameOver()
    clean_nickname(nickname)  # a bad nickname is reported before a seat is taken
    group = db.session.get(Group, game.group_id)
    quiz = db.session.get(Quiz, game.quiz_id)
    if group is None or quiz is None:
        raise GameNotFound()
    context = group_context(group, quiz, participant, staff_no, staff_name)
    context = replace(context, slots=tuple((int(q), tuple(order)) for q, order in game.slots))
    if _open_seat(game.id) != 1:
        db.session.rollback()
        raise _refusal(fresh(game.id))
    started = start_attempt(quiz.id, nickname, participant, context)  # commits the seat with the attempt
    player = LivePlayer(game_id=game.id, attempt_id=started.attempt.id, participant_id=participant.id,
                        kicked=False, points=0)
    db.session.add(player)
    try:
        db.session.commit()
    except IntegrityError:  # the same phone joined twice at once: keep the first, undo this one
        db.session.rollback()
        db.session.execute(delete(Attempt).where(Attempt.id == started.attempt.id))
        db.session.execute(update(LiveGame).where(LiveGame.id == game.id)
                           .values(players=LiveGame.players - 1, version=LiveGame.version + 1))
        db.session.commit()
        first = player_of(game.id, participant.id)
        if first is None:
            raise
        return _back(first, new_token)
    return Joined(player, started.attempt, started.token, rejoined=False)


def _back(player: LivePlayer, new_token: bool) -> Joined:
    if player.kicked:
        raise Removed()
    attempt = db.session.get(Attempt, player.attempt_id)
    if attempt is None:
        raise GameNotFound()
    token = None
    if new_token:  # the API hands out a fresh token on every join; the old one stops working
        token = secrets.token_urlsafe(32)
        db.session.execute(update(Attempt).where(Attempt.id == attempt.id).values(token_hash=token_hash(token)))
        db.session.commit()
    return Joined(player, attempt, token, rejoined=True)
