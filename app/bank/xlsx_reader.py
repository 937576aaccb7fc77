"""The .xlsx reader behind app.bank.safe_files' caps: the workbook, its relationships, the number
formats that are dates, the shared strings and each sheet's values, as openpyxl's read-only mode
with cached values reads them, plus what it cannot say: a formula cell that no spreadsheet program
calculated comes back as a Formula, not as an empty cell.

It replaced openpyxl for reading because openpyxl spent 5-18 µs on each element (styles and rich
text become objects; a sheet without <dimension> is parsed twice) and padded rows to the declared
size, so even a file within the caps took seconds. Here expat (C) streams each part once and a cell
costs about a microsecond. openpyxl still writes our files (templates and exports).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from xml.parsers import expat

from app.bank.safe_files import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_PARTS,
    MAX_SHEET_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_XML_ELEMENTS,
    FileRefused,
    Formula,
    Sheet,
    Workbook,
    damaged,
)

CHUNK = 64 * 1024
DIGITS = "0123456789"
# Number formats that show a date or a time: Excel's built-in ones (27-36 and 50-58 are the East
# Asian date formats), and a custom code with a date or time part outside quotes and brackets.
DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)})
FORMAT_NOISE_RE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
DATE_CODE_RE = re.compile(r"[dmyhsDMYHSeE年月日时分秒]")
REL_TYPES = {"officeDocument", "worksheet", "sharedStrings", "styles"}



def _too_big() -> FileRefused:
    return FileRefused(f"这个 Excel 文件解压后太大（超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB），"
                       "请只保留题目或名单所在的工作表、删去图片后再试。")



class _Budget:
    """What the caps allow, spent as the parts are read."""

    def __init__(self) -> None:
        self.unpacked = 0
        self.elements = 0
        self.cells = 0



def _too_much() -> FileRefused:
    return FileRefused("这个 Excel 文件的内容太多，请只保留题目或名单所在的工作表、删去多余的格式后再试。")


class _Part:
    """One XML part through expat: counts elements, refuses a DOCTYPE, hands elements to `start`,
    `end` and `text` (tag names without their namespace prefix). The hot parts (sheets, shared
    strings) take expat's calls in `open` and `close` themselves: a cell is then a few dozen
    bytecodes, not a chain of calls."""

    def __init__(self, budget: _Budget) -> None:
        self.budget = budget
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.StartElementHandler = self.open
        self.parser.EndElementHandler = self.close
        self.parser.CharacterDataHandler = self.text

    def _doctype(self, *_args: Any) -> None:
        raise FileRefused("这个 Excel 文件里有 DTD 声明（Excel 从不写入，常见于恶意构造的文件），没有读取。请用 Excel 另存为 .xlsx 再试。")

    def open(self, tag: str, attrs: dict[str, str]) -> None:
        budget = self.budget
        budget.elements += 1
        if budget.elements > MAX_XML_ELEMENTS:
            raise _too_much()
        self.start(tag.rpartition(":")[2], attrs)

    def close(self, tag: str) -> None:
        self.end(tag.rpartition(":")[2])

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


class _Relationships(_Part):
    def __init__(self, budget: _Budget) -> None:
        super().__init__(budget)
        self.targets: dict[str, tuple[str, str]] = {}  # Id -> (type's last word, target)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "Relationship":
            self.targets[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2], attrs.get("Target", ""))


class _WorkbookPart(_Part):
    def __init__(self, budget: _Budget) -> None:
        super().__init__(budget)
        self.sheets: list[tuple[str, str]] = []  # (title, relationship id)
        self.date1904 = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "sheet":
            rid = next((v for k, v in attrs.items() if ":" in k and k.rpartition(":")[2] == "id"), "")
            self.sheets.append((attrs.get("name", ""), rid))
        elif tag == "workbookPr":
            self.date1904 = attrs.get("date1904", "").lower() in {"1", "true"}


def _is_date_code(code: str) -> bool:
    return bool(DATE_CODE_RE.search(FORMAT_NOISE_RE.sub("", code)))


class _Styles(_Part):
    """Which cell styles (indexes into cellXfs) show numbers as dates."""

    def __init__(self, budget: _Budget) -> None:
        super().__init__(budget)
        self.codes: dict[int, str] = {}
        self.formats: list[int] = []
        self.in_xfs = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "numFmt":
            self.codes[_whole(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            self.in_xfs = True
        elif tag == "xf" and self.in_xfs:
            self.formats.append(_whole(attrs.get("numFmtId")))

    def end(self, tag: str) -> None:
        if tag == "cellXfs":
            self.in_xfs = False

    def date_styles(self) -> frozenset[int]:
        return frozenset(index for index, fmt in enumerate(self.formats)
                         if (fmt in self.codes and _is_date_code(self.codes[fmt])) or (fmt not in self.codes and fmt in DATE_FORMAT_IDS))


def _whole(raw: str | None) -> int:
    try:
        return int(raw or 0)
    except ValueError:
        raise damaged() from None


class _Text:
    """The plain text of a shared or inline string: its <t> runs, without phonetic guides (<rPh>)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.in_t = False
        self.in_phonetic = False

    def start(self, tag: str) -> None:
        if tag == "t" and not self.in_phonetic:
            self.in_t = True
        elif tag == "rPh":
            self.in_phonetic = True

    def end(self, tag: str) -> None:
        if tag == "t":
            self.in_t = False
        elif tag == "rPh":
            self.in_phonetic = False

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


