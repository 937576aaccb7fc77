"""Cells that are never run as formulas: the one rule for every file we write for Excel or WPS
(the bank's Excel export and template, roster templates, the reports' CSV and Excel exports).

- In an .xlsx every text cell is stored as a string (`write_sheet`), so text that starts with "="
  is shown as typed, never computed. The text itself is kept, so a file read back gives the same
  names and questions.
- A CSV has no cell types, so text that a spreadsheet would run (starting with = + - @, a tab, a
  carriage return or a NUL: OWASP "CSV injection") gets a leading apostrophe (`neutralise`).
  Report exports, which people open and paste elsewhere, apply it to their .xlsx cells as well.

openpyxl is imported where a sheet is written: web workers that never export do not carry it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
HEADER_FILL = "DDEBF7"

Cell = str | int | None


def neutralise(value: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_sheet(sheet: Any, headers: Sequence[Any], rows: Iterable[Sequence[Any]], width: int = 14) -> None:
    """A bold header row, then the rows; every text cell typed as a string (never a formula),
    wrapped and top-aligned; the header frozen."""
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    for row in rows:
        sheet.append(list(row))
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = width
    sheet.freeze_panes = "A2"
