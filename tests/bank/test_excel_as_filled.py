"""Excel as teachers fill it: blank rows, a title row above the headers, full-width letters and
colons, 对 for 是, formulas nobody calculated, ① as a number. Messages name the sheet's own row and
never point at a source file."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.bank.xlsx_format import parse_xlsx, template_bank, write_xlsx
from app.dashboard.roster_import import RosterRow, parse_roster
from tests.dashboard.builders import xlsx


def _template(tmp_path: Path) -> Path:
    return write_xlsx(template_bank(), tmp_path / "本周案例.xlsx")


def _column(sheet, header: str) -> int:
    return [c.value for c in sheet[1]].index(header) + 1


def _edit(path: Path, change) -> Path:
    book = load_workbook(path)
    change(book)
    book.save(path)
    return path


def _messages(path: Path) -> list[str]:
    return [str(p) for p in parse_xlsx(path)[2]]


def test_errors_name_the_sheet_row_after_blank_rows(tmp_path):
    """The example row moves to row 11 (blank rows 2-10 above it) and loses its id: the message
    names row 11, not 第1题 (the loader's count of items)."""
    def move_down(book):
        sheet = book["题目"]
        sheet.insert_rows(2, amount=9)
        sheet.cell(row=11, column=_column(sheet, "编号"), value="坏 编号")
    messages = _messages(_edit(_template(tmp_path), move_down))
    assert "文件 本周案例.xlsx，第 11 行，列“编号”：编号只能用小写字母、数字和连字符，例如 gjf-safe-account" in messages
    assert not any("第1题" in m for m in messages)


def test_full_width_letters_colons_and_judge_words_are_normalised(tmp_path):
    def full_width(book):
        sheet = book["题目"]
        sheet.cell(row=2, column=_column(sheet, "答案"), value="Ｃ")
        sheet.cell(row=2, column=_column(sheet, "题型"), value="单选题")
        sheet.cell(row=1, column=_column(sheet, "朗读：情景"), value="朗读:情景")  # an ASCII colon
        sheet.cell(row=2, column=_column(sheet, "朗读:情景"), value="王阿姨接到一个电话。")
        sheet.cell(row=1, column=_column(sheet, "朗读：选项"), value="朗读 : 选项")
    questions, _quizzes, problems = parse_xlsx(_edit(_template(tmp_path), full_width))
    assert problems == []
    assert questions[0].answers == ("C",) and questions[0].speech["scenario"] == "王阿姨接到一个电话。"


@pytest.mark.parametrize(("typed", "answer"), [("对", "yes"), ("错", "no"), ("√", "yes"), ("×", "no"), ("是", "yes")])
def test_a_judge_answer_may_be_written_as_teachers_write_it(tmp_path, typed, answer):
    def judge(book):
        sheet = book["题目"]
        sheet.cell(row=2, column=_column(sheet, "题型"), value="判断")
        for letter in "ABCD":
            sheet.cell(row=2, column=_column(sheet, f"选项{letter}")).value = None  # cell(value=None) keeps it
        sheet.cell(row=2, column=_column(sheet, "答案"), value=typed)
    questions, _quizzes, problems = parse_xlsx(_edit(_template(tmp_path), judge))
    assert problems == [] and questions[0].kind == "judge" and questions[0].answers == (answer,)


def test_a_multiple_answer_may_be_letters_run_together(tmp_path):
    def multiple(book):
        sheet = book["题目"]
        sheet.cell(row=2, column=_column(sheet, "题型"), value="多选")
        sheet.cell(row=2, column=_column(sheet, "答案"), value="ＣＤ")
    questions, _quizzes, problems = parse_xlsx(_edit(_template(tmp_path), multiple))
    assert problems == [] and questions[0].answers == ("C", "D")


def test_a_merged_title_row_above_the_headers_is_recognised(tmp_path):
    def title_row(book):
        for name in ("题目", "测验"):
            sheet = book[name]
            sheet.insert_rows(1)
            sheet["A1"] = "城关社区 2026 年反诈宣传题库"
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=10)
    path = _edit(_template(tmp_path), title_row)
    questions, quizzes, problems = parse_xlsx(path)
    assert problems == [] and len(questions) == 1 and [q.id for q in quizzes] == ["local-theme"]

    def bad_answer(book):
        sheet = book["题目"]
        sheet.cell(row=3, column=[c.value for c in sheet[2]].index("答案") + 1, value="Z")
    assert any(m.startswith("文件 本周案例.xlsx，第 3 行，题目 local-example-1，列“答案”") for m in _messages(_edit(path, bad_answer)))


