"""Counting results reach people: an attempt that does not count says so and why (page and API),
a certificate never contradicts the unit's record, a roster unit's retake keeps the person, and
everyone who finished and failed is on the unit's not-done list."""

from __future__ import annotations

import re
from datetime import timedelta

from app.database import utcnow
from tests.helpers import bearer, correct_labels_via_db, csrf_token, make_group
from tests.records.builders import play_through, row


def _assign_first_only(app, made, quiz_id=None):
    from app.extensions import db
    from app.groups import services
    from app.groups.models import Group

    with app.app_context():
        try:
            org = services.get_organisation(made["org_id"])
            group = db.session.get(Group, made["group_id"])
            now = utcnow()
            services.create_assignment(org, quiz_id or made["quiz_id"], [group], now - timedelta(hours=1),
                                       now + timedelta(days=7), rule="first")
        finally:
            db.session.remove()


def _join(client, join_code, nickname="小周", **staff):
    page = client.get(f"/g/{join_code}")
    assert page.status_code == 200
    posted = client.post(f"/g/{join_code}", data={"csrf_token": csrf_token(page.text), "nickname": nickname, **staff})
    assert posted.status_code == 303, posted.text
    return posted.headers["Location"].split("/")[2]


def _again(client, attempt_id):
    result = client.get(f"/a/{attempt_id}/result")
    again = re.search(r'<form method="post" action="(/a/[^"]+/again)">', result.text)
    assert again, "the result page offers 再来一次 as one button"
    posted = client.post(again.group(1), data={"csrf_token": csrf_token(result.text)})
    assert posted.status_code == 303, posted.text
    assert re.fullmatch(r"/a/[^/]+/1", posted.headers["Location"]), "straight to question 1, no start form"
    return posted.headers["Location"].split("/")[2]


def test_a_retake_under_first_only_says_it_does_not_count_and_gets_no_certificate(app, client):
    made = make_group(app, "内科一病区", 20, kind="hospital", org_name="县人民医院")
    _assign_first_only(app, made)
    first = _join(client, made["join_code"])
    first_page = play_through(app, client, first, wrong=50)  # fails, and counts
    assert "本次成绩已计入排名和单位记录" in first_page

    second = _again(client, first)
    page = play_through(app, client, second)  # all right, but the rule counts the first only
    assert "及格了" in page
    assert "本次不计入" in page and "只计第一次" in page
    assert ">领取证书</button>" not in page and "不能领取证书" in page

    refused = client.post(f"/a/{second}/certificate", data={"csrf_token": csrf_token(page)})
    assert refused.status_code == 422
    assert "没有计入本单位的记录" in refused.text and "只计第一次" in refused.text

    from app.quiz.models import Attempt
    from app.records.models import Certificate

    assert row(app, Certificate, Certificate.attempt_id == second) is None
    kept = row(app, Attempt, Attempt.id == second)
    assert (kept.counted, kept.group_id) == (False, made["group_id"])


def test_the_api_says_whether_an_attempt_counted_and_why_not(app, client):
    made = make_group(app, "内科二病区", 20, kind="hospital", org_name="县人民医院")
    _assign_first_only(app, made)
    outcomes = []
    for _ in range(2):
        started = client.post("/api/v1/attempts", json={"quiz_id": made["quiz_id"], "nickname": "小李",
                                                         "join_code": made["join_code"],
                                                         "participant_token": outcomes[0][1] if outcomes else None})
        assert started.status_code == 201, started.json
        body = started.json
        token = body.get("participant_token") or outcomes[0][1]
        for n in range(1, body["question_count"] + 1):
            labels = correct_labels_via_db(app, body["attempt_id"], n)
            client.post(f"/api/v1/attempts/{body['attempt_id']}/questions/{n}/answer", headers=bearer(body["token"]),
                        json={"choices": labels})
        done = client.post(f"/api/v1/attempts/{body['attempt_id']}/finish", headers=bearer(body["token"]))
        status = client.get(f"/api/v1/attempts/{body['attempt_id']}", headers=bearer(body["token"]))
        outcomes.append((done.json, token, status.json))
    assert outcomes[0][0]["counted"] is True and outcomes[0][0]["count_note"] is None
    assert outcomes[1][0]["counted"] is False and "只计第一次" in outcomes[1][0]["count_note"]
    assert outcomes[1][2]["counted"] is False and outcomes[1][2]["count_note"] == outcomes[1][0]["count_note"]


