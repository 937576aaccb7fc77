"""Bar charts drawn by the server as plain HTML: each bar is a row with its label and its number as
text, and a decorative fill whose width is one of the CSS classes `w-0` … `w-100` (steps of 2, so
no inline style is needed under the CSP). Colour is never the only signal: the number is always
written out, and weak bars also carry the word 薄弱."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from app.reports.formatting import percent, ratio

# Score buckets of counted results, by permille (a share of the quiz, 0–1000).
BUCKETS: tuple[tuple[str, int, int], ...] = (
    ("0–59%", 0, 599),
    ("60–69%", 600, 699),
    ("70–79%", 700, 799),
    ("80–89%", 800, 899),
    ("90–100%", 900, 1000),
)
WEAK_BELOW = Fraction(60, 100)  # a pattern answered right less than 60% of the time is weak


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the number(s) written beside the bar
    width: int  # 0..100, even, for the CSS class w-<width>
    weak: bool = False


def width_class(share: Fraction) -> int:
    """The share as an even percentage 0..100; a non-zero share shows at least a sliver (2)."""
    if share <= 0:
        return 0
    return max(2, min(100, 2 * int(share * 50 + Fraction(1, 2))))


def bucket_of(permille_tenth: int) -> int:
    """Index into BUCKETS for a `permille // 100` value (0..10)."""
    return max(0, min(4, permille_tenth - 5))


def distribution(counts: Sequence[int]) -> list[Bar]:
    """Bars for the five score buckets; widths are each bucket's share of the counted people."""
    total = sum(counts)
    return [
        Bar(label, f"{n} 人（{percent(ratio(n, total))}%）" if total else "0 人", width_class(ratio(n, total)))
        for (label, _, _), n in zip(BUCKETS, counts, strict=True)
    ]


def accuracy_bar(label: str, correct: int, answered: int) -> Bar:
    share = ratio(correct, answered)
    return Bar(label, f"{percent(share)}%（{answered} 次作答）", width_class(share), weak=share < WEAK_BELOW)
