"""What a host does: advance the game (compare-and-set on the version), lock the lobby, remove or
rename a player. At the podium (or an early end) every player's attempt is finished through play's
own finish, so counting, boards, certificates and pledges follow with no second counting code."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.database import rows_matched, utcnow
from app.extensions import db
from app.live.errors import NotAllowedNow, StaleVersion
from app.live.games import fresh
from app.live.machine import Phase, after
from app.live.models import LiveGame, LivePlayer
from app.live.players import active_players
from app.quiz.finishing import finish
from app.quiz.models import Attempt
from app.quiz.nickname import clean_nickname

REMOVED_NOTE = "被老师移出本场课堂竞答，不计入班级记录。"


def act(game_id: int, action: object, seen_version: object) -> LiveGame:
    """Apply a host action to the state the host saw. Refused with 409 (nothing changed) when another
    host action happened after `seen_version` (a double click, the remote and the projector at once),
    or when the action does not apply now. Answers and joins never make a host's version stale."""
    game = fresh(game_id)
    if (not isinstance(seen_version, int) or isinstance(seen_version, bool)
            or not game.state_version <= seen_version <= game.version):
        raise StaleVersion()
    if not isinstance(action, str):
        raise NotAllowedNow("没有这个操作。")
    phase = after(Phase(game.state, game.position, game.paused), action, game.question_count,
                  active_players(game.id))
    now = utcnow()
    values: dict[str, object] = {"state": phase.state, "position": phase.position, "paused": phase.paused,
                                 "version": LiveGame.version + 1, "state_version": LiveGame.version + 1}
    if (phase.state, phase.position) != (game.state, game.position):
        values["phase_started_at"] = now
        if phase.state == "question":
            timer = game.settings.get("timer")
            values["answered"] = 0
            values["deadline"] = now + timedelta(seconds=int(timer)) if timer else None
        else:
            values["deadline"] = None
    if action == "pause":
        values["paused_at"] = now
    if action == "resume":
        values["paused_at"] = None
        if game.deadline is not None and game.paused_at is not None:
            values["deadline"] = game.deadline + (now - game.paused_at)  # the pause does not eat the time
    if phase.state == "ended":
        values["ended_at"] = now
    moved = db.session.execute(
        update(LiveGame)
        .where(LiveGame.id == game.id, LiveGame.state_version <= seen_version, LiveGame.version >= seen_version,
               LiveGame.state == game.state, LiveGame.position == game.position, LiveGame.paused == game.paused)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(moved) != 1:
        db.session.rollback()
        raise StaleVersion()
    db.session.commit()
    if phase.state in ("podium", "ended"):
        finish_players(game.id)
    return fresh(game.id)


def finish_players(game_id: int) -> int:
    """Hand in every player's attempt (removed players' stay open and never count). Idempotent:
    play's finish closes an attempt once; returns how many this call closed."""
    attempt_ids = db.session.scalars(
        select(LivePlayer.attempt_id)
        .join(Attempt, Attempt.id == LivePlayer.attempt_id)
        .where(LivePlayer.game_id == game_id, LivePlayer.kicked.is_(False), Attempt.finished_at.is_(None))
        .order_by(LivePlayer.id)
    ).all()
    for attempt_id in attempt_ids:
        attempt = db.session.get(Attempt, attempt_id)
        if attempt is not None:
            finish(attempt)
    return len(attempt_ids)


def _bump(game_id: int) -> None:
    db.session.execute(update(LiveGame).where(LiveGame.id == game_id).values(version=LiveGame.version + 1)
                       .execution_options(synchronize_session=False))


def set_locked(game: LiveGame, locked: bool) -> None:
    """Lock or open the lobby (a returning phone always gets back in)."""
    if game.state == "ended":
        raise NotAllowedNow("本场已经结束。")
    db.session.execute(update(LiveGame).where(LiveGame.id == game.id, LiveGame.locked.is_not(locked))
                       .values(locked=locked, version=LiveGame.version + 1)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _player(game: LiveGame, player_id: object) -> LivePlayer:
    player = db.session.get(LivePlayer, player_id) if isinstance(player_id, int) else None
    if player is None or player.game_id != game.id:
        raise NotAllowedNow("没有这个玩家。")
    return player


def remove_player(game: LiveGame, player_id: object) -> None:
    """Remove a player: their phone is refused from now on and their attempt never counts."""
    player = _player(game, player_id)
    if game.over:
        raise NotAllowedNow("本场已经结束，不能再移出玩家。")
    done = db.session.execute(update(LivePlayer).where(LivePlayer.id == player.id, LivePlayer.kicked.is_(False))
                              .values(kicked=True).execution_options(synchronize_session=False))
    if rows_matched(done) == 1:
        db.session.execute(update(Attempt).where(Attempt.id == player.attempt_id, Attempt.finished_at.is_(None))
                           .values(scope=None, count_note=REMOVED_NOTE).execution_options(synchronize_session=False))
        _bump(game.id)
    db.session.commit()


def rename_player(game: LiveGame, player_id: object, nickname: object) -> None:
    """Give a player another nickname (an unkind one, a duplicate), by the class's nickname rules."""
    player = _player(game, player_id)
    name = clean_nickname(nickname)
    if game.over:
        raise NotAllowedNow("本场已经结束，不能再改昵称。")
    db.session.execute(update(Attempt).where(Attempt.id == player.attempt_id, Attempt.finished_at.is_(None))
                       .values(nickname=name).execution_options(synchronize_session=False))
    _bump(game.id)
    db.session.commit()
