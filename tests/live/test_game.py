"""The live game's rules through its services: joining, host actions as compare-and-set, answers
once and only while open, no key before the reveal, and records through play's own finish."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.groups.models import BoardEntry
from app.live import answering, hosting
from app.live.errors import (
    AlreadyAnswered,
    BadSettings,
    GameFull,
    GameOver,
    LobbyLocked,
    NotAllowedNow,
    QuestionClosed,
    Removed,
    StaleVersion,
)
from app.live.games import Settings, fresh, open_game, player_cap
from app.live.snapshot import snapshot
from app.quiz.models import Answer, Attempt, AttemptQuestion
from tests.live.builders import act, class_with_teacher, join, new_game, phone, right_labels, wrong_labels


@pytest.fixture()
def game(db):
    group, teacher = class_with_teacher()
    return new_game(group, teacher, "student-basics")


def test_everyone_gets_the_same_questions_in_the_same_order(db, game):
    a, b = join(game, "小明"), join(game, "小红")
    def slots(attempt_id):
        rows = db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id)
                                  .order_by(AttemptQuestion.position))
        return [(r.question_id, r.option_order) for r in rows]
    assert slots(a.attempt.id) == slots(b.attempt.id) == [(q, o) for q, o in fresh(game.id).slots]
    attempt = db.session.get(Attempt, a.attempt.id)
    assert attempt.group_id == game.group_id and attempt.question_count == game.question_count


def test_the_same_phone_is_the_same_player(db, game):
    participant = phone()
    first = join(game, "小明", participant)
    again = join(game, "别的名字", participant)
    assert again.rejoined and again.player.id == first.player.id and again.attempt.nickname == "小明"
    assert fresh(game.id).players == 1


def test_host_actions_are_compare_and_set(db, game):
    join(game)
    seen = fresh(game.id).version
    hosting.act(game.id, "start", seen)
    with pytest.raises(StaleVersion):  # a double click with the same version
        hosting.act(game.id, "start", seen)
    with pytest.raises(StaleVersion):  # the remote acting on what it saw before the projector moved on
        hosting.act(game.id, "reveal", seen)
    assert fresh(game.id).state == "question" and fresh(game.id).position == 1


def test_answers_do_not_make_the_host_stale(db, game):
    a, b = join(game, "小明"), join(game, "小红")
    act(game, "start")
    seen = fresh(game.id).version
    answering.answer(game.id, a.player, 1, right_labels(game, 1))
    answering.answer(game.id, b.player, 1, wrong_labels(game, 1))
    assert fresh(game.id).version == seen + 2 and fresh(game.id).answered == 2
    assert hosting.act(game.id, "reveal", seen).state == "reveal"


def test_an_answer_counts_once_and_only_while_open(db, game):
    a = join(game)
    with pytest.raises(QuestionClosed):
        answering.answer(game.id, a.player, 1, ["A"])  # lobby
    act(game, "start")
    right = right_labels(game, 1)
    assert answering.answer(game.id, a.player, 1, right).choices == right
    with pytest.raises(AlreadyAnswered) as again:
        answering.answer(game.id, a.player, 1, wrong_labels(game, 1))
    assert again.value.choices == right and again.value.status == 409
    with pytest.raises(QuestionClosed):
        answering.answer(game.id, a.player, 2, ["A"])  # not open yet
    act(game, "reveal")
    late = join(game, "迟到")
    with pytest.raises(QuestionClosed):
        answering.answer(game.id, late.player, 1, right)
    assert db.session.scalar(select(func.count()).select_from(Answer).where(Answer.position == 1,
                             Answer.attempt_id.in_([a.attempt.id, late.attempt.id]))) == 1


def test_no_key_before_the_reveal(db, game):
    join(game)
    act(game, "start")
    shown = snapshot(game.id)
    assert shown["state"] == "question" and shown["reveal"] is None
    text = json.dumps(shown["question"], ensure_ascii=False)
    assert "correct" not in text and "answer" not in text and "explanation" not in text
    act(game, "reveal")
    revealed = snapshot(game.id)
    assert revealed["reveal"]["correct_choices"] == right_labels(game, 1)
    assert revealed["version"] == fresh(game.id).version


def test_pause_stops_answers_and_other_actions(db, game):
    a = join(game)
    act(game, "start")
    act(game, "pause")
    with pytest.raises(QuestionClosed):
        answering.answer(game.id, a.player, 1, right_labels(game, 1))
    with pytest.raises(NotAllowedNow):
        act(game, "reveal")
    act(game, "resume")
    answering.answer(game.id, a.player, 1, right_labels(game, 1))


def test_podium_finishes_every_attempt_through_play(db, game):
    a, b, c = join(game, "小明"), join(game, "小红"), join(game, "小刚")
    hosting.remove_player(fresh(game.id), c.player.id)
    act(game, "start")
    for n in range(1, game.question_count + 1):
        answering.answer(game.id, a.player, n, right_labels(game, n))
        if n <= 2:
            answering.answer(game.id, b.player, n, right_labels(game, n))
        act(game, "reveal")
        act(game, "next")
    assert fresh(game.id).state == "podium"
    first, second, removed = (db.session.get(Attempt, p.attempt.id) for p in (a, b, c))
    assert first.finished and first.score == game.question_count and first.counted is True
    assert second.finished and second.score == 2
    assert not removed.finished  # a removed player never counts
    assert db.session.scalar(select(func.count()).select_from(BoardEntry)
                             .where(BoardEntry.group_id == game.group_id, BoardEntry.counted.is_(True))) == 2
    podium = snapshot(game.id)["podium"]
    assert [(p["place"], p["nickname"]) for p in podium] == [(1, "小明"), (2, "小红")]
    assert hosting.finish_players(game.id) == 0  # idempotent
    act(game, "end")
    with pytest.raises(GameOver):
        join(game, "又来")


def test_lobby_lock_and_cap(db):
    group, teacher = class_with_teacher(size=2)
    game = new_game(group, teacher)
    assert player_cap(2) == 7 and game.player_cap == 7
    returning = phone()
    join(game, "小明", returning)
    hosting.set_locked(fresh(game.id), True)
    with pytest.raises(LobbyLocked):
        join(game, "小红")
    assert join(game, "小明", returning).rejoined  # a returning phone always gets back in
    hosting.set_locked(fresh(game.id), False)
    for n in range(6):
        join(game, f"同学{n}")
    with pytest.raises(GameFull):
        join(game, "第八个")


def test_removed_player_is_refused_and_never_counts(db, game):
    participant = phone()
    kicked = join(game, "捣乱", participant)
    hosting.remove_player(fresh(game.id), kicked.player.id)
    with pytest.raises(Removed):
        join(game, "换个名字", participant)
    attempt = db.session.get(Attempt, kicked.attempt.id, populate_existing=True)
    assert attempt.scope is None and "移出" in attempt.count_note


def test_rename(db, game):
    joined = join(game, "小明")
    hosting.rename_player(fresh(game.id), joined.player.id, "三号同学")
    assert db.session.get(Attempt, joined.attempt.id, populate_existing=True).nickname == "三号同学"
    assert snapshot(game.id)["players"]["names"] == ["三号同学"]


def test_timer_and_speed_only_for_student_classes(db):
    group, teacher = class_with_teacher(kind="community")
    with pytest.raises(BadSettings):
        new_game(group, teacher, timer=20)
    with pytest.raises(BadSettings):
        new_game(group, teacher, scoring="speed", timer=20)
    school, teacher2 = class_with_teacher()
    with pytest.raises(BadSettings):  # a quiz written for elders is never timed, even in a school
        new_game(school, teacher2, "elder-listen", timer=20)
    assert new_game(school, teacher2, "student-basics", scoring="speed", timer=20).settings["timer"] == 20


def test_deadline_closes_the_question(db):
    group, teacher = class_with_teacher()
    game = new_game(group, teacher, "student-basics", timer=10)
    a = join(game)
    act(game, "start")
    from datetime import timedelta

    from app.database import utcnow
    from app.live.models import LiveGame

    db.session.execute(LiveGame.__table__.update().where(LiveGame.id == game.id)
                       .values(deadline=utcnow() - timedelta(seconds=2)))
    db.session.commit()
    with pytest.raises(QuestionClosed):
        answering.answer(game.id, a.player, 1, right_labels(game, 1))


def test_a_second_open_returns_the_running_game(db, game):
    from app.auth.models import User
    from app.groups.models import Group

    group = db.session.get(Group, game.group_id)
    again = open_game(db.session.get(User, group.teacher_id), group, None, Settings())
    assert again.id == game.id
