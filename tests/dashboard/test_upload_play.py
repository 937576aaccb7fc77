"""A private quiz is played only with a join code of its own organisation, and draws its own items."""

from __future__ import annotations

from sqlalchemy import select

from app.bank.models import Question
from app.quiz.models import Attempt, AttemptQuestion
from tests.dashboard.test_upload import make_school, own_quizzes, sample_bank, sign_in, upload, xlsx_bytes
from tests.helpers import csrf_token, make_group


def _start(client, quiz_id: str, join_code: str | None = None):
    page = client.get("/play/student-basics")  # any start page carries the form's CSRF token
    data = {"csrf_token": csrf_token(page.text), "nickname": "小明"}
    if join_code:
        data["join_code"] = join_code
    return client.post(f"/play/{quiz_id}", data=data)


def _drawn(app, attempt_id: str) -> list[Question]:
    from app.extensions import db

    with app.app_context():
        try:
            return list(db.session.scalars(
                select(Question).join(AttemptQuestion, AttemptQuestion.question_id == Question.id)
                .where(AttemptQuestion.attempt_id == attempt_id)
            ))
        finally:
            db.session.remove()


def own_attempts(app) -> int:
    from app.extensions import db

    with app.app_context():
        try:
            return len(db.session.scalars(select(Attempt.id)).all())
        finally:
            db.session.remove()


def test_only_a_join_code_of_the_organisation_starts_a_private_quiz(app, client, tmp_path):
    school = make_school(app)
    other = make_group(app, "初二（1）班", org_name="实验中学")
    teacher = app.test_client()
    sign_in(teacher, school["teacher"])
    assert upload(teacher, school["org_id"], xlsx_bytes(tmp_path), "本校题目.xlsx").status_code == 303
    [quiz] = own_quizzes(app, school["org_id"])

    page = client.get(f"/play/{quiz.id}")
    assert page.status_code == 200 and "请填写老师或工作人员给的班级码" in page.text
    for refused in (_start(client, quiz.id), _start(client, quiz.id, other["join_code"])):  # no code; another school's
        assert refused.status_code == 422 and "只能用本单位班级的班级码参加" in refused.text
    assert own_attempts(app) == 0
    started = _start(client, quiz.id, school["join_code"])
    assert started.status_code == 303, started.text
    attempt_id = started.headers["Location"].split("/")[2]
    drawn = _drawn(app, attempt_id)
    assert len(drawn) == len(sample_bank().questions)
    assert {q.item_id for q in drawn} == set(quiz.item_ids)
    assert all(q.organisation_id in (None, school["org_id"]) for q in drawn)
    assert all(q.organisation_id == school["org_id"] for q in drawn)  # its item list holds only its own
    from app.extensions import db

    with app.app_context():
        try:
            attempt = db.session.get(Attempt, attempt_id)
            assert attempt.group_id == school["group_id"] and attempt.quiz_id == quiz.id
        finally:
            db.session.remove()


def test_the_api_refuses_a_private_quiz_without_the_code(app, client, tmp_path):
    school = make_school(app)
    teacher = app.test_client()
    sign_in(teacher, school["teacher"])
    assert upload(teacher, school["org_id"], xlsx_bytes(tmp_path), "本校题目.xlsx").status_code == 303
    [quiz] = own_quizzes(app, school["org_id"])
    assert client.post("/api/v1/attempts", json={"quiz_id": quiz.id, "nickname": "小红"}).status_code == 404
    ok = client.post("/api/v1/attempts", json={"quiz_id": quiz.id, "nickname": "小红", "join_code": school["join_code"]})
    assert ok.status_code == 201