def test_playing_outside_the_window_says_why_on_the_result_page(app, client):
    from app.extensions import db
    from app.groups import services
    from app.groups.models import Group

    made = make_group(app)
    with app.app_context():
        org = services.get_organisation(made["org_id"])
        now = utcnow()
        services.create_assignment(org, "student-basics", [db.session.get(Group, made["group_id"])],
                                   now + timedelta(days=1), now + timedelta(days=2))
        db.session.remove()
    from tests.records.builders import start

    attempt_id = start(client, "student-basics", "小明", made["join_code"])
    page = play_through(app, client, attempt_id)
    assert "本次不计入" in page and "还没有开始" in page


def test_a_roster_units_retake_keeps_the_person(app, client):
    from app.extensions import db
    from app.groups.models import Group, RosterEntry
    from app.quiz.models import Attempt

    made = make_group(app, "药剂科", 10, kind="hospital", org_name="县人民医院")
    with app.app_context():
        db.session.get(Group, made["group_id"]).roster_required = True
        db.session.add(RosterEntry(group_id=made["group_id"], name="王芳", staff_no="H0301", department="药剂科"))
        db.session.commit()
        db.session.remove()
    first = _join(client, made["join_code"], "小王", staff_no="H0301", staff_name="王芳")
    play_through(app, client, first, wrong=50)
    second = _again(client, first)
    page = client.get(f"/a/{second}/1")
    assert page.status_code == 200 and "请填写工号和姓名" not in page.text
    one, two = row(app, Attempt, Attempt.id == first), row(app, Attempt, Attempt.id == second)
    assert two.roster_entry_id == one.roster_entry_id is not None
    assert (two.group_id, two.member_key, two.nickname) == (one.group_id, one.member_key, "小王")


def test_everyone_who_finished_and_failed_is_on_the_not_done_list(app, client):
    from app.extensions import db
    from app.groups.models import Group, RosterEntry
    from app.reports.services import group_report

    made = make_group(app, "检验科", 3, kind="hospital", org_name="县人民医院")
    with app.app_context():
        db.session.get(Group, made["group_id"]).roster_required = True
        for name, number in (("赵敏", "H0401"), ("钱进", "H0402"), ("孙红", "H0403")):
            db.session.add(RosterEntry(group_id=made["group_id"], name=name, staff_no=number, department="检验科"))
        db.session.commit()
        db.session.remove()
    passed = _join(client, made["join_code"], "小赵", staff_no="H0401", staff_name="赵敏")
    play_through(app, client, passed)
    other = app.test_client()  # a second phone
    failing = _join(other, made["join_code"], "小钱", staff_no="H0402", staff_name="钱进")
    play_through(app, other, failing, wrong=50)

    with app.app_context():
        report = group_report(db.session.get(Group, made["group_id"]))
        listed = {p.name: p.status for p in report.pending}
        db.session.remove()
    assert set(listed) == {"钱进", "孙红"}, "the one who passed is done; the one who failed is not"
    assert listed["钱进"].startswith("未及格") and listed["孙红"] == "还没开始"


def test_a_quiz_the_unit_did_not_assign_says_so_in_the_units_words(app, client):
    made = make_group(app, "放射科", 12, kind="hospital", org_name="县人民医院")
    _assign_first_only(app, made, quiz_id="elder-listen")  # the unit assigned another quiz
    from tests.records.builders import start

    attempt_id = start(client, "staff-training", "小陈", made["join_code"])
    page = play_through(app, client, attempt_id)
    assert "这不是本科室布置的测验" in page and "本班" not in page
