"""What the live pages show, gathered by one service call per page (views and templates run no
queries of their own): the phone, the projector, the remote, the new-game form and the report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.auth.access import group_for
from app.auth.models import User
from app.bank.models import Quiz
from app.extensions import db
from app.groups.codes import display
from app.groups.models import Group, Organisation
from app.live import hosting
from app.live.games import active_game_of, game_by_pin, game_for, timed_options_allowed
from app.live.machine import Phase, available
from app.live.models import LiveGame, LivePlayer
from app.live.players import player_of
from app.live.snapshot import snapshot
from app.live.status import PlayerStatus, status_of
from app.quiz.listen import feedback_audio, question_audio
from app.quiz.lookup import SlotRow
from app.quiz.models import Attempt


@dataclass(frozen=True)
class PhonePage:
    game: LiveGame
    shown: dict[str, Any]
    me: PlayerStatus | None
    group: Group
    roster: bool  # the unit checks 工号 and 姓名 on joining


def phone_page(pin: str, participant_id: object) -> PhonePage:
    game = game_by_pin(pin)
    player = player_of(game.id, participant_id)
    if player is not None and game.over and not player.kicked:
        hosting.finish_players(game.id)  # the podium's finish, again if it was cut short (idempotent)
    me = status_of(game, player) if player is not None else None
    group = db.session.get(Group, game.group_id)
    if group is None:
        raise LookupError(game.group_id)
    return PhonePage(game, snapshot(game.id), me, group, group.roster_required)


@dataclass(frozen=True)
class HostPlayer:
    id: int
    nickname: str
    removed: bool


@dataclass(frozen=True)
class HostPage:
    game: LiveGame
    shown: dict[str, Any]
    group: Group
    organisation: Organisation
    code: str
    actions: list[str]
    players: list[HostPlayer]
    listen: list[dict[str, Any]]  # 听题 while a question is open, 听解析 after its reveal


def host_page(user: User, game_id: object, lang: str = "zh-CN") -> HostPage:
    game = game_for(user, game_id)
    group = group_for(user, game.group_id)
    org = db.session.get(Organisation, group.organisation_id)
    if org is None:
        raise LookupError(group.organisation_id)
    rows = db.session.execute(
        select(LivePlayer.id, Attempt.nickname, LivePlayer.kicked).join(Attempt, Attempt.id == LivePlayer.attempt_id)
        .where(LivePlayer.game_id == game.id).order_by(LivePlayer.id)
    ).all()
    people = [HostPlayer(pid, name, bool(kicked)) for pid, name, kicked in rows]
    actions = available(Phase(game.state, game.position, game.paused), game.question_count,
                        sum(1 for p in people if not p.removed))
    listen: list[dict[str, Any]] = []
    if game.state in ("question", "reveal", "ranking"):
        question_id, order = game.slot(game.position)
        slot = SlotRow(f"live-{game.id}", game.position, question_id, order)
        listen = question_audio(slot, lang)["all"] if game.state == "question" else feedback_audio(slot, lang)
    return HostPage(game, snapshot(game.id), group, org, display(group.join_code), actions, people, listen)


@dataclass(frozen=True)
class NewGamePage:
    group: Group
    organisation: Organisation
    quizzes: Sequence[Quiz]
    timed_allowed: dict[str, bool]  # quiz id -> a timer may be offered
    running: LiveGame | None


def new_game_page(user: User, group_id: object) -> NewGamePage:
    group = group_for(user, group_id)
    org = db.session.get(Organisation, group.organisation_id)
    if org is None:
        raise LookupError(group.organisation_id)
    quizzes = db.session.scalars(
        select(Quiz).where(Quiz.active.is_(True), (Quiz.organisation_id.is_(None)) | (Quiz.organisation_id == org.id))
        .order_by(Quiz.id != group.quiz_id, Quiz.position)
    ).all()
    return NewGamePage(group, org, quizzes, {q.id: timed_options_allowed(org, q) for q in quizzes},
                       active_game_of(group.id))

