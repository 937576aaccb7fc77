"""Small, pure helpers shared by the report pages and the exports: percentages and local times."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from app.timezones import local_text


def ratio(part: int, whole: int, cap: bool = False) -> Fraction:
    """part ÷ whole (0 when whole is 0); with cap=True never above 1 (41 people in a class of 40)."""
    if whole <= 0:
        return Fraction(0)
    value = Fraction(part, whole)
    return min(value, Fraction(1)) if cap else value


def percent(value: Fraction) -> int:
    """A share as a whole percentage, rounded half up (2/3 -> 67)."""
    return int(value * 100 + Fraction(1, 2))


def local_time(when: datetime | None) -> str:
    """'2025-03-01 14:05' in the local zone (LOCAL_TIMEZONE), or '' for no time."""
    return local_text(when, "%Y-%m-%d %H:%M")


def local_date(when: datetime | None) -> str:
    return local_text(when, "%Y-%m-%d")
