"""The 承诺书 sign rate, one rule for the pages, the API, the boards and the reports.

A group's signatures count up to its expected size (41 signatures in a class of 40 count 40), so a
rate is never above 1. Over several groups (an organisation's totals, an organisation on a campaign
board) each group is capped first and the capped counts are summed, as participation is. The rate
is shown beside a ranking, never part of it.
"""

from __future__ import annotations

from fractions import Fraction

from sqlalchemy import SQLColumnExpression, case
from sqlalchemy.sql.elements import ColumnElement


def signed_in_size(pledges: int, size: int) -> int:
    """The signatures that count towards the rate: at most the group's size."""
    return min(pledges, size) if size > 0 else 0


def signed_in_size_sql(pledges: SQLColumnExpression[int], size: SQLColumnExpression[int]) -> ColumnElement[int]:
    """signed_in_size in SQL, for a board that sums groups in the database."""
    return case((size <= 0, 0), (pledges > size, size), else_=pledges)


def sign_rate(pledges: int, size: int) -> Fraction:
    """Signed ÷ expected size, at most 1 (0 for a size of 0). For several groups, pass the sum of
    their signed_in_size and the sum of their sizes."""
    return Fraction(signed_in_size(pledges, size), size) if size > 0 else Fraction(0)


def sign_share(pledges: int, size: int) -> float:
    """sign_rate as a float (the API's pledge_rate), without building a Fraction on the hot path:
    int / int is correctly rounded, so it equals float(sign_rate(...))."""
    return signed_in_size(pledges, size) / size if size > 0 else 0.0
