"""Counting rules: who counts on a board, once, by the rule of the round."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.database import utcnow
from app.groups.models import BoardEntry, GroupStats
from tests.helpers import make_group
from tests.leaderboard.builders import play

QUIZ = "elder-listen"  # 8 short items: quick to play through


def _entries(app, group_id):
    from app.extensions import db

    with app.app_context():
        try:
            rows = db.session.scalars(select(BoardEntry).where(BoardEntry.group_id == group_id)).all()
            return sorted(((r.scope, r.nickname, r.counted, r.score) for r in rows), key=str)
        finally:
            db.session.remove()


def _stats(app, group_id, scope=0):
    from app.extensions import db

    with app.app_context():
        try:
            s = db.session.get(GroupStats, (group_id, scope))
            return (s.participants, s.permille_sum) if s else None
        finally:
            db.session.remove()


def _assign(app, group_id, quiz_id=QUIZ, rule="first", tries=1, opens=-1, closes=24):
    from app.extensions import db
    from app.groups import services
    from app.groups.models import Group

    with app.app_context():
        try:
            group = db.session.get(Group, group_id)
            org = services.get_organisation(group.organisation_id)
            now = utcnow()
            a = services.create_assignment(org, quiz_id, [group], now + timedelta(hours=opens),
                                           now + timedelta(hours=closes), rule, tries)
            return a.id
        finally:
            db.session.remove()


def test_without_assignment_the_first_finished_attempt_counts(app, client):
    g = make_group(app, quiz_id=QUIZ)
    first = play(app, client, QUIZ, "小明", g["join_code"], right=5,
                 participant_token=None)
    token = first["participant_token"]
    again = play(app, client, QUIZ, "小明", g["join_code"], right=8, participant_token=token)
    assert first["result"]["score"] == 5 and again["result"]["score"] == 8
    assert _entries(app, g["group_id"]) == [(0, "小明", True, 5)]
    assert _stats(app, g["group_id"]) == (1, 625)


def test_same_nickname_from_two_people_stays_two_entries(app, client):
    g = make_group(app, quiz_id=QUIZ)
    play(app, client, QUIZ, "小明", g["join_code"], right=3)
    play(app, client, QUIZ, "小明", g["join_code"], right=6)
    assert _entries(app, g["group_id"]) == [(0, "小明", True, 3), (0, "小明", True, 6)]
    board = client.get(f"/api/v1/groups/{g['join_code']}/leaderboard").json
    assert [(e["rank"], e["nickname"], e["score"]) for e in board["entries"]] == [(1, "小明", 6), (2, "小明", 3)]


def test_unfinished_attempts_and_attempts_without_code_do_not_count(app, client):
    g = make_group(app, quiz_id=QUIZ)
    play(app, client, QUIZ, "半途", g["join_code"], finish=False)
    play(app, client, QUIZ, "路人")
    assert _entries(app, g["group_id"]) == []
    assert client.get(f"/api/v1/groups/{g['join_code']}/leaderboard").json["entries"] == []


def test_best_of_n_a_day_keeps_the_best_and_stops_counting_after_n(app, client):
    g = make_group(app, quiz_id=QUIZ)
    scope = _assign(app, g["group_id"], rule="best", tries=2)
    token = play(app, client, QUIZ, "小红", g["join_code"], right=4)["participant_token"]
    play(app, client, QUIZ, "小红", g["join_code"], right=7, participant_token=token)
    third = play(app, client, QUIZ, "小红", g["join_code"], right=8, participant_token=token)
    assert _entries(app, g["group_id"]) == [(scope, "小红", True, 7)]
    assert _stats(app, g["group_id"], scope) == (1, 875)
    from app.extensions import db
    from app.quiz.models import Attempt

    with app.app_context():
        assert db.session.get(Attempt, third["attempt_id"]).counted is False
        db.session.remove()


def test_first_rule_in_a_window_and_outside_it(app, client):
    g = make_group(app, quiz_id=QUIZ)
    scope = _assign(app, g["group_id"], rule="first")
    token = play(app, client, QUIZ, "护士甲", g["join_code"], right=6)["participant_token"]
    play(app, client, QUIZ, "护士甲", g["join_code"], right=8, participant_token=token)
    # Another quiz with the same code teaches but does not count.
    play(app, client, "elder-yanglao", "护士乙", g["join_code"])
    assert _entries(app, g["group_id"]) == [(scope, "护士甲", True, 6)]
    page = client.get(f"/g/{g['join_code']}")
    assert "护士甲" in page.text and "护士乙" not in page.text


def test_closed_window_does_not_count_and_the_page_says_so(app, client):
    g = make_group(app, quiz_id=QUIZ)
    _assign(app, g["group_id"], opens=-48, closes=-24)
    play(app, client, QUIZ, "迟到", g["join_code"])
    assert _entries(app, g["group_id"]) == []
    page = client.get(f"/g/{g['join_code']}")
    assert "本次练习不计入排名：这项任务已经截止。" in page.text
