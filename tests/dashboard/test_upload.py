"""Uploading a teacher's own Excel or GIFT file: a private quiz, namespaced ids, and nothing written
when the file has problems. Builders for the other upload tests live here too."""

from __future__ import annotations

import dataclasses
import io
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.bank.gift_format import write_gift
from app.bank.loader import load_bank
from app.bank.models import Question, Quiz
from app.bank.schema import Bank
from app.bank.xlsx_format import parse_xlsx, template_bank, write_xlsx
from tests.factories import UserFactory
from tests.helpers import count_rows, csrf_token, sign_in

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- builders


def make_school(app: Flask, name: str = "城关中学", kind: str = "school") -> dict[str, Any]:
    """An organisation with one group taught by a teacher; returns ids, the join code and the teacher."""
    from app.extensions import db
    from app.groups import services

    teacher = UserFactory(role="teacher")
    with app.app_context():
        try:
            org = services.create_organisation(name, kind)
            group = services.create_group(org, "初一（3）班", 40, teacher_id=teacher.id)
            return {"org_id": org.id, "group_id": group.id, "join_code": group.join_code, "teacher": teacher}
        finally:
            db.session.remove()


@cache
def shipped() -> Bank:
    return load_bank(ROOT / "question_bank")


def sample_bank() -> Bank:
    """A single-choice, a multiple-choice and a yes/no item and one whole multi-step case, as a teacher
    would take them from an export."""
    bank = shipped()
    singles = [next(q for q in bank.questions if q.case_id is None and q.kind == kind)
               for kind in ("single", "multiple", "judge")]
    case_id = next(q.case_id for q in bank.questions if q.case_id)
    return Bank((*singles, *(q for q in bank.questions if q.case_id == case_id)), ())


def xlsx_bytes(tmp_path: Path, bank: Bank | None = None, name: str = "本校题目.xlsx") -> bytes:
    return write_xlsx(bank or sample_bank(), tmp_path / name).read_bytes()


def gift_bytes(tmp_path: Path, bank: Bank | None = None) -> bytes:
    return write_gift(bank or sample_bank(), tmp_path / "bank.gift").read_bytes()


