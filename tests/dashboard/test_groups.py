"""Creating organisations, campaigns and groups; the group page, its QR code, projector view and settings."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.groups.codes import ALPHABET, LENGTH
from tests.factories import UserFactory
from tests.helpers import csrf_token, make_group, sign_in


def _group_rows(app, org_id):
    from app.extensions import db
    from app.groups.models import Group

    with app.app_context():
        try:
            return [(g.id, g.name, g.size, g.join_code, g.teacher_id, g.quiz_id)
                    for g in db.session.scalars(select(Group).where(Group.organisation_id == org_id).order_by(Group.id))]
        finally:
            db.session.remove()


def test_admin_creates_campaign_organisation_and_group_with_prg(app, client):
    sign_in(client, UserFactory(role="admin"))
    page = client.get("/manage/campaigns/new")
    made = client.post("/manage/campaigns/new", data={"csrf_token": csrf_token(page.text), "name": "全县医院反诈培训"})
    assert made.status_code == 303 and made.headers["Location"] == "/manage/organisations/new"
    page = client.get("/manage/organisations/new")
    assert "全县医院反诈培训" in page.text
    campaign_id = re.search(r'<option value="(\d+)">全县医院反诈培训</option>', page.text).group(1)
    made = client.post("/manage/organisations/new", data={"csrf_token": csrf_token(page.text), "name": "县人民医院",
                                                          "kind": "hospital", "campaign": campaign_id})
    assert made.status_code == 303
    org_id = int(re.search(r"/manage/organisations/(\d+)/groups/new$", made.headers["Location"]).group(1))

    page = client.get(f"/manage/organisations/{org_id}/groups/new")
    assert "新建科室" in page.text
    assert '<option selected value="staff-hospital">' in page.text  # the hospital staff's quiz is preselected
    assert "student-basics" not in page.text  # students' quizzes are not offered to a hospital
    teacher = UserFactory(role="teacher", organisation_id=org_id, display_name="李护士长")
    page = client.get(f"/manage/organisations/{org_id}/groups/new")
    assert "李护士长" in page.text
    made = client.post(f"/manage/organisations/{org_id}/groups/new", data={
        "csrf_token": csrf_token(page.text), "name": "内科二病区", "size": "18", "quiz": "staff-training",
        "teacher": str(teacher.id)})
    assert made.status_code == 303
    [(group_id, name, size, code, teacher_id, quiz_id)] = _group_rows(app, org_id)
    assert made.headers["Location"] == f"/manage/groups/{group_id}"
    assert (name, size, teacher_id, quiz_id) == ("内科二病区", 18, teacher.id, "staff-training")
    assert len(code) == LENGTH and set(code) <= set(ALPHABET)
    shown = client.get(made.headers["Location"])
    assert shown.status_code == 200 and f"{code[:3]}-{code[3:]}" in shown.text


def test_bad_organisation_input_is_a_chinese_422(app, client):
    sign_in(client, UserFactory(role="admin"))
    token = csrf_token(client.get("/manage/organisations/new").text)
    for data, words in (({"name": "", "kind": "school"}, "请填写单位名称"),
                        ({"name": "某校", "kind": "prison"}, "单位类型只能是"),
                        ({"name": "某校", "kind": "school", "campaign": "999"}, "请从列表中选择一个活动"),
                        ({"name": "<b>x</b>", "kind": "school"}, "尖括号")):
        response = client.post("/manage/organisations/new", data={"csrf_token": token, **data})
        assert response.status_code == 422 and words in response.text, data
        assert 'aria-invalid="true"' in response.text or 'role="alert"' in response.text


def test_teacher_creates_a_group_in_their_own_organisation_and_becomes_its_teacher(app, client):
    school = make_group(app, "初一（1）班", 40)
    teacher = UserFactory(role="teacher", organisation_id=school["org_id"])
    sign_in(client, teacher)
    page = client.get(f"/manage/organisations/{school['org_id']}/groups/new")
    assert page.status_code == 200 and 'name="teacher"' not in page.text
    codes = set()
    for n in range(2, 6):
        made = client.post(f"/manage/organisations/{school['org_id']}/groups/new", data={
            "csrf_token": csrf_token(page.text), "name": f"初一（{n}）班", "size": "45", "quiz": "student-basics",
            "teacher": "999999"})  # a teacher cannot hand the group to someone else
        assert made.status_code == 303
    rows = _group_rows(app, school["org_id"])
    codes = {row[3] for row in rows}
    assert len(codes) == len(rows) == 5  # every join code is unique
    assert all(row[4] == teacher.id for row in rows[1:])
    home = client.get("/manage/")
    assert all(f"初一（{n}）班" in home.text for n in range(2, 6)) and "初一（1）班" not in home.text


def test_group_form_refuses_bad_size_foreign_quiz_and_foreign_teacher(app, client):
    a = make_group(app, "内科", 30, kind="hospital", org_name="甲医院")
    other = make_group(app, "外科", 30, kind="hospital", org_name="乙医院")
    stranger = UserFactory(role="teacher", organisation_id=other["org_id"])
    sign_in(client, UserFactory(role="organiser", organisation_id=a["org_id"]))
    url = f"/manage/organisations/{a['org_id']}/groups/new"
    token = csrf_token(client.get(url).text)
    base = {"csrf_token": token, "name": "眼科", "size": "12", "quiz": "staff-training", "teacher": ""}
    for change, words in (({"size": "十二"}, "应到人数要填一个整数"), ({"size": "0"}, "应到人数应在"),
                          ({"quiz": "student-basics"}, "请从列表中选择一个测验"),
                          ({"quiz": "no-such-quiz"}, "请从列表中选择一个测验"),
                          ({"teacher": str(stranger.id)}, "请从列表中选择本单位的一位老师"),
                          ({"name": "  "}, "请填写名称")):
        response = client.post(url, data={**base, **change})
        assert response.status_code == 422 and words in response.text, change
    assert len(_group_rows(app, a["org_id"])) == 1
    assert client.post(url, data=base).status_code == 303  # no teacher: the organiser manages it


def test_qr_route_returns_the_segno_svg_of_the_share_url(app, client, world):
    from app.groups.qr import qr_svg

    sign_in(client, world["ta1"])
    group_id, code = world["a1"]["group_id"], world["a1"]["join_code"]
    page = client.get(f"/manage/groups/{group_id}")
    share = f"http://localhost/g/{code}"
    assert f'href="{share}"' in page.text and f'src="/manage/groups/{group_id}/qr.svg"' in page.text
    response = client.get(f"/manage/groups/{group_id}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.lstrip().startswith(b"<svg") and b"</svg>" in response.data
    assert response.data == qr_svg(share, title="扫码加入 内科")  # segno made it from exactly that URL


def test_qr_svg_has_a_view_box_matching_its_size_so_css_can_scale_it():
    import re

    from app.groups.qr import qr_svg

    svg = qr_svg("http://localhost/g/ABC123", title="扫码加入 内科").decode()
    root = re.match(r"<svg [^>]*>", svg).group(0)
    width = re.search(r' width="(\d+)px"', root).group(1)
    height = re.search(r' height="(\d+)px"', root).group(1)
    assert int(width) > 0 and width == height
    assert f' viewBox="0 0 {width} {height}"' in root
    assert "<title>扫码加入 内科</title>" in svg


def test_projector_view_shows_code_qr_and_link(client, world):
    sign_in(client, world["oa"])
    group_id, code = world["a1"]["group_id"], world["a1"]["join_code"]
    page = client.get(f"/manage/groups/{group_id}/project")
    assert page.status_code == 200
    assert f"{code[:3]}-{code[3:]}" in page.text and f"http://localhost/g/{code}" in page.text
    assert f'src="/manage/groups/{group_id}/qr.svg"' in page.text and 'lang="zh-CN"' in page.text
    assert "<script" not in page.text and "style=" not in page.text


def test_edit_name_and_size(app, client, world):
    sign_in(client, world["ta1"])
    url = f"/manage/groups/{world['a1']['group_id']}"
    token = csrf_token(client.get(url).text)
    bad = client.post(url + "/edit", data={"csrf_token": token, "edit-name": "内科", "edit-size": "-3"})
    assert bad.status_code == 422 and "应到人数应在" in bad.text and 'value="-3"' in bad.text
    ok = client.post(url + "/edit", data={"csrf_token": token, "edit-name": "内科一病区", "edit-size": "32"})
    assert ok.status_code == 303 and ok.headers["Location"] == url + "#settings"
    page = client.get(url)
    assert "<h1>内科一病区</h1>" in page.text and "应到 32 人" in page.text


def test_board_settings_with_range_and_minors_explanation(app, client, world):
    from app.extensions import db
    from app.groups.models import Group

    sign_in(client, world["ts1"])
    url = f"/manage/groups/{world['s1']['group_id']}"
    page = client.get(url)
    assert "不会显示真实姓名" in page.text
    token = csrf_token(page.text)
    for data, words in (({"board-mode": "top", "board-top_n": "2"}, "3 到 50"),
                        ({"board-mode": "top", "board-top_n": "51"}, "3 到 50"),
                        ({"board-mode": "top", "board-top_n": "十"}, "3 到 50"),
                        ({"board-mode": "names", "board-top_n": "10"}, "请选择一种排行榜显示方式")):
        response = client.post(url + "/board", data={"csrf_token": token, **data})
        assert response.status_code == 422 and words in response.text, data
    ok = client.post(url + "/board", data={"csrf_token": token, "board-mode": "top", "board-top_n": "5"})
    assert ok.status_code == 303
    with app.app_context():
        group = db.session.get(Group, world["s1"]["group_id"])
        assert (group.board_mode, group.board_top_n) == ("top", 5)
    assert 'value="top" checked' in client.get(url).text


def test_home_shows_participants_of_the_current_board_round(app, client, world):
    """Participants come from GroupStats of the board's round: free play (0) until an assignment opens."""
    from app.database import utcnow
    from app.extensions import db
    from app.groups import services
    from app.groups.models import Group, GroupStats, Organisation
    from app.groups.rounds import board_scope

    with app.app_context():
        group = db.session.get(Group, world["a1"]["group_id"])
        db.session.get(GroupStats, (group.id, 0)).participants = 7
        db.session.commit()
        org = db.session.get(Organisation, group.organisation_id)
        now = utcnow()
        later = services.create_assignment(org, "staff-training", [group], now + timedelta(days=1), now + timedelta(days=2))
        later_id = later.id
        db.session.get(GroupStats, (group.id, later_id)).participants = 99  # not open yet: not shown
        db.session.commit()
    sign_in(client, world["ta1"])
    assert "7 / 30 人" in client.get("/manage/").text
    with app.app_context():
        group = db.session.get(Group, world["a1"]["group_id"])
        org = db.session.get(Organisation, group.organisation_id)
        now = utcnow()
        current = services.create_assignment(org, "staff-training", [group], now - timedelta(hours=1), now + timedelta(days=1))
        db.session.get(GroupStats, (group.id, current.id)).participants = 3
        db.session.commit()
        assert board_scope(group).id == current.id
    home = client.get("/manage/")
    assert "3 / 30 人" in home.text and "7 / 30 人" not in home.text


def test_home_lists_what_each_role_may_see(client, world):
    seen = {}
    for who in ("admin", "oa", "ta1", "tb1"):
        sign_in(client, world[who])
        text = client.get("/manage/").text
        seen[who] = {name for name in ("内科", "外科", "儿科", "初一（3）班") if f"<h3>{name}</h3>" in text}
    assert seen == {"admin": {"内科", "外科", "儿科", "初一（3）班"}, "oa": {"内科", "外科"}, "ta1": {"内科"},
                    "tb1": {"儿科"}}


def test_home_uses_a_fixed_number_of_queries(app, client, world, query_recorder):
    sign_in(client, world["admin"])
    with query_recorder:
        assert client.get("/manage/").status_code == 200
    few = query_recorder.queries
    for n in range(6):
        make_group(app, f"病区{n}", 10, org_id=world["b1"]["org_id"])
    with query_recorder:
        assert client.get("/manage/").status_code == 200
    assert len(query_recorder) == len(few) <= 8, query_recorder.queries
