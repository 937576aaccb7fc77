"""YAML, Excel and GIFT each carry every item and quiz without loss; Excel errors name row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.bank.gift_format import parse_gift, write_gift
from app.bank.loader import read_bank
from app.bank.xlsx_format import parse_xlsx, template_bank, write_xlsx

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped():
    bank, problems = read_bank(ROOT / "question_bank")
    assert problems == []
    return bank


def _same(a, b) -> None:
    key = lambda q: q.item_id  # noqa: E731
    assert [(q.item_id, q.content_hash()) for q in sorted(a.questions, key=key)] == [
        (q.item_id, q.content_hash()) for q in sorted(b.questions, key=key)
    ]
    assert list(a.quizzes) == list(b.quizzes)


@pytest.mark.parametrize("suffix", [".xlsx", ".gift"])
def test_every_item_and_quiz_round_trips(shipped, tmp_path, suffix):
    path = tmp_path / f"bank{suffix}"
    (write_xlsx if suffix == ".xlsx" else write_gift)(shipped, path)
    again, problems = read_bank(path)
    assert problems == []
    _same(shipped, again)


def test_xlsx_to_gift_to_xlsx(shipped, tmp_path):
    write_xlsx(shipped, tmp_path / "a.xlsx")
    from_xlsx, _ = read_bank(tmp_path / "a.xlsx")
    write_gift(from_xlsx, tmp_path / "b.gift")
    from_gift, _ = read_bank(tmp_path / "b.gift")
    write_xlsx(from_gift, tmp_path / "c.xlsx")
    _same(shipped, read_bank(tmp_path / "c.xlsx")[0])


def test_cli_check_import_and_stats_accept_all_three_formats(runner, tmp_path):
    for fmt, name in (("xlsx", "bank.xlsx"), ("gift", "bank.gift"), ("yaml", "yaml-out")):
        result = runner.invoke(args=["bank", "export", "--format", fmt, str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert runner.invoke(args=["bank", "check", str(tmp_path / name)]).exit_code == 0
        stats = runner.invoke(args=["bank", "stats", "--json", str(tmp_path / name)])
        assert stats.exit_code == 0 and '"questions"' in stats.output


def test_excel_template_has_chinese_headers_and_an_example(runner, tmp_path):
    out = tmp_path / "模板.xlsx"
    assert runner.invoke(args=["bank", "template", str(out)]).exit_code == 0
    book = load_workbook(out)
    assert book.sheetnames == ["题目", "测验", "填写说明"]
    headers = [c.value for c in book["题目"][1]]
    assert headers[:4] == ["编号", "诈骗类型", "对象", "题型"] and "答案" in headers and "解析" in headers
    assert book["题目"].max_row == 2
    questions, quizzes, problems = parse_xlsx(out)
    assert problems == [] and len(questions) == 1 and quizzes[0].id == "local-theme"


def test_excel_errors_name_row_and_column_in_plain_words(tmp_path):
    path = write_xlsx(template_bank(), tmp_path / "t.xlsx")
    book = load_workbook(path)
    sheet = book["题目"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("答案") + 1, value="Z")
    sheet.cell(row=2, column=headers.index("对象") + 1, value="老师")
    book.save(path)
    _q, _z, problems = parse_xlsx(path)
    text = [str(p) for p in problems]
    assert "文件 t.xlsx，第 2 行，题目 local-example-1，列“答案”：答案 Z 不是这道题的选项" in text
    assert any("第 2 行" in t and "列“对象”" in t for t in text)


def test_role_travels_in_every_format_and_an_older_template_still_reads(shipped, tmp_path):
    roles = {q.item_id: q.role for q in shipped.questions if q.role}
    assert roles and {q.id: q.roles for q in shipped.quizzes if q.roles}
    for suffix in (".xlsx", ".gift"):
        path = tmp_path / f"bank{suffix}"
        (write_xlsx if suffix == ".xlsx" else write_gift)(shipped, path)
        again, _ = read_bank(path)
        assert {q.item_id: q.role for q in again.questions if q.role} == roles
    # A sheet made from the template before the 岗位 column existed: items without a role, no problem.
    path = write_xlsx(template_bank(), tmp_path / "old.xlsx")
    book = load_workbook(path)
    for name in ("题目", "测验"):
        sheet = book[name]
        sheet.delete_cols([c.value for c in sheet[1]].index("岗位") + 1)
    book.save(path)
    questions, quizzes, problems = parse_xlsx(path)
    assert problems == [] and questions[0].role is None and quizzes[0].roles == ()


def test_spreadsheet_text_never_becomes_a_formula(tmp_path):
    bank = template_bank()
    q = bank.questions[0]
    hostile = type(q)(**{**q.__dict__, "prompt": "=HYPERLINK(\"http://evil.example\",\"点我\")"})
    path = write_xlsx(type(bank)((hostile,), bank.quizzes), tmp_path / "f.xlsx")
    sheet = load_workbook(path)["题目"]
    cell = sheet.cell(row=2, column=[c.value for c in sheet[1]].index("问题") + 1)
    assert cell.data_type == "s"
    assert parse_xlsx(path)[0][0].prompt == hostile.prompt


def test_gift_edited_in_an_lms_still_imports(shipped, tmp_path):
    """Moodle drops our comment lines; pattern and audience come back from the category and the
    rule, action and source from the general feedback."""
    path = write_gift(shipped, tmp_path / "bank.gift")
    stripped = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("// fzkt"))
    lms = tmp_path / "lms.gift"
    lms.write_text(stripped, encoding="utf-8")
    questions, _quizzes, problems = parse_gift(lms)
    by_id = {q.item_id: q for q in questions}
    original = {q.item_id: q for q in shipped.questions if not q.speech}
    assert problems == [] or all("speech" in (p.field or "") for p in problems)
    for item_id, q in original.items():
        assert by_id[item_id].pattern == q.pattern and by_id[item_id].audiences == q.audiences
        assert by_id[item_id].role == q.role
        assert by_id[item_id].rule == q.rule and by_id[item_id].source == q.source
        assert by_id[item_id].answers == q.answers


def test_a_local_case_in_excel_becomes_a_themed_quiz(fresh_app, tmp_path):
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["bank", "import"]).exit_code == 0
    local = write_xlsx(template_bank(), tmp_path / "本周案例.xlsx")
    result = runner.invoke(args=["bank", "import", str(local)])
    assert result.exit_code == 0 and "新增 1 道" in result.output and "下架 0 道" in result.output
    client = fresh_app.test_client()
    quizzes = {q["id"]: q for q in client.get("/api/v1/quizzes").json["quizzes"]}
    assert quizzes["local-theme"]["title"] == "本周本地案例" and "elder-listen" in quizzes
    started = client.post("/api/v1/attempts", json={"quiz_id": "local-theme", "nickname": "社区刘姐"}).json
    q = client.get(f"/api/v1/attempts/{started['attempt_id']}/questions/1",
                   headers={"Authorization": f"Bearer {started['token']}"}).json
    assert q["n"] == 1 and "local-example" not in q["question_id"]  # learners get an opaque id
    with fresh_app.app_context():
        from app.quiz import services

        assert services.question_of(services.slot_of(started["attempt_id"], 1).slot).item_id == "local-example-1"
