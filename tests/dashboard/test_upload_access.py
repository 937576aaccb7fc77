"""Who may see, upload to and retire an organisation's own quizzes; CSRF on every POST."""

from __future__ import annotations

import pytest

from tests.dashboard.test_upload import make_school, own_quizzes, own_rows, sign_in, upload, xlsx_bytes
from tests.factories import UserFactory
from tests.helpers import csrf_token


@pytest.fixture()
def two_schools(app, client, tmp_path):
    mine, theirs = make_school(app, "城关中学"), make_school(app, "实验中学")
    sign_in(client, mine["teacher"])
    assert upload(client, mine["org_id"], xlsx_bytes(tmp_path), "本校题目.xlsx").status_code == 303
    [quiz] = own_quizzes(app, mine["org_id"])
    return mine, theirs, quiz.id


def _account(app, who: str, mine: dict, theirs: dict) -> dict | None:
    return {
        "anonymous": None,
        "teacher of the organisation": mine["teacher"],
        "teacher of another organisation": theirs["teacher"],
        "organiser of the organisation": UserFactory(role="organiser", organisation_id=mine["org_id"]),
        "organiser of another organisation": UserFactory(role="organiser", organisation_id=theirs["org_id"]),
        "admin": UserFactory(role="admin"),
    }[who]


MATRIX = {
    "anonymous": "login",
    "teacher of the organisation": 200,
    "teacher of another organisation": 404,
    "organiser of the organisation": 200,
    "organiser of another organisation": 404,
    "admin": 200,
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_list_page_access_matrix(app, two_schools, who):
    mine, theirs, quiz_id = two_schools
    client = app.test_client()
    account = _account(app, who, mine, theirs)
    if account:
        sign_in(client, account)
    response = client.get(f"/manage/organisations/{mine['org_id']}/quizzes")
    if MATRIX[who] == "login":
        assert response.status_code in (302, 303) and "/staff/login" in response.headers["Location"]
        return
    assert response.status_code == MATRIX[who]
    if response.status_code == 200:
        assert "本校反诈小测" in response.text and "下架《本校反诈小测》" in response.text
        assert 'enctype="multipart/form-data"' in response.text
    else:
        assert "本校反诈小测" not in response.text


@pytest.mark.parametrize("who", ["teacher of another organisation", "organiser of another organisation"])
def test_another_organisation_can_neither_upload_nor_retire(app, two_schools, tmp_path, who):
    mine, theirs, quiz_id = two_schools
    client = app.test_client()
    sign_in(client, _account(app, who, mine, theirs))
    token = csrf_token(client.get(f"/manage/organisations/{theirs['org_id']}/quizzes").text)
    retire = client.post(f"/manage/organisations/{mine['org_id']}/quizzes/{quiz_id}/retire", data={"csrf_token": token})
    assert retire.status_code == 404
    # Their own organisation's URL with our quiz id: still not theirs.
    retire = client.post(f"/manage/organisations/{theirs['org_id']}/quizzes/{quiz_id}/retire", data={"csrf_token": token})
    assert retire.status_code == 404
    assert all(q.active for q in own_quizzes(app, mine["org_id"]))
    before = own_rows(app, mine["org_id"])
    import io

    posted = client.post(f"/manage/organisations/{mine['org_id']}/quizzes", content_type="multipart/form-data",
                         data={"csrf_token": token, "title": "x", "pass_mark": "60", "count": "20",
                               "file": (io.BytesIO(xlsx_bytes(tmp_path)), "a.xlsx")})
    assert posted.status_code == 404 and own_rows(app, mine["org_id"]) == before


def test_posts_need_a_csrf_token(app, two_schools, tmp_path):
    import io

    mine, _theirs, quiz_id = two_schools
    client = app.test_client()
    sign_in(client, mine["teacher"])
    posted = client.post(f"/manage/organisations/{mine['org_id']}/quizzes", content_type="multipart/form-data",
                         data={"title": "x", "pass_mark": "60", "count": "20",
                               "file": (io.BytesIO(xlsx_bytes(tmp_path, name="b.xlsx")), "b.xlsx")})
    assert posted.status_code == 400
    retire = client.post(f"/manage/organisations/{mine['org_id']}/quizzes/{quiz_id}/retire")
    assert retire.status_code == 400
    assert len(own_quizzes(app, mine["org_id"])) == 1 and all(q.active for q in own_quizzes(app, mine["org_id"]))


def test_the_templates_need_a_signed_in_account(app):
    client = app.test_client()
    for fmt in ("xlsx", "gift"):
        response = client.get(f"/manage/quizzes/template.{fmt}")
        assert response.status_code in (302, 303) and "/staff/login" in response.headers["Location"]


def test_retiring_takes_the_quiz_off_and_uploading_again_brings_it_back(app, two_schools, tmp_path):
    mine, _theirs, quiz_id = two_schools
    client = app.test_client()
    sign_in(client, UserFactory(role="organiser", organisation_id=mine["org_id"]))
    page = client.get(f"/manage/organisations/{mine['org_id']}/quizzes")
    retire = client.post(f"/manage/organisations/{mine['org_id']}/quizzes/{quiz_id}/retire",
                         data={"csrf_token": csrf_token(page.text)})
    assert retire.status_code == 303
    listing = client.get(retire.headers["Location"]).text
    assert "已下架《本校反诈小测》" in listing and "下架《本校反诈小测》</button>" not in listing
    assert [q.active for q in own_quizzes(app, mine["org_id"])] == [False]
    player = app.test_client()
    token = csrf_token(player.get("/play/student-basics").text)
    start = player.post(f"/play/{quiz_id}", data={"csrf_token": token, "nickname": "小明", "join_code": mine["join_code"]})
    assert start.status_code == 404

    assert upload(client, mine["org_id"], xlsx_bytes(tmp_path), "本校题目.xlsx").status_code == 303
    assert [q.active for q in own_quizzes(app, mine["org_id"])] == [True]


def test_a_quiz_a_group_plays_by_default_is_not_retired(app, two_schools):
    from app.extensions import db
    from app.groups.models import Group

    mine, _theirs, quiz_id = two_schools
    with app.app_context():
        db.session.get(Group, mine["group_id"]).quiz_id = quiz_id
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    sign_in(client, mine["teacher"])
    page = client.get(f"/manage/organisations/{mine['org_id']}/quizzes")
    assert "1 个班级在用" in page.text
    retire = client.post(f"/manage/organisations/{mine['org_id']}/quizzes/{quiz_id}/retire",
                         data={"csrf_token": csrf_token(page.text)})
    listing = client.get(retire.headers["Location"]).text
    assert "没有下架：" in listing and "初一（3）班的默认测验" in listing
    assert [q.active for q in own_quizzes(app, mine["org_id"])] == [True]
