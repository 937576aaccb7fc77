"""Drawing a quiz's questions: fresh items first, scenarios kept whole, options shuffled."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from app.bank.models import Question, Quiz

OPTION_LABELS = "ABCDEF"


@dataclass(frozen=True)
class Drawn:
    question: Question
    option_order: list[str]


def _units(pool: Sequence[Question]) -> tuple[list[list[Question]], list[list[Question]]]:
    singles = [[q] for q in pool if q.case_id is None]
    cases: dict[str, list[Question]] = {}
    for q in pool:
        if q.case_id is not None:
            cases.setdefault(q.case_id, []).append(q)
    whole = []
    for steps in cases.values():
        steps.sort(key=lambda q: q.step or 0)
        if len(steps) == (steps[0].steps or 0):
            whole.append(steps)
    return singles, whole


def _split(units: list[list[Question]], seen: set[str], rng: random.Random) -> tuple[list, list]:
    """Shuffle, then split into units never shown to this participant and units already seen; within
    each, items written for a post (a role quiz's own) come before the items for every staff member."""
    rng.shuffle(units)
    units.sort(key=lambda u: u[0].role is None)  # stable: the shuffle decides within each group
    fresh = [u for u in units if not any(q.item_id in seen for q in u)]
    stale = [u for u in units if any(q.item_id in seen for q in u)]
    return fresh, stale


def option_order(question: Question, rng: random.Random) -> list[str]:
    keys = [o["key"] for o in question.body["options"]]
    if question.kind == "judge":
        return keys  # 是 then 否, always: a fixed, familiar order for a yes/no question
    rng.shuffle(keys)
    return keys


def draw(quiz: Quiz, pool: Sequence[Question], seen: set[str], rng: random.Random) -> list[Drawn]:
    """Pick up to quiz.question_count questions, preferring items this participant has not seen.

    A quiz keeps its promise however often it is played: it asks exactly `quiz.scenarios` multi-step
    cases (fewer only if it has fewer) and fills the rest with one-question items, seen ones again
    once the fresh ones run out, never with more cases (elder-listen promises short items only). A quiz
    of chosen items (a local case, a teacher's upload) may be filled with any of them.
    """
    singles, cases = _units([q for q in pool if quiz.accepts(q)])
    fresh_cases, stale_cases = _split(cases, seen, rng)
    fresh_singles, stale_singles = _split(singles, seen, rng)
    remaining = quiz.question_count
    picked: list[list[Question]] = []
    for case in fresh_cases + stale_cases:
        if len(picked) >= quiz.scenarios:
            break
        if len(case) <= remaining:
            picked.append(case)
            remaining -= len(case)
    if quiz.item_ids:
        fill = fresh_singles + fresh_cases + stale_singles + stale_cases
    else:
        fill = fresh_singles + stale_singles
    for unit in fill:
        if remaining == 0:
            break
        if unit not in picked and len(unit) <= remaining:
            picked.append(unit)
            remaining -= len(unit)
    rng.shuffle(picked)
    return [Drawn(q, option_order(q, rng)) for unit in picked for q in unit]