def test_headers_missing_are_named_with_their_row(tmp_path):
    def lose_answer(book):
        sheet = book["题目"]
        sheet.cell(row=1, column=_column(sheet, "答案"), value="正确答案")
    assert _messages(_edit(_template(tmp_path), lose_answer)) == [
        "文件 本周案例.xlsx：工作表“题目”第 1 行（表头）缺少这些列：答案（请用模板的表头）"]


def test_a_formula_without_a_cached_value_is_reported_as_a_formula(tmp_path):
    """openpyxl writes formulas without results (as do scripts and some web tools): the cell would
    read as empty, and the teacher would be told 答案 is missing."""
    def formula(book):
        sheet = book["题目"]
        sheet.cell(row=2, column=_column(sheet, "答案"), value='=IF(1,"C","A")')
    messages = _messages(_edit(_template(tmp_path), formula))
    assert any(m.startswith("文件 本周案例.xlsx，第 2 行，列“答案”：这一格是公式，但文件里没有它的计算结果") for m in messages), messages


@pytest.mark.parametrize("count", ["①", "²", "二十", "20题"])
def test_an_odd_number_of_questions_is_a_message_not_a_traceback(tmp_path, count):
    def odd(book):
        sheet = book["测验"]
        sheet.cell(row=2, column=_column(sheet, "题数"), value=count)
    messages = _messages(_edit(_template(tmp_path), odd))
    assert messages == ["文件 本周案例.xlsx，第 2 行，题目 local-theme，列“题数”：题数应当是 1 到 50 之间的整数"]


def test_full_width_digits_are_a_number(tmp_path):
    def wide(book):
        sheet = book["测验"]
        sheet.cell(row=2, column=_column(sheet, "题数"), value="１")
    questions, quizzes, problems = parse_xlsx(_edit(_template(tmp_path), wide))
    assert problems == [] and quizzes[0].count == 1


def test_messages_never_point_at_source_files(tmp_path):
    def everything_wrong(book):
        sheet = book["题目"]
        for header, value in (("诈骗类型", "电话诈骗"), ("规则", "小心"), ("对象", "老师"), ("题型", "问答"),
                              ("答案", "Q"), ("编号", "??")):
            sheet.cell(row=2, column=_column(sheet, header), value=value)
    messages = _messages(_edit(_template(tmp_path), everything_wrong))
    assert len(messages) >= 5 and "诈骗类型“电话诈骗”不在类型表里，请从这些类型中选一个" in "".join(messages)
    assert not any(".py" in m or "app/" in m for m in messages), messages


def test_the_roster_finds_its_header_under_a_title_row():
    data = xlsx([["内科 2026 年反诈培训名单"], [], ["姓名", "工号", "科室"], ["张三", "１００１", "内科"]])
    assert parse_roster(data) == [RosterRow(4, "张三", "1001", "内科")]


def test_a_roster_formula_without_a_value_is_named():
    from app.dashboard.roster_import import RosterFileError

    with pytest.raises(RosterFileError) as caught:
        parse_roster(xlsx([["姓名", "工号", "科室"], ["张三", "=1000+1", "内科"]]))
    assert caught.value.problems[0].startswith("第 2 行：有公式但没有计算结果")