class _SharedStrings(_Part):
    """The shared strings table: each <si>'s plain text (its <t> runs, without <rPh> guides). A hot
    part (one element or three per string), so it takes expat's calls itself."""

    def __init__(self, budget: _Budget) -> None:
        super().__init__(budget)
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.in_t = False
        self.phonetic = False

    def open(self, tag: str, attrs: dict[str, str]) -> None:
        budget = self.budget
        budget.elements += 1
        if budget.elements > MAX_XML_ELEMENTS:
            raise _too_much()
        tag = tag.rpartition(":")[2]
        if tag == "t":
            self.in_t = not self.phonetic
        elif tag == "rPh":
            self.phonetic = True

    def close(self, tag: str) -> None:
        tag = tag.rpartition(":")[2]
        if tag == "t":
            self.in_t = False
        elif tag == "si":
            self.strings.append("".join(self.parts))
            self.parts.clear()
        elif tag == "rPh":
            self.phonetic = False

    def text(self, data: str) -> None:
        if self.in_t:
            self.parts.append(data)


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


class _Worksheet(_Part):
    """A sheet's rows: values of the first MAX_COLUMNS columns, each row with a value kept."""

    def __init__(self, budget: _Budget, sheet: Sheet, strings: list[str], date_styles: frozenset[int], date1904: bool) -> None:
        super().__init__(budget)
        self.sheet, self.strings, self.date_styles, self.date1904 = sheet, strings, date_styles, date1904
        self.row = 0
        self.values: dict[int, Any] = {}
        self.column = 0
        self.columns: dict[str, int] = {}  # column letters seen -> number
        self.cell: dict[str, str] | None = None  # the open <c>'s attributes
        self.value: list[str] | None = None  # text of its <v>, while open
        self.raw: str | None = None
        self.formula = False
        self.inline: _Text | None = None

    def open(self, tag: str, attrs: dict[str, str]) -> None:
        budget = self.budget
        budget.elements += 1
        if budget.elements > MAX_XML_ELEMENTS:
            raise _too_much()
        tag = tag.rpartition(":")[2]
        if tag == "c":
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip(DIGITS)
                column = self.columns.get(letters)
                if column is None:
                    if not (1 <= len(letters) <= 3 and letters.isascii() and letters.isalpha()
                            and ref[len(letters):].isdigit()):
                        raise damaged()
                    column = self.columns[letters] = _column_number(letters)
                self.column = column
            else:
                self.column += 1
            self.cell, self.raw, self.formula, self.inline = attrs, None, False, None
        elif tag == "row":
            self.row = _whole(attrs["r"]) if "r" in attrs else self.row + 1
            self.values = {}
            self.column = 0
        elif self.cell is None:
            return
        elif tag == "v":
            self.value = []
        elif tag == "f":
            self.formula = True
        elif tag == "is":
            self.inline = _Text()
        elif self.inline is not None:
            self.inline.start(tag)

    def text(self, data: str) -> None:
        if self.value is not None:
            self.value.append(data)
        elif self.inline is not None and self.inline.in_t:
            self.inline.parts.append(data)

    def close(self, tag: str) -> None:
        tag = tag.rpartition(":")[2]
        if tag == "c":
            attrs = self.cell
            self.cell = None
            if attrs is not None and (self.raw or self.inline is not None or self.formula):
                self._cell_done(attrs)
        elif tag == "v":
            if self.value is not None:
                self.raw = "".join(self.value)
                self.value = None
        elif tag == "row":
            if self.values:
                width = max(self.values)
                self.sheet.rows.append((self.row, tuple(self.values.get(c) for c in range(1, width + 1))))
        elif self.inline is not None:
            self.inline.end(tag)

    def _cell_done(self, attrs: dict[str, str]) -> None:
        kind = attrs.get("t", "n")
        if kind == "inlineStr":
            value: Any = self.inline.take() if self.inline is not None else None
        else:
            value = self._typed(kind, self.raw or None, attrs.get("s"))
        if value is None and self.formula:
            value = Formula(self.row, self.column)
        if value is None:
            return
        self.budget.cells += 1
        if self.row > MAX_SHEET_ROWS:
            raise FileRefused(f"工作表“{self.sheet.title}”的行数太多：第 {self.row} 行还有内容，一张工作表最多 {MAX_SHEET_ROWS} 行。"
                              "请删去多余的行（或把内容分成几个文件）后再试。")
        if self.budget.cells > MAX_CELLS:
            raise FileRefused(f"这个 Excel 文件填写的单元格太多（超过 {MAX_CELLS} 个），请分成几个文件。")
        if self.column <= MAX_COLUMNS:
            self.values[self.column] = value

    def _typed(self, kind: str, raw: str | None, style: str | None) -> Any:
        if raw is None:
            return None
        if kind == "s":
            index = _whole(raw)
            if not 0 <= index < len(self.strings):
                raise damaged()
            return self.strings[index]
        if kind == "b":
            return raw.strip() in {"1", "true"}
        if kind in {"str", "e"}:
            return raw
        if kind == "d":
            try:
                return datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        number = _number(raw)
        if style and _whole(style) in self.date_styles:
            return _excel_date(number, self.date1904)
        return number


