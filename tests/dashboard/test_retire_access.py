"""Who may retire an organisation's own quiz: the teacher who uploaded it, the organisation's organisers
and admins. Another teacher of the same organisation sees and plays it but gets a 403; anyone outside
the organisation a 404. A pass mark of 0 is refused on the upload form."""

from __future__ import annotations

import pytest

from tests.dashboard.test_upload import make_school, own_quizzes, sign_in, upload, xlsx_bytes
from tests.factories import UserFactory
from tests.helpers import csrf_token, make_group
from tests.reports.builders import set_teacher


@pytest.fixture()
def school(app, tmp_path):
    """城关中学 with two teachers (each with a class); the first uploads a quiz. Plus 实验中学."""
    mine, theirs = make_school(app, "城关中学"), make_school(app, "实验中学")
    colleague = UserFactory(role="teacher")
    set_teacher(app, make_group(app, "初一（4）班", org_id=mine["org_id"])["group_id"], colleague)
    uploader = app.test_client()
    sign_in(uploader, mine["teacher"])
    assert upload(uploader, mine["org_id"], xlsx_bytes(tmp_path), "本校题目.xlsx").status_code == 303
    [quiz] = own_quizzes(app, mine["org_id"])
    people = {
        "the teacher who uploaded it": mine["teacher"],
        "another teacher of the organisation": colleague,
        "organiser of the organisation": UserFactory(role="organiser", organisation_id=mine["org_id"]),
        "admin": UserFactory(role="admin"),
        "teacher of another organisation": theirs["teacher"],
        "organiser of another organisation": UserFactory(role="organiser", organisation_id=theirs["org_id"]),
        "anonymous": None,
    }
    return {"org_id": mine["org_id"], "quiz_id": quiz.id, "people": people}


# who -> (status of the list page, the retire button shown, status of the retire POST)
MATRIX = {
    "the teacher who uploaded it": (200, True, 303),
    "another teacher of the organisation": (200, False, 403),
    "organiser of the organisation": (200, True, 303),
    "admin": (200, True, 303),
    "teacher of another organisation": (404, False, 404),
    "organiser of another organisation": (404, False, 404),
    "anonymous": ("login", False, "login"),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_retire_access_matrix(app, school, who):
    listed, button, retired = MATRIX[who]
    client = app.test_client()
    if school["people"][who] is not None:
        sign_in(client, school["people"][who])
    url = f"/manage/organisations/{school['org_id']}/quizzes"
    page = client.get(url)
    token = csrf_token(client.get("/").text)
    response = client.post(f"{url}/{school['quiz_id']}/retire", data={"csrf_token": token})
    if listed == "login":
        assert page.status_code in (302, 303) and "/staff/login" in page.headers["Location"]
        assert response.status_code in (302, 303) and "/staff/login" in response.headers["Location"]
    else:
        assert page.status_code == listed
        assert ("下架《本校反诈小测》</button>" in page.text) is button
        assert response.status_code == retired
    assert [q.active for q in own_quizzes(app, school["org_id"])] == [retired != 303]
    if retired == 403:
        assert "只有上传这份测验的老师" in response.text
        assert "只有上传这份测验的老师或本单位的组织者可以下架它" in page.text


def test_a_teacher_who_uploads_the_same_file_may_retire_it_too(app, school, tmp_path):
    colleague = app.test_client()
    sign_in(colleague, school["people"]["another teacher of the organisation"])
    assert upload(colleague, school["org_id"], xlsx_bytes(tmp_path), "本校题目.xlsx").status_code == 303
    token = csrf_token(colleague.get("/").text)
    url = f"/manage/organisations/{school['org_id']}/quizzes/{school['quiz_id']}/retire"
    assert colleague.post(url, data={"csrf_token": token}).status_code == 303
    assert [q.active for q in own_quizzes(app, school["org_id"])] == [False]


def test_a_pass_mark_of_zero_is_refused_on_the_upload_form(app, tmp_path):
    mine = make_school(app)
    client = app.test_client()
    sign_in(client, mine["teacher"])
    response = upload(client, mine["org_id"], xlsx_bytes(tmp_path), "本校题目.xlsx", pass_mark="0")
    assert response.status_code == 422 and "及格线应在 1 到 100 之间" in response.text
    assert own_quizzes(app, mine["org_id"]) == []
