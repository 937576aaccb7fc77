"""Staff rosters from Excel: a header row with 姓名, 工号 and 科室 (any order, extra columns ignored),
then one person per row. Parsing is a pure function over openpyxl: either every row is valid and
the rows come back, or a RosterFileError lists every problem by row and nothing is written.

Rosters are for staff training only: school groups (minors) are never listed by name.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from app.errors import DomainError
from app.spreadsheets import write_sheet

COLUMNS = {"name": "姓名", "staff_no": "工号", "department": "科室"}
LIMITS = {"name": 40, "staff_no": 32, "department": 60}
MAX_ROWS = 5000
MAX_SHEET_ROWS = MAX_ROWS + 1000  # blank lines allowed between blocks, within reason
MAX_COLUMNS = 50  # the header is looked for in the first 50 columns
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
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _staff_no(value: Any) -> str:
    """工号 as stored and matched (app.groups.roster.normalise): no spaces anywhere."""
    return "".join(_text(value).split())


def _bad_chars(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("C") for ch in text) or "<" in text or ">" in text


def _open(source: IO[bytes] | bytes) -> Any:
    from openpyxl import load_workbook  # here, not at import: most workers never read a roster
    from openpyxl.utils.exceptions import InvalidFileException

    data = source if isinstance(source, bytes) else source.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles some spreadsheet programs write
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise RosterFileError(
            [f"无法读取这个文件（{exc.__class__.__name__}）：请上传 Excel 的 .xlsx 文件，可以先下载模板再填写。"]
        ) from None


def _header(cells: tuple[Any, ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    wanted = {header: key for key, header in COLUMNS.items()}
    for index, cell in enumerate(cells):
        key = wanted.get("".join(_text(cell).split()))
        if key and key not in found:
            found[key] = index
    return found


def _read_rows(book: Any) -> list[tuple[Any, ...]]:
    """The first sheet's rows, streamed and capped: a small file that unpacks into millions of
    rows or columns is refused instead of filling memory."""
    rows: list[tuple[Any, ...]] = []
    try:
        if not book.worksheets:
            return rows
        for cells in book.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True):
            rows.append(cells)
            if len(rows) > MAX_SHEET_ROWS:
                raise RosterFileError([f"文件的行数太多（超过 {MAX_SHEET_ROWS} 行）：一次最多导入 {MAX_ROWS} 人，请分成几个科室分别导入。"])
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
        raise RosterFileError([f"无法读取这个文件的内容（{exc.__class__.__name__}），请用 Excel 另存为 .xlsx 再试。"]) from None
    finally:
        book.close()
    return rows


def parse_roster(source: IO[bytes] | bytes) -> list[RosterRow]:
    """Every row of the first sheet, or RosterFileError naming each bad row (nothing partial)."""
    rows = _read_rows(_open(source))
    if not rows:
        raise RosterFileError(["文件是空的：第 1 行应是表头（姓名、工号、科室），从第 2 行起每行一个人。"])
    columns = _header(rows[0])
    missing = [header for key, header in COLUMNS.items() if key not in columns]
    if missing:
        raise RosterFileError(
            [f"第 1 行（表头）缺少这些列：{'、'.join(missing)}。表头应包含 姓名、工号、科室 三列，顺序不限。"]
        )
    problems: list[str] = []
    found: list[RosterRow] = []
    first_row_of: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
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
