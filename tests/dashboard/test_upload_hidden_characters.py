"""A NUL (or any control character) in an uploaded quiz is refused in plain Chinese, on SQLite and on
PostgreSQL alike (PostgreSQL cannot store NUL in text; SQLite would), and nothing is written."""

from __future__ import annotations

import dataclasses

import pytest

from app.bank.schema import Bank, QuizDef
from tests.dashboard.test_upload import gift_bytes, make_school, own_rows, sample_bank, upload
from tests.helpers import sign_in


def _quiz(title: str = "本校小测", description: str = "") -> QuizDef:
    bank = sample_bank()
    items = tuple(dict.fromkeys(q.case_id or q.item_id for q in bank.questions))
    return QuizDef(id="mine", title=title, audience="student", count=3, pass_mark=60, items=items,
                   description=description)


def _refused(app, client, tmp_path, data: bytes, title: str = "本校反诈小测") -> str:
    school = make_school(app)
    sign_in(client, school["teacher"])
    response = upload(client, school["org_id"], data, "题目.gift", title=title)
    assert response.status_code == 422, response.status_code
    assert "没有导入任何题目" in response.text or "测验名称" in response.text
    assert own_rows(app, school["org_id"]) == (0, 0)
    return response.text


@pytest.mark.parametrize("escape", [rb"\u0000", rb"\u0007", rb"\u001b", rb"\ud800"], ids=["NUL", "BEL", "ESC", "surrogate"])
def test_a_control_character_in_the_files_quiz_title_is_refused(app, client, tmp_path, escape):
    """The quiz definition is JSON in a `// fzkt-quiz:` line, so any character is one escape away."""
    bank = Bank(sample_bank().questions, (_quiz(title="本校HIDDEN小测"),))
    data = gift_bytes(tmp_path, bank).replace(b"HIDDEN", escape)
    text = _refused(app, client, tmp_path, data, title="")
    assert "题目 mine，字段 title：有看不见的控制字符（如 NUL），请删掉后再试" in text


def test_a_nul_in_a_quiz_description_is_refused(app, client, tmp_path):
    bank = Bank(sample_bank().questions, (_quiz(description="本单位\x00题目"),))
    text = _refused(app, client, tmp_path, gift_bytes(tmp_path, bank), title="")
    assert "题目 mine，字段 description：有看不见的控制字符" in text


@pytest.mark.parametrize("field", ["speech", "case_title"])
def test_a_nul_in_text_that_travels_in_comment_lines_is_refused(app, client, tmp_path, field):
    """Speech text and a case's title travel as JSON in `// fzkt:` lines, where \\u0000 is one escape away."""
    questions = list(sample_bank().questions)
    at = next(i for i, q in enumerate(questions) if (q.case_id if field == "case_title" else True))
    hidden = "第一步\x00" if field == "case_title" else {"prompt": "请听题\x00"}
    questions[at] = dataclasses.replace(questions[at], **{field: hidden})
    text = _refused(app, client, tmp_path, gift_bytes(tmp_path, Bank(tuple(questions), ())))
    assert f"题目 {questions[at].item_id}，字段 {'title' if field == 'case_title' else 'speech'}：有看不见的控制字符" in text


def test_a_nul_typed_into_the_title_field_is_refused(app, client, tmp_path):
    school = make_school(app)
    sign_in(client, school["teacher"])
    response = upload(client, school["org_id"], gift_bytes(tmp_path), "题目.gift", title="本校\x00小测")
    assert response.status_code == 422
    assert "测验名称有看不见的控制字符" in response.text
    assert own_rows(app, school["org_id"]) == (0, 0)


def test_line_breaks_and_tabs_are_ordinary_text(app, client, tmp_path):
    school = make_school(app)
    sign_in(client, school["teacher"])
    response = upload(client, school["org_id"], gift_bytes(tmp_path), "题目.gift", title="本校\t反诈\n小测")
    assert response.status_code == 303
