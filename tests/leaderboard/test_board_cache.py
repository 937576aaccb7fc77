"""The boards' short per-worker cache: fresh at once after a change made in this worker, at most
BOARD_CACHE_SECONDS old for a change made by another worker."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from tests.helpers import make_group
from tests.leaderboard.builders import play

pytestmark = pytest.mark.commits  # "another worker" writes on a connection of its own
QUIZ = "elder-listen"


def _participants(client, org_id):
    body = client.get(f"/api/v1/organisations/{org_id}/leaderboard").json
    return {e["group"]: e["participants"] for e in body["entries"]}


def _other_worker_writes(app, sql, **params):
    """A write that bypasses this process's session, as another gunicorn worker's would."""
    from app.extensions import db

    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text(sql), params)
        db.session.remove()


def _other_worker_sets_participants(app, group_id, participants):
    _other_worker_writes(app, "UPDATE group_stats SET participants = :n WHERE group_id = :g", n=participants, g=group_id)


def test_a_finish_in_this_worker_shows_at_once_and_another_workers_within_the_cache_time(app, client):
    app.extensions["board_cache"].seconds = 0.5
    g = make_group(app, name="一病区", size=10, kind="hospital", org_name="县医院", quiz_id=QUIZ)
    assert _participants(client, g["org_id"]) == {"一病区": 0}
    play(app, client, QUIZ, "护士甲", g["join_code"], right=8)
    assert _participants(client, g["org_id"]) == {"一病区": 1}  # this worker's own commit: no wait

    _other_worker_sets_participants(app, g["group_id"], 5)
    assert _participants(client, g["org_id"]) == {"一病区": 1}  # still the cached board
    time.sleep(0.6)
    assert _participants(client, g["org_id"]) == {"一病区": 5}  # at most the cache time later


def test_editing_a_group_in_this_worker_refreshes_the_board(app, client):
    from app.extensions import db
    from app.groups.models import Group

    app.extensions["board_cache"].seconds = 60
    g = make_group(app, name="二病区", size=10, kind="hospital", org_name="县医院", quiz_id=QUIZ)
    assert [e["size"] for e in client.get(f"/api/v1/organisations/{g['org_id']}/leaderboard").json["entries"]] == [10]
    with app.app_context():
        db.session.get(Group, g["group_id"]).size = 12
        db.session.commit()
        db.session.remove()
    assert [e["size"] for e in client.get(f"/api/v1/organisations/{g['org_id']}/leaderboard").json["entries"]] == [12]


def test_a_cache_time_of_zero_reads_the_database_every_time(app, client):
    app.extensions["board_cache"].seconds = 0
    g = make_group(app, name="三病区", size=10, kind="hospital", org_name="县医院", quiz_id=QUIZ)
    play(app, client, QUIZ, "护士乙", g["join_code"], right=8)
    _other_worker_sets_participants(app, g["group_id"], 7)
    assert _participants(client, g["org_id"]) == {"三病区": 7}


def test_the_class_board_follows_this_workers_finishes_at_once_and_others_within_the_cache_time(app, client):

    app.extensions["board_cache"].seconds = 0.5
    g = make_group(app, name="初一（2）班", size=40, quiz_id=QUIZ)
    url = f"/api/v1/groups/{g['join_code']}/leaderboard"
    assert client.get(url).json["entries"] == []
    play(app, client, QUIZ, "小林", g["join_code"], right=8)
    assert [e["nickname"] for e in client.get(url).json["entries"]] == ["小林"]
    assert "小林" in client.get(f"/g/{g['join_code']}").text

    _other_worker_writes(app, "UPDATE board_entries SET nickname = '小森' WHERE group_id = :g", g=g["group_id"])
    assert [e["nickname"] for e in client.get(url).json["entries"]] == ["小林"]
    time.sleep(0.6)
    assert [e["nickname"] for e in client.get(url).json["entries"]] == ["小森"]
    assert "小森" in client.get(f"/g/{g['join_code']}").text


def test_a_board_served_from_the_cache_takes_no_database_connection(app, client, runner):
    from sqlalchemy import event

    from app.extensions import db

    app.extensions["board_cache"].seconds = 60
    g = make_group(app, name="四病区", size=10, kind="hospital", org_name="县医院", quiz_id=QUIZ)
    campaign_id = int(runner.invoke(args=["campaign", "create", "--name", "县卫健系统反诈培训"]).output.split()[-1])
    urls = [f"/api/v1/groups/{g['join_code']}/leaderboard", f"/api/v1/organisations/{g['org_id']}/leaderboard",
            f"/api/v1/campaigns/{campaign_id}/leaderboard"]
    for url in urls:
        assert client.get(url).status_code == 200
    with app.app_context():
        engine = db.engine
    checkouts: list[object] = []

    def checked_out(*args: object) -> None:
        checkouts.append(args)

    event.listen(engine, "checkout", checked_out)
    try:
        for url in urls:
            assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "checkout", checked_out)
    assert checkouts == []
