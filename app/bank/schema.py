"""Typed, immutable objects for bank items and quiz definitions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Option:
    key: str
    text: str


@dataclass(frozen=True)
class Question:
    """One answerable item. A step of a multi-step scenario is one Question with case fields set."""

    item_id: str
    pattern: str
    audiences: tuple[str, ...]
    kind: str
    scenario: str
    prompt: str
    options: tuple[Option, ...]
    answers: tuple[str, ...]
    explanation: str
    rule: str
    action: str
    source: str
    speech: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    case_id: str | None = None
    case_title: str | None = None
    step: int | None = None
    steps: int | None = None
    role: str | None = None  # the post a staff item is written for (app.bank.taxonomy.ROLES); None: anyone
    file: str = field(default="", compare=False)

    def body(self) -> dict[str, Any]:
        """Everything that makes up the item's content, as stored with each version."""
        return {
            "scenario": self.scenario,
            "prompt": self.prompt,
            "options": [{"key": o.key, "text": o.text} for o in self.options],
            "answers": list(self.answers),
            "explanation": self.explanation,
            "rule": self.rule,
            "action": self.action,
            "source": self.source,
            "speech": dict(self.speech),
            "case_title": self.case_title,
        }

    def content_hash(self) -> str:
        content = {
            "pattern": self.pattern,
            "audiences": sorted(self.audiences),
            "kind": self.kind,
            "case_id": self.case_id,
            "step": self.step,
            "steps": self.steps,
            **({"role": self.role} if self.role else {}),  # items without a role keep their old hash
            **self.body(),
        }
        raw = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class Drawable(Protocol):
    """What `accepts` reads of an item: a bank Question or a stored one (app.bank.models)."""

    @property
    def item_id(self) -> str: ...
    @property
    def case_id(self) -> str | None: ...
    @property
    def pattern(self) -> str: ...
    @property
    def role(self) -> str | None: ...
    @property
    def audiences(self) -> Sequence[str]: ...


def accepts(audience: str, patterns: Sequence[str], roles: Sequence[str], items: Sequence[str],
            question: Drawable) -> bool:
    """Whether a quiz draws an item: one rule for the bank file and the stored quiz.

    A quiz of chosen items draws exactly those. Any other quiz draws the items of its audience (and
    patterns); an item written for one post (role) only when the quiz lists that post, so a student's
    or an elder's quiz never asks its listener to act as an official, and a nurse's quiz never asks
    for a teller's procedure.
    """
    if items:
        return question.item_id in items or question.case_id in items
    return (
        audience in question.audiences
        and (not patterns or question.pattern in patterns)
        and (question.role is None or question.role in roles)
    )


@dataclass(frozen=True)
class QuizDef:
    id: str
    title: str
    audience: str
    count: int
    pass_mark: int
    patterns: tuple[str, ...] = ()
    scenarios: int = 0
    description: str = ""
    items: tuple[str, ...] = ()  # a quiz of chosen items (ids or scenario ids), e.g. a local case
    roles: tuple[str, ...] = ()  # the posts whose items it draws besides the items for everyone
    file: str = field(default="", compare=False)

    def accepts(self, question: Question) -> bool:
        return accepts(self.audience, self.patterns, self.roles, self.items, question)


@dataclass(frozen=True)
class Bank:
    questions: tuple[Question, ...]
    quizzes: tuple[QuizDef, ...]

    def pool(self, quiz: QuizDef) -> list[Question]:
        return [q for q in self.questions if quiz.accepts(q)]
