"""Caps on the files people hand the app, one home for the quiz reader (app.bank.xlsx_format: the
`bank` commands and the dashboard's quiz upload), the GIFT and YAML readers, and the roster reader
(app.dashboard.roster_import).

A hostile file is refused with FileRefused (one plain Chinese sentence) after work bounded by the
caps, never by what the file declares:

- a file is read only up to MAX_FILE_BYTES (YAML: MAX_YAML_BYTES, nested at most MAX_YAML_DEPTH deep,
  checked on libyaml's event stream before anything is built: its loader crashes on deep nesting),
  and a bank file holds at most MAX_FILE_QUESTIONS questions;
- an .xlsx is a zip: at most MAX_PARTS parts, stored or deflated only, not encrypted; the parts we
  read unpack to at most MAX_UNPACKED_BYTES in all, counted as each part declares and as it really
  unpacks (streamed in chunks: a part that lies about its size is stopped);
- each XML part goes once through expat (C, streaming): it must be well-formed and have no DOCTYPE,
  so no entity is ever declared, let alone expanded (billion laughs); MAX_XML_ELEMENTS elements in all;
- a sheet's filled cells may reach row MAX_SHEET_ROWS, MAX_CELLS of them in the workbook, whatever
  its <dimension> declares (A1:XFD1048576 with one far cell is refused at that cell); cells right of
  MAX_COLUMNS are not kept.

The workbook reader that keeps these caps is app.bank.xlsx_reader; what it returns (Workbook, Sheet,
Formula) and the helpers both spreadsheet readers share are here.

The bank is the lowest feature layer, so every reader may import this module; it imports no other
feature package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.errors import DomainError

MAX_FILE_BYTES = 5 * 1024 * 1024  # one bank or roster file
MAX_YAML_BYTES = 1024 * 1024  # one YAML bank file (each shipped one is under 60 KB)
MAX_YAML_DEPTH = 32  # lists and mappings inside each other in YAML (the bank needs 5)
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # the parts of an .xlsx that are read (a 1 000-row bank is about 3 MB)
MAX_PARTS = 300  # files inside one .xlsx (Excel writes about a dozen)
MAX_XML_ELEMENTS = 400_000  # elements read in one workbook (a 1 000-row bank has about 110 000)
MAX_SHEET_ROWS = 6000  # the last row a sheet may fill (blank rows between blocks count)
MAX_COLUMNS = 50  # columns read from the left; anything further right is ignored
MAX_CELLS = 100_000  # filled cells in the whole workbook
MAX_FILE_QUESTIONS = 2000  # questions in one bank file (a quiz asks at most 50 of them)
HEADER_ROWS = 10  # a header row is looked for this far down: a title row (often merged) may stand above it


class FileRefused(DomainError):
    """The file cannot be read: too big, damaged or hostile. `message` says why in plain Chinese;
    nothing has been written."""

    status = 422
    code = "file_refused"
    message = "无法读取这个文件，请用 Excel 另存为 .xlsx 再试。"


def damaged() -> FileRefused:
    return FileRefused("无法读取这个文件：它已损坏，或不是真正的 Excel 工作簿（.xlsx）。请用 Excel 或 WPS 打开后“另存为” .xlsx 再试。")


def too_many_questions(count: int | None = None) -> FileRefused:
    """Refused for its number of questions (None: more than the cap, reading stopped there)."""
    found = f"有 {count} 道" if count is not None else "超过了"
    return FileRefused(f"一个文件最多 {MAX_FILE_QUESTIONS} 道题，这个文件{found}：请分成几个文件。")


def check_size(path: Path, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse a file larger than `limit` before a reader opens it."""
    try:
        size = path.stat().st_size
    except OSError:
        raise FileRefused("无法打开这个文件，请检查文件名和权限。") from None
    if size > limit:
        raise FileRefused(f"文件太大（{size / 1024 / 1024:.1f} MB），最多 {limit // 1024 // 1024} MB：请把内容分成几个文件。")


def read_capped(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; refused when it is larger than `limit` (never read further than that)."""
    check_size(path, limit)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError:
        raise FileRefused("无法打开这个文件，请检查文件名和权限。") from None
    if len(data) > limit:
        raise FileRefused(f"文件太大（超过 {limit // 1024 // 1024} MB）：请把内容分成几个文件。")
    return data


# ---------------------------------------------------------------- what a workbook reads as


@dataclass(frozen=True)
class Formula:
    """A formula cell with no cached value (no spreadsheet program has calculated it)."""

    row: int
    column: int

    def __str__(self) -> str:
        return ""


Row = tuple[int, tuple[Any, ...]]  # (row number as Excel shows it, values of columns 1..n)


@dataclass
class Sheet:
    title: str
    rows: list[Row] = field(default_factory=list)  # rows with at least one value, in order


@dataclass
class Workbook:
    sheets: list[Sheet]

    @property
    def sheetnames(self) -> list[str]:
        return [s.title for s in self.sheets]

    def sheet(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None)


def cell_text(value: Any) -> str:
    """A cell as text: nothing for empty (or an uncalculated formula), whole numbers without .0,
    a date without a midnight time."""
    if value is None or isinstance(value, Formula):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime) and value == datetime.combine(value.date(), datetime.min.time()):
        return value.date().isoformat()
    return str(value)


def find_header(rows: list[Row], names: dict[str, str], key: Callable[[Any], str]) -> tuple[int, dict[str, int]]:
    """The row among the first HEADER_ROWS rows with a value that names the most of `names` (header
    text as `key` makes it -> column key), and each named column's index in it. A title row above
    the headers is passed over; with no header at all, the first row and no columns."""
    best: tuple[int, dict[str, int]] = (rows[0][0] if rows else 1, {})
    for number, values in rows[:HEADER_ROWS]:
        index: dict[str, int] = {}
        for i, value in enumerate(values):
            column = names.get(key(value))
            if column is not None:
                index.setdefault(column, i)
        if len(index) > len(best[1]):
            best = (number, index)
    return best