def _number(raw: str) -> int | float:
    text = raw.strip()
    try:
        return float(text) if any(ch in text for ch in ".eE") else int(text)
    except ValueError:
        raise damaged() from None


def _excel_date(number: int | float, date1904: bool) -> datetime | int | float:
    epoch = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    if not date1904 and 0 < number < 60:
        number += 1  # Excel counts a 29 February 1900 that never was
    try:
        return epoch + timedelta(days=number)
    except (OverflowError, ValueError):
        return number


def _target(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


class _Package:
    """The zip: its parts by name, each unpacked and parsed at most once, within the budget."""

    def __init__(self, data: bytes) -> None:
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            entries = [e for e in self.archive.infolist() if not e.is_dir()]
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            raise damaged() from None
        if len(entries) > MAX_PARTS:
            raise FileRefused(f"这个 Excel 文件里的部件太多（{len(entries)} 个），请只保留题目或名单所在的工作表再试。")
        if sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
            raise _too_big()
        self.entries = {e.filename: e for e in entries}
        self.budget = _Budget()

    def parse(self, name: str, make: Callable[[_Budget], _Part], required: bool = True) -> Any:
        entry = self.entries.get(name)
        if entry is None:
            if required:
                raise damaged()
            return make(self.budget)
        if entry.flag_bits & 0x1:
            raise FileRefused("这个 Excel 文件设置了密码，请在 Excel 里取消密码后另存为 .xlsx 再试。")
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise damaged()
        part = make(self.budget)
        size = 0
        try:
            with self.archive.open(entry) as stream:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    self.budget.unpacked += len(chunk)
                    if size > entry.file_size or self.budget.unpacked > MAX_UNPACKED_BYTES:
                        raise _too_big()
                    part.parser.Parse(chunk, False)
            part.parser.Parse(b"", True)
        except expat.ExpatError:
            raise damaged() from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
            raise damaged() from None
        return part

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        rels: _Relationships = self.parse(_rels_name(part), _Relationships, required=False)
        return {rid: (kind, _target(part, target)) for rid, (kind, target) in rels.targets.items() if kind in REL_TYPES}


def read_xlsx(data: bytes) -> Workbook:
    """Every sheet's values within the caps. Raises FileRefused (too big, damaged or hostile)."""
    package = _Package(data)
    with package.archive:
        workbook_name = next((target for kind, target in package.relationships("").values() if kind == "officeDocument"),
                             "xl/workbook.xml")
        workbook: _WorkbookPart = package.parse(workbook_name, _WorkbookPart)
        links = package.relationships(workbook_name)
        by_kind = {kind: target for kind, target in links.values()}
        styles: _Styles = package.parse(by_kind.get("styles", ""), _Styles, required=False)
        strings: _SharedStrings = package.parse(by_kind.get("sharedStrings", ""), _SharedStrings, required=False)
        date_styles = styles.date_styles()
        sheets = []
        for title, rid in workbook.sheets:
            link = links.get(rid)
            if link is None or link[0] != "worksheet":
                continue  # a chart sheet or a dialog sheet: no cells to read
            sheet = Sheet(title)

            def worksheet(budget: _Budget, sheet: Sheet = sheet) -> _Worksheet:
                return _Worksheet(budget, sheet, strings.strings, date_styles, workbook.date1904)

            package.parse(link[1], worksheet)
            sheets.append(sheet)
    return Workbook(sheets)
