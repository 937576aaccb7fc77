"""Staff rosters from Excel: a header row with 姓名, 工号 and 科室 (any order, extra columns ignored,
a title row above it allowed), then one person per row. Parsing is a pure function: either every row
is valid and the rows come back, or a RosterFileError lists every problem by row and nothing is
written. The file is read by app.bank.safe_files, within the caps the quiz reader has too (size,
unpacked size, rows, columns, cells; damaged XML and DTDs refused in plain words).

Rosters are for staff training only: school groups (minors) are never listed by name.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from typing import IO, Any

from app.bank.safe_files import (
    MAX_FILE_BYTES,
    FileRefused,
    Formula,
    find_header,
)
from app.bank.safe_files import MAX_SHEET_ROWS as MAX_SHEET_ROWS  # the cap, for callers of this module
from app.bank.xlsx_reader import read_xlsx
from app.errors import DomainError
from app.spreadsheets import write_sheet

COLUMNS = {"name": "姓名", "staff_no": "工号", "department": "科室"}
LIMITS = {"name": 40, "staff_no": 32, "department": 60}
MAX_ROWS = 5000  # people in one import; a sheet may use MAX_SHEET_ROWS rows (blank lines between blocks)
MAX_PROBLEMS = 20  # enough to fix a file; more would bury the first ones
SHEET_TITLE = "名单"


class RosterFileError(DomainError):
    """The file cannot be imported; `problems` says why, row by row, in Chinese."""

    status = 422
    code = "invalid_roster"
    message = "名单文件有问题，没有导入任何内容。"

    def __init__(self, problems: list[str]):
        self.problems = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            self.problems.append(f"……另有 {len(problems) - MAX_PROBLEMS} 处问题，请先改正上面这些。")
        super().__init__()  # .message stays the one-line summary; the page lists the problems under it
        self.args = (self.message + " " + "；".join(self.problems),)


@dataclass(frozen=True)
class RosterRow:
    row: int  # the spreadsheet row number, as Excel shows it
    name: str
    staff_no: str
    department: str


def _text(value: Any) -> str:
    """A cell as clean text: numbers without a trailing .0, Unicode normalised, outer spaces gone."""
    if value is None or isinstance(value, Formula):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _header_key(value: Any) -> str:
    return "".join(_text(value).split())


def _staff_no(value: Any) -> str:
    """工号 as stored and matched (app.groups.roster.normalise): no spaces anywhere."""
    return "".join(_text(value).split())


def _bad_chars(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("C") for ch in text) or "<" in text or ">" in text


def _read_rows(source: IO[bytes] | bytes) -> list[tuple[int, tuple[Any, ...]]]:
    """The first sheet's rows with a value (row number, values), read within the shared caps: a
    small file that unpacks into millions of rows or columns is refused instead of filling memory."""
    data = source if isinstance(source, bytes) else source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise RosterFileError([f"文件太大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB）：请分成几个科室分别导入。"])
    try:
        book = read_xlsx(data)
    except FileRefused as exc:
        raise RosterFileError([exc.message]) from None
    return book.sheets[0].rows if book.sheets else []


def parse_roster(source: IO[bytes] | bytes) -> list[RosterRow]:
    """Every row of the first sheet, or RosterFileError naming each bad row (nothing partial)."""
    rows = _read_rows(source)
    if not rows:
        raise RosterFileError(["文件是空的：第 1 行应是表头（姓名、工号、科室），从第 2 行起每行一个人。"])
    header_at, columns = find_header(rows, {header: key for key, header in COLUMNS.items()}, _header_key)
    missing = [header for key, header in COLUMNS.items() if key not in columns]
    if missing:
        raise RosterFileError(
            [f"第 {header_at} 行（表头）缺少这些列：{'、'.join(missing)}。表头应包含 姓名、工号、科室 三列，顺序不限。"]
        )
    problems: list[str] = []
    found: list[RosterRow] = []
    first_row_of: dict[str, int] = {}
    for number, cells in rows:
        if number <= header_at:
            continue  # the header, and a title above it
        if any(isinstance(cells[i], Formula) for i in columns.values() if i < len(cells)):
            problems.append(f"第 {number} 行：有公式但没有计算结果，请在 Excel 或 WPS 里打开文件保存一次，或把公式换成文字。")
        values = {key: _text(cells[i]) if i < len(cells) else "" for key, i in columns.items()}
        if not any(values.values()):
            continue  # blank lines between blocks of people are fine
        staff_no = _staff_no(values["staff_no"])
        where = f"第 {number} 行"
        if not values["name"]:
            problems.append(f"{where}：姓名是空的。")
        if not staff_no:
            problems.append(f"{where}：工号是空的。")
        for key, header in COLUMNS.items():
            text = staff_no if key == "staff_no" else values[key]
            if len(text) > LIMITS[key]:
                problems.append(f"{where}：{header}太长（最多 {LIMITS[key]} 个字）。")
            elif _bad_chars(text):
                problems.append(f"{where}：{header}含有尖括号或看不见的控制字符，请删去。")
        if staff_no:
            if staff_no in first_row_of:
                problems.append(f"{where}：工号 {staff_no} 与第 {first_row_of[staff_no]} 行重复。")
            else:
                first_row_of[staff_no] = number
        found.append(RosterRow(number, values["name"], staff_no, values["department"]))
    if not found and not problems:
        problems.append("文件里没有人员：从第 2 行起每行填写一个人的姓名、工号和科室。")
    if len(found) > MAX_ROWS:
        problems.append(f"一次最多导入 {MAX_ROWS} 人，这个文件有 {len(found)} 人，请分成几个科室分别导入。")
    if problems:
        raise RosterFileError(problems)
    return found


def template_xlsx(rows: list[tuple[str, str, str]] | None = None) -> bytes:
    """The roster template: the header row, optionally the current roster under it. Every text cell
    is written as a string (app.spreadsheets.write_sheet), so a name like =1+1 never runs as a
    formula when the file is opened again, and reads back unchanged."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook's one sheet
    sheet.title = SHEET_TITLE
    write_sheet(sheet, list(COLUMNS.values()), rows or [])
    sheet.column_dimensions["B"].number_format = "@"  # 工号 typed later stays text (leading zeros survive)
    for cell in sheet["B"]:
        cell.number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
