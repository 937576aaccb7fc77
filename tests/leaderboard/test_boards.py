"""Class, organisation and campaign boards: pages, API, display settings, query counts, races."""

from __future__ import annotations

import threading

import pytest

from app.groups.models import BoardEntry, GroupStats
from tests.factories import AttemptFactory, GroupFactory
from tests.helpers import bearer, count_rows, csrf_token, make_group, start_api_attempt
from tests.leaderboard.builders import play

QUIZ = "elder-listen"


def _set(app, group_id, **values):
    from app.extensions import db
    from app.groups.models import Group

    with app.app_context():
        group = db.session.get(Group, group_id)
        for key, value in values.items():
            setattr(group, key, value)
        db.session.commit()
        db.session.remove()


def test_join_page_starts_the_groups_quiz_and_the_board_shows_the_result(app, client):
    g = make_group(app, name="初一（3）班", quiz_id=QUIZ)
    page = client.get(f"/g/{g['join_code']}")
    assert page.status_code == 200
    assert "初一（3）班" in page.text and "0/40" in page.text and "还没有人完成" in page.text
    bad = client.post(f"/g/{g['join_code']}", data={"csrf_token": csrf_token(page.text), "nickname": "  "})
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    started = client.post(f"/g/{g['join_code']}", data={"csrf_token": csrf_token(page.text), "nickname": "小明"})
    assert started.status_code == 303 and "/a/" in started.headers["Location"]
    assert "1</span> 人正在答题" in client.get(f"/g/{g['join_code']}").text


def test_join_via_the_home_box_and_odd_code_spellings(app, client):
    g = make_group(app, quiz_id=QUIZ)
    code = g["join_code"]
    found = client.get("/join", query_string={"code": f"{code[:3].lower()} {code[3:]}"})
    assert found.status_code == 303 and found.headers["Location"].endswith(f"/g/{code}")
    assert client.get(f"/g/{code[:3]}-{code[3:]}").status_code == 301
    assert client.get("/g/ZZZZZZ").status_code == 404
    assert client.get("/g/%00").status_code == 404
    assert client.get("/api/v1/groups/ZZZZZZ/leaderboard").json["error"]["code"] == "group_not_found"


def test_roster_unit_asks_who_you_are_and_refuses_strangers(app, client):
    from app.extensions import db
    from app.groups.models import Group, RosterEntry

    g = make_group(app, name="内科一病区", kind="hospital", org_name="县人民医院", size=10, quiz_id=QUIZ)
    with app.app_context():
        db.session.add(RosterEntry(group_id=g["group_id"], name="王芳", staff_no="H0012", department="内科"))
        db.session.get(Group, g["group_id"]).roster_required = True
        db.session.commit()
        db.session.remove()
    page = client.get(f"/g/{g['join_code']}")
    assert 'name="staff_no"' in page.text
    data = {"csrf_token": csrf_token(page.text), "nickname": "王护士", "staff_no": "H0012", "staff_name": "李四"}
    refused = client.post(f"/g/{g['join_code']}", data=data)
    assert refused.status_code == 422 and "名单里没有找到" in refused.text
    api = client.post("/api/v1/attempts", json={"quiz_id": QUIZ, "nickname": "x", "join_code": g["join_code"]})
    assert api.status_code == 422 and api.json["error"]["code"] == "roster_mismatch"
    ok = client.post(f"/g/{g['join_code']}", data={**data, "staff_name": " 王 芳 ", "staff_no": "Ｈ0012"})
    assert ok.status_code == 303
    # The same person on another phone is the same board entry.
    first = play(app, app.test_client(), QUIZ, "王护士", g["join_code"], right=2, staff_no="H0012", staff_name="王芳")
    play(app, app.test_client(), QUIZ, "王芳", g["join_code"], right=8, staff_no="H0012", staff_name="王芳")
    assert first["result"]["score"] == 2
    assert count_rows(app, BoardEntry, BoardEntry.group_id == g["group_id"]) == 1
    entries = client.get(f"/api/v1/groups/{g['join_code']}/leaderboard").json["entries"]
    assert [(e["nickname"], e["score"]) for e in entries] == [("王护士", 2)]


