"""Question versions are immutable once stored, so each worker keeps the ones it has served.

A question page then needs one small query for the attempt's slot instead of loading and decoding
the version's JSON body every time. The cache belongs to the app (one database), so tests and tools
that open several databases never mix them up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from app.bank.models import Question
from app.extensions import db


@dataclass(frozen=True)
class Version:
    id: int
    item_id: str
    kind: str
    case_id: str | None
    step: int | None
    steps: int | None
    body: dict[str, Any]

    @property
    def answers(self) -> list[str]:
        return list(self.body["answers"])

    def option_text(self, key: str) -> str:
        text: str = next(o["text"] for o in self.body["options"] if o["key"] == key)
        return text


MAX_CACHED = 20_000  # far more than a bank's versions; a bound against a runaway process
EXTENSION = "bank.versions"


def init_app(app: Flask) -> None:
    """Each app keeps the versions it has served (app.extensions). Never invalidated: a stored
    version never changes (an edit makes a new one), and an app serves one database."""
    app.extensions[EXTENSION] = {}


def version(question_id: int) -> Version:
    cache: dict[int, Version] = current_app.extensions[EXTENSION]
    found = cache.get(question_id)
    if found is not None:
        return found
    row = db.session.get(Question, question_id)
    if row is None:
        raise LookupError(f"question version {question_id} does not exist")
    found = Version(row.id, row.item_id, row.kind, row.case_id, row.step, row.steps, row.body)
    if len(cache) < MAX_CACHED:
        cache[question_id] = found
    return found
