"""Ranking rules, as pure functions (the boards fetch rows; these order and number them).

Class board: by score (as a share of the quiz, so two quizzes of different length compare fairly),
highest first. Equal scores share a rank (1, 1, 3); among them the earlier finisher is listed first.
Time never decides a rank: nobody should rush a quiz about not being rushed.

Group and organisation boards: by participation rate (counted participants ÷ expected size, at most
1), then average score, then earlier completion (the moment the group reached its current standing).
Rows equal on all three share a rank. So a 10-person ward that all took part ranks above a 200-person
department where half did, whatever their sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from math import lcm
from typing import TypeVar

from app.groups.rates import sign_rate, signed_in_size

T = TypeVar("T")
FAR_FUTURE = datetime.max.replace(year=9999)


def competition_ranks(rows: Sequence[T], tie_key: Callable[[T], Hashable]) -> list[tuple[int, T]]:
    """Number already-ordered rows 1, 2, 2, 4 …: rows with equal tie keys share the rank of the first."""
    ranked: list[tuple[int, T]] = []
    previous: object = object()
    rank = 0
    for position, row in enumerate(rows, start=1):
        key = tie_key(row)
        if key != previous:
            rank, previous = position, key
        ranked.append((rank, row))
    return ranked


@dataclass(frozen=True)
class PersonRow:
    entry_id: int
    nickname: str
    score: int
    total: int
    permille: int
    seconds: int
    finished_at: datetime


def rank_people(rows: Sequence[PersonRow]) -> list[tuple[int, PersonRow]]:
    ordered = sorted(rows, key=lambda r: (-r.permille, r.finished_at, r.entry_id))
    return competition_ranks(ordered, lambda r: r.permille)


@dataclass(frozen=True)
class UnitRow:
    """A group (or a whole organisation, on a campaign board) with its counted totals."""

    unit_id: int
    name: str
    size: int
    participants: int
    permille_sum: int
    completed_at: datetime | None
    capped: int | None = None  # on a campaign board: participants capped group by group, then summed
    pledges: int = 0  # people who signed the 承诺书 (shown beside the ranking, never part of it)

    @property
    def counted(self) -> int:
        """Participants that count towards the rate: never more than the expected size."""
        counted = self.capped if self.capped is not None else self.participants
        return min(counted, self.size) if self.size > 0 else 0

    @property
    def signed(self) -> int:
        """Signatures that count towards the sign rate (app.groups.rates): at most the size."""
        return signed_in_size(self.pledges, self.size)

    @property
    def sign_rate(self) -> Fraction:
        return sign_rate(self.pledges, self.size)

    @property
    def rate(self) -> Fraction:
        return Fraction(self.counted, self.size) if self.size > 0 else Fraction(0)

    @property
    def average(self) -> Fraction:
        """Average score as a fraction of the quiz (0 to 1)."""
        return Fraction(self.permille_sum, self.participants * 1000) if self.participants else Fraction(0)

    def tie_key(self) -> tuple[Fraction, Fraction, datetime]:
        return (self.rate, self.average, self.completed_at or FAR_FUTURE)


def rank_units(rows: Sequence[UnitRow]) -> list[tuple[int, UnitRow]]:
    """Order by rate, average, completion. The two ratios are compared exactly, as integers over a
    common denominator (rate: the sizes' least common multiple; average: the participant counts'),
    which orders and ties exactly as the fractions do at a fraction of the cost of Fraction."""
    sizes = lcm(*{row.size for row in rows if row.size > 0})
    heads = lcm(*{row.participants for row in rows if row.participants > 0})
    keyed = [(_unit_key(row, sizes, heads), row) for row in rows]
    keyed.sort(key=lambda pair: (pair[0], pair[1].name, pair[1].unit_id))
    ranked = competition_ranks(keyed, lambda pair: pair[0])
    return [(rank, row) for rank, (_key, row) in ranked]


def _unit_key(row: UnitRow, sizes: int, heads: int) -> tuple[int, int, datetime]:
    rate = row.counted * (sizes // row.size) if row.size > 0 else 0
    average = row.permille_sum * (heads // row.participants) if row.participants else 0
    return (-rate, -average, _naive(row.completed_at or FAR_FUTURE))


def _naive(when: datetime) -> datetime:
    return when if when.tzinfo is None else when.astimezone(UTC).replace(tzinfo=None)