def test_board_api_ranks_ties_together_and_follows_the_display_setting(app, client):
    g = make_group(app, quiz_id=QUIZ, size=5)
    for name, right in (("小明同学", 6), ("小红", 8), ("小刚", 6), ("小丽", 3)):
        play(app, client, QUIZ, name, g["join_code"], right=right)
    board = client.get(f"/api/v1/groups/{g['join_code']}/leaderboard").json
    assert board["group"]["name"] == "初一（3）班" and board["group"]["organisation"] == "城关中学"
    assert board["group"]["participants"] == 4
    assert [(e["rank"], e["nickname"], e["score"]) for e in board["entries"]] == [
        (1, "小红", 8), (2, "小明同学", 6), (2, "小刚", 6), (4, "小丽", 3)]
    assert all(e["total"] == 8 and e["finished_at"].endswith("Z") for e in board["entries"])
    _set(app, g["group_id"], board_mode="top", board_top_n=2)
    top = client.get(f"/api/v1/groups/{g['join_code']}/leaderboard").json["entries"]
    assert [e["rank"] for e in top] == [1, 2, 2]
    _set(app, g["group_id"], board_mode="masked")
    masked = client.get(f"/api/v1/groups/{g['join_code']}/leaderboard").json["entries"]
    assert [e["nickname"] for e in masked] == ["小*", "小***", "小*", "小*"]
    page = client.get(f"/g/{g['join_code']}").text
    assert "小明同学" not in page and "昵称已部分隐藏" in page


def test_organisation_board_puts_a_full_small_ward_above_a_half_big_one(app, client):
    ward = make_group(app, name="十病区", kind="hospital", org_name="县医院", size=2, quiz_id=QUIZ)
    big = make_group(app, name="行政科", size=6, quiz_id=QUIZ, org_id=ward["org_id"])
    empty = make_group(app, name="药剂科", size=3, quiz_id=QUIZ, org_id=ward["org_id"])
    for i in range(2):
        play(app, client, QUIZ, f"护士{i}", ward["join_code"], right=4)
    for i in range(3):
        play(app, client, QUIZ, f"干事{i}", big["join_code"], right=8)
    body = client.get(f"/api/v1/organisations/{ward['org_id']}/leaderboard").json
    rows = [(e["rank"], e["group"], e["participants"], e["participation_rate"], e["average_score"]) for e in body["entries"]]
    assert rows == [(1, "十病区", 2, 1.0, 50.0), (2, "行政科", 3, 0.5, 100.0), (3, "药剂科", 0, 0.0, 0.0)]
    assert empty["group_id"] != big["group_id"]
    page = client.get(f"/o/{ward['org_id']}").text
    assert page.index("十病区") < page.index("行政科") < page.index("药剂科") and "参与率" in page
    assert client.get("/api/v1/organisations/999999/leaderboard").status_code == 404
    assert client.get("/o/999999").status_code == 404


def test_campaign_board_ranks_organisations_by_the_same_rules(app, client, runner):
    from app.extensions import db
    from app.groups.models import Organisation

    campaign_id = int(runner.invoke(args=["campaign", "create", "--name", "城关镇校园反诈月"]).output.split()[-1])
    a = make_group(app, name="一班", org_name="一中", size=2, quiz_id=QUIZ)
    b = make_group(app, name="一班", org_name="二中", size=4, quiz_id=QUIZ)
    with app.app_context():
        for org_id in (a["org_id"], b["org_id"]):
            db.session.get(Organisation, org_id).campaign_id = campaign_id
        db.session.commit()
        db.session.remove()
    play(app, client, QUIZ, "甲", a["join_code"], right=4)
    for name in ("乙", "丙", "丁"):
        play(app, client, QUIZ, name, b["join_code"], right=8)
    body = client.get(f"/api/v1/campaigns/{campaign_id}/leaderboard").json
    assert [(e["rank"], e["organisation"], e["participation_rate"]) for e in body["entries"]] == [
        (1, "二中", 0.75), (2, "一中", 0.5)]
    assert "二中" in client.get(f"/c/{campaign_id}").text


def test_empty_and_unknown_boards_answer_plainly(app, client, runner):
    from app.extensions import db
    from app.groups.models import Organisation

    campaign_id = int(runner.invoke(args=["campaign", "create", "--name", "空活动"]).output.split()[-1])
    body = client.get(f"/api/v1/campaigns/{campaign_id}/leaderboard").json
    assert body == {"campaign": {"id": campaign_id, "name": "空活动"}, "entries": []}
    with app.app_context():
        org = Organisation(name="新卫生院", kind="hospital")
        db.session.add(org)
        db.session.commit()
        org_id = org.id
        db.session.remove()
    body = client.get(f"/api/v1/organisations/{org_id}/leaderboard").json
    assert body == {"organisation": {"id": org_id, "name": "新卫生院", "kind": "hospital"}, "entries": []}
    for url in (f"/api/v1/organisations/{org_id + 999}/leaderboard", "/api/v1/organisations/99999999999/leaderboard",
                "/api/v1/campaigns/99999999999/leaderboard", "/api/v1/groups/ZZZZZZ/leaderboard"):
        response = client.get(url)
        assert response.status_code == 404 and "没有找到" in response.json["error"]["message"], url


