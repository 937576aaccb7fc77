"""The group report's numbers on a seeded class, played through the API: participation, completion,
the pending list, the score distribution, accuracy per pattern and per item."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta

from tests.factories import UserFactory
from tests.helpers import make_group, sign_in, start_api_attempt
from tests.reports.builders import add_rows, at, play, slot_patterns, update


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _report(app, group_id):
    from app.extensions import db
    from app.groups.models import Group
    from app.reports.services import group_report

    with app.app_context():
        try:
            return group_report(db.session.get(Group, group_id))
        finally:
            db.session.remove()


def test_seeded_class_numbers_are_exact(app, client):
    made = make_group(app, name="初二（1）班", size=10)
    code, quiz = made["join_code"], made["quiz_id"]
    plays = [
        play(app, client, code, quiz, "小明", right=15),  # 15/15 -> 100 %
        play(app, client, code, quiz, "小红", right=9),  # 9/15 -> 60 %
        play(app, client, code, quiz, "小刚", right=0),  # 0 %
        play(app, client, code, quiz, "小芳", right=13),  # 13/15 -> 86.6 %
    ]
    unfinished = play(app, client, code, quiz, "小强", right=2, answer=2, finish=False)
    update(app, "Group", made["group_id"], pledges=3, families=2)

    report = _report(app, made["group_id"])
    assert report.round.scope == 0 and report.round.assignment is None
    assert (report.participants, report.started, report.finished) == (4, 5, 4)
    assert report.participation * 100 == 40
    assert report.completion * 100 == 80
    assert report.average * 1000 == (1000 + 600 + 0 + 866) / 4
    assert report.sign_rate * 100 == 30
    assert report.buckets == [1, 1, 0, 1, 1]  # 0–59, 60–69, 70–79, 80–89, 90–100
    # not done: 小刚 finished and failed (counted 0 %), 小强 never handed in; in the order they started
    assert [(p.nickname, p.member_key.startswith("p:"), p.status) for p in report.pending] == [
        ("小刚", True, "未及格（0/15）"), ("小强", True, "未完成")]
    assert report.pending_total == 2 and report.overdue is False

    # Per item and per pattern, counted independently from what this test answered.
    per_item: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_pattern: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for played in [*plays, unfinished]:
        slots = slot_patterns(app, played.attempt_id)
        for position, right in enumerate(played.right, start=1):
            item_id, pattern = slots[position]
            for table, key in ((per_item, item_id), (per_pattern, pattern)):
                table[key][0] += 1
                table[key][1] += int(right)
    assert {i.item_id: [i.answered, i.correct] for i in report.items} == dict(per_item)
    assert {p.pattern: [p.answered, p.correct] for p in report.patterns} == dict(per_pattern)
    accuracies = [p.correct / p.answered for p in report.patterns]
    assert accuracies == sorted(accuracies), "patterns are listed weakest first"
    assert [i.correct / i.answered for i in report.items] == sorted(i.correct / i.answered for i in report.items)
    assert sum(i.answered for i in report.items) == 15 * 4 + 2

    teacher = UserFactory(role="teacher")
    update(app, "Group", made["group_id"], teacher_id=teacher.id)
    sign_in(client, teacher)
    page = client.get(f"/reports/groups/{made['group_id']}")
    assert page.status_code == 200
    text = _text(page.text)
    assert "40%" in text and "4 / 10 人已计入成绩" in text
    assert "80%" in text and "开始 5 次，交卷 4 次" in text
    assert "62%" in text  # (100 + 60 + 0 + 86.6) / 4 = 61.65
    assert "3 / 10 人签署" in text and "30%" in text
    assert "小强" in text and "尚未完成或未及格（2 人）" in text
    weakest = report.patterns[:3]
    sentence = "本班最薄弱：" + "、".join(f"{p.pattern}（{round(100 * p.correct / p.answered)}%）" for p in weakest)
    assert sentence.split("（")[0] in text
    for p in report.patterns:
        assert p.pattern in text
    # Each bucket's number is written as text beside its bar and again in the table fallback.
    assert text.count("1 人（25%）") >= 2 * 4 and "0 人（0%）" in text
    chart = page.text.split('id="dist-chart"')[1].split("</ul>")[0]
    assert chart.count('class="bar-fill w-26"') == 4 and chart.count('class="bar-fill w-0"') == 1  # 25 % -> 26
    assert "<table" in page.text and "查看数据表" in text
    first = report.items[0]
    assert first.item_id in text and first.prompt in text


def test_prompt_is_cut_to_30_characters(app):
    from app.reports.services import _prompt

    assert _prompt({"prompt": "一" * 31}) == "一" * 30 + "…"
    assert _prompt({"prompt": " 短 题 "}) == "短 题"
    assert _prompt(None) == ""


def test_roster_group_pending_list_is_overdue_after_the_close(app, client):
    from app.extensions import db
    from app.groups.models import Group, RosterEntry
    from app.groups.services import create_assignment, get_organisation

    made = make_group(app, name="内科一病区", size=3, kind="hospital", org_name="县人民医院")
    update(app, "Group", made["group_id"], roster_required=True)
    ids = add_rows(app, RosterEntry(group_id=made["group_id"], name="王丽", staff_no="H001", department="内科"),
                   RosterEntry(group_id=made["group_id"], name="李强", staff_no="H002", department="内科"),
                   RosterEntry(group_id=made["group_id"], name="赵敏", staff_no="H003", department="护理部"))
    from tests.reports.builders import play_as_staff

    play_as_staff(app, client, made["join_code"], made["quiz_id"], "H001", "王丽", right=20)
    play_as_staff(app, client, made["join_code"], made["quiz_id"], "H002", "李强", right=3, answer=3, finish=False)
    report = _report(app, made["group_id"])
    assert [(p.name, p.staff_no, p.department) for p in report.pending] == [("李强", "H002", "内科"),
                                                                            ("赵敏", "H003", "护理部")]
    assert report.pending[0].member_key == f"r:{ids[1]}" and report.pending[0].started_at is not None
    assert report.pending[1].started_at is None
    assert report.overdue is False and report.participants == 1

    # An assignment that opened and closed in the past: the board scope, and the pending are overdue.
    with app.app_context():
        try:
            org = get_organisation(made["org_id"])
            group = db.session.get(Group, made["group_id"])
            create_assignment(org, "staff-training", [group], at("2024-03-01 00:00"), at("2024-03-08 00:00"))
        finally:
            db.session.remove()
    report = _report(app, made["group_id"])
    assert report.round.assignment is not None and report.overdue is True
    assert [p.name for p in report.pending] == ["王丽", "李强", "赵敏"]  # nothing counted in that round
    assert report.participants == 0 and report.started == 0


def test_unfinished_players_are_people_not_attempts(app, client):
    """Two attempts of one person who never finished are one line; a person who finished once is not pending."""
    made = make_group(app, kind="community", name="幸福里一组", size=5)
    code, quiz = made["join_code"], made["quiz_id"]
    first = start_api_attempt(client, quiz, "张奶奶", join_code=code)
    token = first["participant_token"]
    start_api_attempt(client, quiz, "张奶奶", join_code=code, participant_token=token)
    play(app, client, code, quiz, "李爷爷", right=8)
    report = _report(app, made["group_id"])
    assert [p.nickname for p in report.pending] == ["张奶奶"] and report.pending_total == 1
    assert (report.started, report.finished) == (3, 1)


def test_empty_group_report_renders(app, client):
    made = make_group(app, size=30)
    admin = UserFactory(role="admin")
    sign_in(client, admin)
    page = client.get(f"/reports/groups/{made['group_id']}")
    assert page.status_code == 200
    assert "本轮还没有人作答" in page.text and "0 / 30 人" in page.text
    projector = client.get(f"/reports/groups/{made['group_id']}?view=projector")
    assert projector.status_code == 200 and 'class="report projector"' in projector.text


def test_assignment_window_is_named(app, client):
    from app.database import utcnow
    from app.extensions import db
    from app.groups.models import Group
    from app.groups.services import create_assignment, get_organisation

    made = make_group(app, size=30)
    now = utcnow()
    with app.app_context():
        try:
            create_assignment(get_organisation(made["org_id"]), "student-basics",
                              [db.session.get(Group, made["group_id"])], now - timedelta(hours=1),
                              now + timedelta(days=1), title="第一次班会")
        finally:
            db.session.remove()
    admin = UserFactory(role="admin")
    sign_in(client, admin)
    text = _text(client.get(f"/reports/groups/{made['group_id']}").text)
    assert "本轮任务：第一次班会" in text and "已截止" not in text