def upload(client: FlaskClient, org_id: int, data: bytes, filename: str, title: str = "本校反诈小测",
           **fields: Any) -> Any:
    """POST the upload form. The body is encoded in memory: the test client's own encoder spills
    bodies over 500 KB to a temporary file it never closes."""
    page = client.get(f"/manage/organisations/{org_id}/quizzes")
    assert page.status_code == 200, page.status_code
    form = {"csrf_token": csrf_token(page.text), "title": title, "pass_mark": "60", "count": "20", "audience": "",
            "file": FileStorage(io.BytesIO(data), filename=filename), **fields}
    boundary, body = encode_multipart(form)
    return client.post(f"/manage/organisations/{org_id}/quizzes", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def own_rows(app: Flask, org_id: int) -> tuple[int, int]:
    return (count_rows(app, Question, Question.organisation_id == org_id),
            count_rows(app, Quiz, Quiz.organisation_id == org_id))


def own_quizzes(app: Flask, org_id: int) -> list[Quiz]:
    from app.extensions import db

    with app.app_context():
        try:
            return list(db.session.scalars(select(Quiz).where(Quiz.organisation_id == org_id)))
        finally:
            db.session.remove()


def own_items(app: Flask, org_id: int, current: bool = True) -> list[Question]:
    from app.extensions import db

    with app.app_context():
        try:
            stmt = select(Question).where(Question.organisation_id == org_id)
            return list(db.session.scalars(stmt.where(Question.current.is_(True)) if current else stmt))
        finally:
            db.session.remove()


# ---------------------------------------------------------------- uploads that work


@pytest.mark.parametrize("filename", ["本校题目.xlsx", "题目.gift", "从Moodle导出.txt"])
def test_an_upload_becomes_a_private_quiz_with_namespaced_ids(app, client, tmp_path, filename):
    school = make_school(app)
    sign_in(client, school["teacher"])
    data = xlsx_bytes(tmp_path) if filename.endswith(".xlsx") else gift_bytes(tmp_path)
    response = upload(client, school["org_id"], data, filename)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/manage/organisations/{school['org_id']}/quizzes")
    page = client.get(response.headers["Location"])
    sample = sample_bank()
    assert f"已导入 {filename}" in page.text and f"新增 {len(sample.questions)} 道题" in page.text
    assert "本校反诈小测" in page.text

    prefix = f"o{school['org_id']}-"
    [quiz] = own_quizzes(app, school["org_id"])
    assert quiz.id.startswith(prefix) and quiz.active and quiz.title == "本校反诈小测"
    assert quiz.pass_mark == 60 and quiz.question_count == len(sample.questions)
    assert sorted(quiz.item_ids) == sorted(prefix + q.item_id for q in sample.questions)
    items = own_items(app, school["org_id"])
    assert sorted(q.item_id for q in items) == sorted(quiz.item_ids)
    assert all(q.organisation_id == school["org_id"] for q in items)
    assert {q.case_id for q in items if q.case_id} == {prefix + q.case_id for q in sample.questions if q.case_id}
    listed = {q["id"] for q in client.get("/api/v1/quizzes").json["quizzes"]}
    assert quiz.id not in listed and "student-basics" in listed


def test_the_template_filled_in_uploads_as_one_quiz(app, client, tmp_path):
    school = make_school(app, "幸福社区", "community")
    sign_in(client, school["teacher"])
    download = client.get("/manage/quizzes/template.xlsx")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")
    (tmp_path / "t.xlsx").write_bytes(download.data)
    questions, quizzes, problems = parse_xlsx(tmp_path / "t.xlsx")
    assert problems == [] and len(questions) == 1 and quizzes == []
    gift = client.get("/manage/quizzes/template.gift")
    assert gift.status_code == 200 and "::local-example-1::" in gift.text

    response = upload(client, school["org_id"], download.data, "题库模板.xlsx", title="", audience="", pass_mark="80")
    assert response.status_code == 303
    [quiz] = own_quizzes(app, school["org_id"])
    assert quiz.title == "题库模板" and quiz.pass_mark == 80 and quiz.question_count == 1
    # The example is for elders and staff: a community centre's quiz is for its elders.
    assert quiz.audience == "elder" and quiz.item_ids == [f"o{school['org_id']}-local-example-1"]


def test_quizzes_defined_in_the_file_are_kept_namespaced(app, client, tmp_path):
    school = make_school(app)
    sign_in(client, school["teacher"])
    bank = template_bank()  # its 测验 sheet holds the quiz local-theme of item local-example-1
    response = upload(client, school["org_id"], xlsx_bytes(tmp_path, bank), "本周案例.xlsx", title="不用这个名字")
    assert response.status_code == 303
    [quiz] = own_quizzes(app, school["org_id"])
    prefix = f"o{school['org_id']}-"
    assert quiz.id == prefix + "local-theme" and quiz.title == "本周本地案例"
    assert quiz.item_ids == [prefix + "local-example-1"] and quiz.audience == "elder"


def test_uploading_again_changes_nothing_and_an_edit_is_a_new_version(app, client, tmp_path):
    school = make_school(app)
    sign_in(client, school["teacher"])
    data = xlsx_bytes(tmp_path)
    assert upload(client, school["org_id"], data, "本校题目.xlsx").status_code == 303
    first = own_rows(app, school["org_id"])
    again = upload(client, school["org_id"], data, "本校题目.xlsx")
    assert again.status_code == 303
    assert "新增 0 道题，修改 0 道" in client.get(again.headers["Location"]).text
    assert own_rows(app, school["org_id"]) == first

    sample = sample_bank()
    edited = dataclasses.replace(sample.questions[0], explanation=sample.questions[0].explanation + "这是本校补充的一句说明。")
    changed = Bank((edited, *sample.questions[1:]), ())
    response = upload(client, school["org_id"], xlsx_bytes(tmp_path, changed), "本校题目.xlsx")
    assert "新增 0 道题，修改 1 道" in client.get(response.headers["Location"]).text
    versions = [q for q in own_items(app, school["org_id"], current=False)
                if q.item_id == f"o{school['org_id']}-{edited.item_id}"]
    assert sorted((q.version, q.current) for q in versions) == [(1, False), (2, True)]
    assert len(own_quizzes(app, school["org_id"])) == 1  # the same items: the same quiz


def test_the_shared_bank_import_never_retires_private_items(app, client, runner, tmp_path):
    from app.bank.importer import import_bank

    school = make_school(app)
    sign_in(client, school["teacher"])
    assert upload(client, school["org_id"], xlsx_bytes(tmp_path), "本校题目.xlsx").status_code == 303
    before = own_rows(app, school["org_id"])
    result = runner.invoke(args=["bank", "import"])
    assert result.exit_code == 0 and "下架 0 道" in result.output
    with app.app_context():
        report = import_bank(shipped(), retire_missing=True)
    assert report.retired == []
    assert own_rows(app, school["org_id"]) == before
    assert len(own_items(app, school["org_id"])) == len(sample_bank().questions)
    assert all(q.active for q in own_quizzes(app, school["org_id"]))


# ---------------------------------------------------------------- files that are refused


def _edited_xlsx(tmp_path: Path, column: str, value: str) -> bytes:
    path = write_xlsx(sample_bank(), tmp_path / "坏文件.xlsx")
    book = load_workbook(path)
    sheet = book["题目"]
    sheet.cell(row=2, column=[c.value for c in sheet[1]].index(column) + 1, value=value)
    book.save(path)
    return path.read_bytes()


BAD_FILES = {
    "missing answer": (lambda p: _edited_xlsx(p, "答案", ""), "坏文件.xlsx",
                       "文件 坏文件.xlsx，第 2 行，题目 {id}，列“答案”：单选题只能有一个正确答案"),
    "unknown pattern": (lambda p: _edited_xlsx(p, "诈骗类型", "外星人诈骗"), "坏文件.xlsx",
                        "列“诈骗类型”：诈骗类型“外星人诈骗”不在类型表里"),
    "wrong extension": (lambda p: b"PK\x03\x04 a word file", "通知.docx", "不支持“.docx”文件"),
    "old excel": (lambda p: b"\xd0\xcf\x11\xe0 old", "旧表.xls", "旧版 Excel 文件（.xls）"),
    "oversize": (lambda p: b"// " + b"a" * (2 * 1024 * 1024), "大文件.gift", "文件太大（2.0 MB），最多 2 MB"),
    "not really an xlsx": (lambda p: "这其实是一段文字".encode(), "假表格.xlsx", "不是真正的 Excel 工作簿"),
    "a zip without a workbook": (lambda p: _zip_of_text(p), "压缩包.xlsx", "不是真正的 Excel 工作簿"),
    "gift without answers": (lambda p: "::q1:: 题目没有答案部分".encode(), "题目.gift", "缺少 { } 答案部分"),
    "gift not utf-8": (lambda p: "::q1:: 问题{=对~错}".encode("gbk"), "题目.gift", "文件不是 UTF-8 编码"),
    "empty": (lambda p: b"", "空.xlsx", "文件是空的"),
}


def _zip_of_text(tmp_path: Path) -> bytes:
    import zipfile

    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return path.read_bytes()


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_in_plain_words_and_writes_nothing(app, client, tmp_path, case):
    make, filename, message = BAD_FILES[case]
    school = make_school(app)
    sign_in(client, school["teacher"])
    response = upload(client, school["org_id"], make(tmp_path), filename)
    assert response.status_code == 422
    assert message.replace("{id}", sample_bank().questions[0].item_id) in response.text
    assert "没有导入任何题目" in response.text
    assert own_rows(app, school["org_id"]) == (0, 0)


def test_a_body_far_beyond_the_limit_is_413(app, client):
    school = make_school(app)
    sign_in(client, school["teacher"])
    response = upload(client, school["org_id"], b"a" * (3 * 1024 * 1024), "巨大.gift")
    assert response.status_code == 413 and "内容太大" in response.text
    assert own_rows(app, school["org_id"]) == (0, 0)


def test_form_fields_are_checked_in_chinese(app, client, tmp_path):
    school = make_school(app)
    sign_in(client, school["teacher"])
    response = upload(client, school["org_id"], xlsx_bytes(tmp_path), "a.xlsx", pass_mark="一百", count="99")
    assert response.status_code == 422
    assert "请填写一个整数" in response.text and "题数应在 1 到 50 之间" in response.text
    page = client.get(f"/manage/organisations/{school['org_id']}/quizzes")
    no_file = client.post(f"/manage/organisations/{school['org_id']}/quizzes",
                          data={"csrf_token": csrf_token(page.text), "title": "x", "pass_mark": "60", "count": "20"})
    assert no_file.status_code == 422 and "请选择要上传的文件" in no_file.text
    assert own_rows(app, school["org_id"]) == (0, 0)