def test_each_board_is_one_query_however_many_people(client, query_recorder):
    group = GroupFactory(quiz_id=QUIZ, size=50)
    urls = [f"/api/v1/groups/{group.join_code}/leaderboard", f"/api/v1/organisations/{group.organisation_id}/leaderboard"]
    counts = []
    for people in (1, 5):
        for n in range(people):
            AttemptFactory(group=group, nickname=f"同学{people}-{n}", right=3)
        row = []
        for url in urls:
            with query_recorder:
                assert client.get(url).status_code == 200
            row.append(len(query_recorder))
        counts.append(row)
    assert client.get(urls[0]).json["group"]["participants"] == 6
    # the group (or organisation), its current round and its board: one statement each
    assert counts[0] == counts[1] == [1, 1], counts


@pytest.mark.commits  # the phones finish on threads of their own
def test_forty_phones_finishing_at_once_count_each_person_once(app, client):
    g = make_group(app, quiz_id=QUIZ, size=40)
    people = 16
    started = [play(app, client, QUIZ, f"同学{i}", g["join_code"], right=i % 9, finish=False) for i in range(people)]
    # One person finishing two attempts at the same moment (two tabs) must still count once.
    twin = play(app, client, QUIZ, "双开", g["join_code"], right=2, finish=False)
    twin2 = play(app, client, QUIZ, "双开", g["join_code"], right=7, finish=False,
                 participant_token=twin["participant_token"])
    jobs = [*started, twin, twin2]
    barrier = threading.Barrier(len(jobs))
    statuses: list[int] = []

    def finish(body):
        barrier.wait()
        response = app.test_client().post(f"/api/v1/attempts/{body['attempt_id']}/finish", headers=bearer(body["token"]))
        statuses.append(response.status_code)

    threads = [threading.Thread(target=finish, args=(body,)) for body in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses == [200] * len(jobs)
    assert count_rows(app, BoardEntry, BoardEntry.group_id == g["group_id"], BoardEntry.counted.is_(True)) == people + 1
    board = client.get(f"/api/v1/groups/{g['join_code']}/leaderboard").json
    assert board["group"]["participants"] == people + 1
    assert sum(1 for e in board["entries"] if e["nickname"] == "双开") == 1
    expected_sum = sum((i % 9) * 1000 // 8 for i in range(people))
    from app.extensions import db

    with app.app_context():
        stats = db.session.get(GroupStats, (g["group_id"], 0))
        twin_score = next(e["score"] for e in board["entries"] if e["nickname"] == "双开")
        assert stats.permille_sum == expected_sum + twin_score * 1000 // 8
        db.session.remove()


def test_org_and_group_commands_print_ids_last(runner):
    org = runner.invoke(args=["org", "create", "--name", "县人民医院", "--kind", "hospital"])
    assert org.exit_code == 0, org.output
    org_id = org.output.split()[-1]
    group = runner.invoke(args=["group", "create", "--org", org_id, "--name", "急诊科", "--size", "12"])
    assert group.exit_code == 0, group.output
    code = group.output.split()[-1]
    assert len(code) == 6 and "staff-hospital" in group.output  # a hospital ward starts with its own quiz
    bad = runner.invoke(args=["group", "create", "--org", "999999", "--name", "x", "--size", "3"])
    assert bad.exit_code == 1 and "没有找到这个单位" in bad.output and "Traceback" not in bad.output
    kind = runner.invoke(args=["org", "create", "--name", "x", "--kind", "bank"])
    assert kind.exit_code != 0 and "Traceback" not in kind.output


def test_a_start_with_an_api_join_code_is_tied_to_the_group(app, client):
    g = make_group(app, quiz_id=QUIZ)
    body = start_api_attempt(client, QUIZ, "小明", join_code=g["join_code"].lower())
    from app.extensions import db
    from app.quiz.models import Attempt

    with app.app_context():
        attempt = db.session.get(Attempt, body["attempt_id"])
        assert attempt.group_id == g["group_id"] and attempt.scope == 0 and attempt.member_key.startswith("p:")
        db.session.remove()
