"""Typed, immutable objects for bank items and quiz definitions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


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
            **self.body(),
        }
        raw = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


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
    file: str = field(default="", compare=False)

    def accepts(self, question: Question) -> bool:
        if self.items:
            return question.item_id in self.items or question.case_id in self.items
        return self.audience in question.audiences and (
            not self.patterns or question.pattern in self.patterns
        )


@dataclass(frozen=True)
class Bank:
    questions: tuple[Question, ...]
    quizzes: tuple[QuizDef, ...]

    def pool(self, quiz: QuizDef) -> list[Question]:
        return [q for q in self.questions if quiz.accepts(q)]
