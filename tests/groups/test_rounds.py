"""Which round a board shows (app.groups.rounds): the latest created assignment that has opened,
else free play. Every reader (class, organisation and campaign boards, the dashboard's counts, the
reports) must agree, including when a later assignment opened earlier than an older one."""

from __future__ import annotations

import random
from datetime import timedelta

from app.database import utcnow
from app.groups import services
from app.groups.models import FREE_PLAY, GroupStats
from app.groups.rounds import board_round, board_scope, current_scopes

QUIZ = "staff-training"


def _stats(db, group, scope, participants):
    db.session.get(GroupStats, (group.id, scope)).participants = participants


def test_board_round_is_the_latest_created_of_those_opened():
    from app.groups.models import Assignment

    now = utcnow()
    old_open = Assignment(id=1, opens_at=now - timedelta(hours=1))
    new_early = Assignment(id=2, opens_at=now - timedelta(days=3))
    newest_future = Assignment(id=3, opens_at=now + timedelta(days=1))
    assert board_round([old_open, new_early, newest_future], now) is new_early
    assert board_round([newest_future], now) is None
    assert board_round([], now) is None
    assert board_round([old_open], old_open.opens_at) is old_open  # opening at this very moment counts


def test_every_reader_shows_the_same_round(app, db):
    from app.dashboard.services import current_participants
    from app.leaderboard.boards import campaign_board_of, class_board, organisation_board_of
    from app.reports.rounds import round_of

    now = utcnow()
    campaign = services.create_campaign("全县反诈宣传月")
    org = services.create_organisation("县医院", "hospital", campaign.id)
    ward = services.create_group(org, "内科", 40)
    other = services.create_group(org, "外科", 40)  # no assignment: free play
    first = services.create_assignment(org, QUIZ, [ward], now - timedelta(hours=1), now + timedelta(days=1))
    # Created after `first` but opened (and closed) before it: the newer round is the one shown.
    second = services.create_assignment(org, QUIZ, [ward], now - timedelta(days=3), now - timedelta(days=2))
    services.create_assignment(org, QUIZ, [ward], now + timedelta(days=1), now + timedelta(days=2))  # not open yet
    for scope, people in ((FREE_PLAY, 1), (first.id, 5), (second.id, 9)):
        _stats(db, ward, scope, people)
    _stats(db, other, FREE_PLAY, 2)
    db.session.commit()

    assert board_scope(ward, now).id == second.id
    assert current_scopes([ward.id, other.id], now) == {ward.id: second.id, other.id: FREE_PLAY}
    assert class_board(ward, now).scope == second.id
    assert class_board(other, now).scope == FREE_PLAY
    assert round_of(ward, now).scope == second.id
    assert current_participants([ward, other], now) == {ward.id: 9, other.id: 2}
    board = organisation_board_of(org.id, now)
    assert board is not None and {row.name: row.participants for _, row in board.ranked} == {"内科": 9, "外科": 2}
    on_campaign = campaign_board_of(campaign.id, now)
    assert on_campaign is not None and [row.participants for _, row in on_campaign.ranked] == [11]


def test_python_and_sql_agree(app, db):
    """The same rule in its two forms, over random sets of assignments."""
    now = utcnow()
    org = services.create_organisation("城关中学", "school")
    pick = random.Random(20261203)
    groups, expected = [], {}
    for n in range(12):
        group = services.create_group(org, f"初一（{n + 1}）班", 40)
        made = [services.create_assignment(org, "student-basics", [group], now + timedelta(hours=pick.randint(-72, 72)),
                                           now + timedelta(days=4)) for _ in range(pick.randint(0, 4))]
        groups.append(group)
        shown = board_round(made, now)
        expected[group.id] = shown.id if shown else FREE_PLAY
    assert current_scopes([g.id for g in groups], now) == expected
    assert {g.id: (a.id if (a := board_scope(g, now)) else FREE_PLAY) for g in groups} == expected
