"""Domain errors of the bank: every problem names the file, the item and the field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    item_id: str | None
    field: str | None
    message: str
    row: int | None = None  # spreadsheet row, where the bank came from Excel

    def __str__(self) -> str:
        parts = [f"文件 {self.file}"]
        if self.row:
            parts.append(f"第 {self.row} 行")
        if self.item_id:
            parts.append(f"题目 {self.item_id}")
        if self.field:
            parts.append(f"列“{self.field}”" if self.row else f"字段 {self.field}")
        return "，".join(parts) + f"：{self.message}"


class BankError(Exception):
    """Raised when the bank cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
