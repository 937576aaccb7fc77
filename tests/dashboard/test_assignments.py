"""Assignments from the dashboard: local (Beijing) times stored as aware UTC, validation in Chinese,
and groups of another organisation refused."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from tests.helpers import csrf_token, sign_in


def _assignments(app):
    from app.extensions import db
    from app.groups.models import Assignment, AssignmentGroup

    with app.app_context():
        try:
            rows = []
            for a in db.session.scalars(select(Assignment).order_by(Assignment.id)):
                groups = set(db.session.scalars(select(AssignmentGroup.group_id).where(AssignmentGroup.assignment_id == a.id)))
                rows.append((a.quiz_id, a.opens_at, a.closes_at, a.rule, a.tries_per_day, groups))
            return rows
        finally:
            db.session.remove()


def _form(client, url, **data):
    token = csrf_token(client.get(url).text)
    base = {"csrf_token": token, "quiz": "staff-training", "opens_at": "2030-03-01T08:00",
            "closes_at": "2030-03-08T20:30", "rule": "first", "tries_per_day": "3"}
    return client.post(url, data={**base, **data})


def test_page_explains_the_counting_rules(client, world):
    sign_in(client, world["oa"])
    page = client.get(f"/manage/organisations/{world['a1']['org_id']}/assignments")
    assert page.status_code == 200
    for words in ("只计第一次", "每天最多 N 次，取最好成绩", "不计入排名", "两个人起了同一个昵称", "北京时间"):
        assert words in page.text
    assert 'type="datetime-local"' in page.text and "外科" in page.text and "儿科" not in page.text


def test_create_assignment_in_beijing_time_stored_as_utc(app, client, world):
    sign_in(client, world["oa"])
    url = f"/manage/organisations/{world['a1']['org_id']}/assignments"
    made = _form(client, url, groups=[str(world["a1"]["group_id"]), str(world["a2"]["group_id"])],
                 rule="best", tries_per_day="2")
    assert made.status_code == 303 and made.headers["Location"] == url
    [(quiz, opens, closes, rule, tries, groups)] = _assignments(app)
    assert quiz == "staff-training" and rule == "best" and tries == 2
    assert opens == datetime(2030, 3, 1, 0, 0, tzinfo=UTC)  # 08:00 in Beijing is midnight UTC
    assert closes == datetime(2030, 3, 8, 12, 30, tzinfo=UTC)
    assert groups == {world["a1"]["group_id"], world["a2"]["group_id"]}
    page = client.get(url)
    assert "任务已布置" in page.text and "2030-03-01 08:00 至 2030-03-08 20:30" in page.text
    assert "每天最多 2 次，取最好成绩" in page.text and "未开始" in page.text


def test_first_rule_keeps_one_try(app, client, world):
    sign_in(client, world["admin"])
    url = f"/manage/organisations/{world['a1']['org_id']}/assignments"
    assert _form(client, url, groups=str(world["a1"]["group_id"]), tries_per_day="9").status_code == 303
    assert _assignments(app)[0][3:5] == ("first", 1)


def test_validation_errors_write_nothing(app, client, world):
    sign_in(client, world["oa"])
    url = f"/manage/organisations/{world['a1']['org_id']}/assignments"
    a1 = str(world["a1"]["group_id"])
    cases = [
        ({"groups": a1, "closes_at": "2030-03-01T07:00"}, "截止时间要晚于开始时间"),
        ({"groups": a1, "closes_at": "2030-03-01T08:00"}, "截止时间要晚于开始时间"),
        ({}, "请至少选择一个科室"),
        ({"groups": [a1, str(world["b1"]["group_id"])]}, "只能选择本单位的科室"),  # another organisation's group
        ({"groups": str(world["s1"]["group_id"])}, "只能选择本单位的科室"),
        ({"groups": "999999"}, "只能选择本单位的科室"),
        ({"groups": "abc"}, "只能选择本单位的科室"),
        ({"groups": a1, "opens_at": ""}, "请填写开始时间"),
        ({"groups": a1, "opens_at": "明天早上"}, "请填写开始时间"),
        ({"groups": a1, "closes_at": "2030-02-30T08:00"}, "请填写截止时间"),
        ({"groups": a1, "rule": "most"}, "请选择计分规则"),
        ({"groups": a1, "rule": "best", "tries_per_day": "0"}, "每天可计分的次数应在 1 到 20 之间"),
        ({"groups": a1, "rule": "best", "tries_per_day": "x"}, "每天可计分的次数要填"),
        ({"groups": a1, "quiz": "student-basics"}, "请从列表中选择一个测验"),
    ]
    for data, words in cases:
        response = _form(client, url, **data)
        assert response.status_code == 422, data
        assert words in response.text, (data, words)
        assert 'role="alert"' in response.text
    assert _assignments(app) == []


def test_checked_groups_stay_checked_after_an_error(client, world):
    sign_in(client, world["oa"])
    url = f"/manage/organisations/{world['a1']['org_id']}/assignments"
    response = _form(client, url, groups=str(world["a2"]["group_id"]), closes_at="2029-01-01T00:00")
    assert response.status_code == 422
    assert f'value="{world["a2"]["group_id"]}" checked' in response.text
    assert f'value="{world["a1"]["group_id"]}" checked' not in response.text
