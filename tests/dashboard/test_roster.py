"""Staff rosters from Excel: the pure parser, the import page (all or nothing), and never for schools."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.dashboard.roster_import import RosterFileError, RosterRow, parse_roster, template_xlsx
from tests.dashboard.builders import xlsx
from tests.helpers import csrf_token, sign_in

HEADER = ["姓名", "工号", "科室"]


# -- the parser -------------------------------------------------------------------------------


def test_parses_columns_in_any_order_ignoring_extra_columns_and_blank_rows():
    data = xlsx([["备注", "科室", " 工号 ", "姓名"], ["", "内科", 1001, "张 三"], [None, None, None, None],
                 ["新来的", "外科", "００２", "李四"], ["", "", " A 7 ", "王五"]])
    assert parse_roster(data) == [RosterRow(2, "张 三", "1001", "内科"), RosterRow(4, "李四", "002", "外科"),
                                  RosterRow(5, "王五", "A7", "")]


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([["姓名", "科室"], ["张三", "内科"]], "缺少这些列：工号"),
        ([["名字", "编号", "部门"], ["张三", "1", "内科"]], "缺少这些列：姓名、工号、科室"),
        ([HEADER, ["张三", "1", "内科"], ["", "2", "内科"]], "第 3 行：姓名是空的"),
        ([HEADER, ["张三", None, "内科"]], "第 2 行：工号是空的"),
        ([HEADER, ["张三", "7", "内科"], ["李四", "8", "内科"], ["王五", " 7", "外科"]], "第 4 行：工号 7 与第 2 行重复"),
        ([HEADER, ["张" * 41, "1", "内科"]], "第 2 行：姓名太长"),
        ([HEADER, ["<script>", "1", "内科"]], "第 2 行：姓名含有尖括号"),
        ([HEADER], "文件里没有人员"),
        ([], "文件是空的"),
    ],
)
def test_each_kind_of_bad_file_names_the_row(rows, words):
    with pytest.raises(RosterFileError) as caught:
        parse_roster(xlsx(rows))
    assert any(words in problem for problem in caught.value.problems), caught.value.problems


def test_every_problem_is_reported_not_only_the_first():
    with pytest.raises(RosterFileError) as caught:
        parse_roster(xlsx([HEADER, ["", "1", "内科"], ["李四", "", "内科"], ["王五", "1", "外科"]]))
    assert caught.value.problems == ["第 2 行：姓名是空的。", "第 3 行：工号是空的。", "第 4 行：工号 1 与第 2 行重复。"]


@pytest.mark.parametrize("data", [b"", b"not a spreadsheet", b"PK\x03\x04broken zip", "姓名,工号,科室\n张三,1,内科".encode()])
def test_files_that_are_not_xlsx_are_refused_in_chinese(data):
    with pytest.raises(RosterFileError) as caught:
        parse_roster(data)
    assert "无法读取这个文件" in caught.value.problems[0]


def test_template_has_the_header_and_neutralises_formulas():
    book = load_workbook(io.BytesIO(template_xlsx()))
    assert [c.value for c in book.active[1]] == HEADER and book.active.max_row == 1
    nasty = [("=1+1", "+2", "-3"), ("@SUM(A1)", "\t=cmd", "=HYPERLINK(\"http://x\")")]
    book = load_workbook(io.BytesIO(template_xlsx(nasty)))
    for row, expected in zip(book.active.iter_rows(min_row=2), nasty, strict=True):
        assert [c.value for c in row] == list(expected)
        assert all(c.data_type == "s" for c in row)  # text cells: Excel never evaluates them
    assert parse_roster(template_xlsx(nasty))[0].name == "=1+1"  # and the file round-trips


# -- the page ---------------------------------------------------------------------------------


def _roster(app, group_id):
    from app.extensions import db
    from app.groups.models import Group, RosterEntry

    with app.app_context():
        try:
            entries = db.session.scalars(select(RosterEntry).where(RosterEntry.group_id == group_id)).all()
            return ({e.staff_no: (e.name, e.department) for e in entries},
                    db.session.get(Group, group_id).roster_required)
        finally:
            db.session.remove()


def _upload(client, group_id, data, filename="名单.xlsx"):
    url = f"/manage/groups/{group_id}"
    token = csrf_token(client.get(url).text)
    return client.post(url + "/roster", content_type="multipart/form-data",
                       data={"csrf_token": token, "roster-file": (io.BytesIO(data), filename)})


def test_good_file_adds_then_updates_and_never_deletes(app, client, world):
    group_id = world["a1"]["group_id"]
    sign_in(client, world["ta1"])
    first = _upload(client, group_id, xlsx([HEADER, ["张三", "1001", "内科"], ["李四", "1002", "内科"]]))
    assert first.status_code == 303 and first.headers["Location"] == f"/manage/groups/{group_id}#roster"
    page = client.get(f"/manage/groups/{group_id}")
    assert "新增 2 人，更新 0 人，未变 0 人" in page.text and "加入时要核对工号和姓名" in page.text
    assert _roster(app, group_id) == ({"1001": ("张三", "内科"), "1002": ("李四", "内科")}, True)

    again = _upload(client, group_id, xlsx([["科室", "姓名", "工号"], ["内科", "张三", "1001"],
                                             ["急诊", "李四", "1002"], ["内科", "王五", "1003"]]))
    assert again.status_code == 303
    assert "新增 1 人，更新 1 人，未变 1 人" in client.get(f"/manage/groups/{group_id}").text
    smaller = _upload(client, group_id, xlsx([HEADER, ["张三", "1001", "内科"]]))
    assert smaller.status_code == 303
    assert "文件里没有的 2 人仍保留在名单中" in client.get(f"/manage/groups/{group_id}").text
    assert _roster(app, group_id)[0] == {"1001": ("张三", "内科"), "1002": ("李四", "急诊"), "1003": ("王五", "内科")}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (xlsx([HEADER, ["张三", "1", "内科"], ["张三", "1", "外科"]]), "第 3 行：工号 1 与第 2 行重复"),
        (xlsx([["姓名", "工号"], ["张三", "1"]]), "缺少这些列：科室"),
        (xlsx([HEADER, ["张三", "1", "内科"], ["", "2", "内科"]]), "第 3 行：姓名是空的"),
        (b"\x00\x01 definitely not excel", "无法读取这个文件"),
    ],
)
def test_bad_file_writes_nothing_and_says_why(app, client, world, data, words):
    group_id = world["a1"]["group_id"]
    sign_in(client, world["oa"])
    response = _upload(client, group_id, data)
    assert response.status_code == 422 and words in response.text
    assert "没有导入任何内容" in response.text
    assert _roster(app, group_id) == ({}, False)


def test_missing_file_is_a_422(app, client, world):
    sign_in(client, world["oa"])
    url = f"/manage/groups/{world['a1']['group_id']}"
    response = client.post(url + "/roster", data={"csrf_token": csrf_token(client.get(url).text)})
    assert response.status_code == 422 and "请先选择名单文件" in response.text


def test_school_groups_never_take_a_roster(app, client, world):
    group_id = world["s1"]["group_id"]
    sign_in(client, world["ts1"])
    page = client.get(f"/manage/groups/{group_id}")
    assert "学校班级不导入名单" in page.text and 'name="roster-file"' not in page.text
    response = _upload(client, group_id, xlsx([HEADER, ["张三", "1", "初一（3）班"]]))
    assert response.status_code == 422 and "未成年人" in response.text
    token = csrf_token(page.text)
    assert client.post(f"/manage/groups/{group_id}/roster/settings", data={"csrf_token": token, "rs-required": "y"}).status_code == 422
    assert client.get(f"/manage/groups/{group_id}/roster.xlsx").status_code == 422
    assert _roster(app, group_id) == ({}, False)


def test_roster_check_can_be_turned_off_and_on(app, client, world):
    group_id = world["a1"]["group_id"]
    sign_in(client, world["oa"])
    url = f"/manage/groups/{group_id}/roster/settings"
    token = csrf_token(client.get(f"/manage/groups/{group_id}").text)
    empty = client.post(url, data={"csrf_token": token, "rs-required": "y"})
    assert empty.status_code == 422 and "名单还是空的" in empty.text
    assert _upload(client, group_id, xlsx([HEADER, ["张三", "1001", "内科"]])).status_code == 303
    assert client.post(url, data={"csrf_token": token}).status_code == 303  # checkbox left empty: off
    assert _roster(app, group_id)[1] is False
    assert client.post(url, data={"csrf_token": token, "rs-required": "y"}).status_code == 303
    assert _roster(app, group_id)[1] is True


def test_template_download_holds_the_current_roster(app, client, world):
    group_id = world["a1"]["group_id"]
    sign_in(client, world["ta1"])
    blank = client.get(f"/manage/groups/{group_id}/roster.xlsx")
    assert blank.status_code == 200 and blank.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in blank.headers["Content-Disposition"]
    assert [c.value for c in load_workbook(io.BytesIO(blank.data)).active[1]] == HEADER
    assert _upload(client, group_id, template_xlsx([("=1+1", "0042", "内科")])).status_code == 303
    filled = load_workbook(io.BytesIO(client.get(f"/manage/groups/{group_id}/roster.xlsx").data)).active
    assert [c.value for c in filled[2]] == ["=1+1", "0042", "内科"] and filled["A2"].data_type == "s"


def test_too_many_rows_are_refused_without_reading_on():
    from app.dashboard.roster_import import MAX_ROWS, MAX_SHEET_ROWS

    with pytest.raises(RosterFileError) as caught:
        parse_roster(xlsx([HEADER, *[["张三", str(n), "内科"] for n in range(MAX_ROWS + 1)]]))
    assert f"一次最多导入 {MAX_ROWS} 人" in caught.value.problems[-1]
    with pytest.raises(RosterFileError) as caught:
        parse_roster(xlsx([HEADER, *[[None, None, None, "x"] for _ in range(MAX_SHEET_ROWS + 5)]]))
    assert "行数太多" in caught.value.problems[0]
