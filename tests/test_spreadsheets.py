"""Spreadsheet cells never run as formulas (app.spreadsheets), in every file we write: the bank's
Excel export, roster templates and the reports' CSV and Excel exports."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from app.spreadsheets import FORMULA_STARTS, neutralise, write_sheet

EVIL = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", "=HYPERLINK(\"http://x\")"]


def _read(data: bytes) -> list[list[object]]:
    book = load_workbook(io.BytesIO(data))
    return [[cell.value for cell in row] for row in book.active.iter_rows()]


def test_neutralise_marks_formula_starts_and_passes_the_rest():
    for text in EVIL:
        assert text.startswith(FORMULA_STARTS) and neutralise(text) == "'" + text
    assert neutralise("小明") == "小明" and neutralise(-3) == -3 and neutralise(None) is None


def test_written_text_is_a_string_and_reads_back_as_typed():
    book = Workbook()
    write_sheet(book.active, ["姓名", "工号"], [[text, 7] for text in EVIL])
    assert all(cell.data_type == "s" for row in book.active.iter_rows() for cell in row if isinstance(cell.value, str))
    out = io.BytesIO()
    book.save(out)
    # XML keeps text as typed, except that a carriage return comes back as a line feed.
    assert [row[0] for row in _read(out.getvalue())[1:]] == [text.replace("\r", "\n") for text in EVIL]


def test_roster_template_keeps_a_name_that_looks_like_a_formula():
    from app.dashboard.roster_import import parse_roster, template_xlsx

    rows = parse_roster(template_xlsx([("=1+1", "007", "内科")]))
    assert [(r.name, r.staff_no) for r in rows] == [("=1+1", "007")]


def test_report_exports_neutralise_in_both_formats():
    from app.reports.exports import csv_bytes, xlsx_bytes

    assert "'=1+1" in csv_bytes(["昵称"], [["=1+1"]]).decode("utf-8-sig")
    assert _read(xlsx_bytes("汇总", ["昵称"], [["=1+1"]]))[1] == ["'=1+1"]


def test_no_feature_writes_cells_its_own_way():
    """The bank's writer and the roster template share the one writer; nobody imports a private one."""
    import inspect

    from app.bank import xlsx_format
    from app.dashboard import roster_import
    from app.reports import exports

    for module in (xlsx_format, roster_import, exports):
        source = inspect.getsource(module)
        assert "write_sheet" in source and "_write_sheet" not in source and 'data_type = "s"' not in source
