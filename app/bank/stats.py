"""Counts for `bank stats --json`, and the answer tells (app/bank/tells.py)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from app.bank.schema import Bank
from app.bank.taxonomy import AUDIENCES, KINDS, ROLES
from app.bank.tells import tells_stats


def bank_stats(bank: Bank) -> dict[str, Any]:
    patterns = Counter(q.pattern for q in bank.questions)
    audiences = Counter(a for q in bank.questions for a in q.audiences)
    kinds = Counter(q.kind for q in bank.questions)
    roles = Counter(q.role for q in bank.questions if q.role)
    return {
        "questions": len(bank.questions),
        "scenarios": len({q.case_id for q in bank.questions if q.case_id}),
        "patterns": dict(sorted(patterns.items(), key=lambda kv: (-kv[1], kv[0]))),
        "audiences": {a: audiences.get(a, 0) for a in AUDIENCES},
        "kinds": {k: kinds.get(k, 0) for k in KINDS},
        "roles": {r: roles.get(r, 0) for r in ROLES},  # staff items written for one post
        "quizzes": len(bank.quizzes),
        "tells": tells_stats(bank),
    }
