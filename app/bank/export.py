"""Write a bank back out. YAML output reads back to the same items (bank check accepts it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from app.bank.schema import Bank, Question, QuizDef
from app.bank.taxonomy import JUDGE_OPTIONS, PATTERNS


def _fields(q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": q.kind}
    if q.scenario:
        out["scenario"] = q.scenario
    out["prompt"] = q.prompt
    if q.kind == "judge":
        out["answer"] = JUDGE_OPTIONS[q.answers[0]]
    else:
        out["options"] = {o.key: o.text for o in q.options}
        out["answer"] = list(q.answers) if q.kind == "multiple" else q.answers[0]
    out.update(explanation=q.explanation, rule=q.rule, action=q.action)
    if q.speech:
        out["speech"] = dict(q.speech)
    return out


def _role(q: Question) -> dict[str, Any]:
    return {"role": q.role} if q.role else {}


def _items(questions: list[Question]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cases: dict[str, dict[str, Any]] = {}
    for q in questions:
        if q.case_id is None:
            items.append({"id": q.item_id, "pattern": q.pattern, "audiences": list(q.audiences), **_role(q), **_fields(q),
                          "source": q.source})
            continue
        case = cases.get(q.case_id)
        fields = _fields(q)
        if case is None:
            # The first step's scenario holds the case's opening scene; keep it as the case intro.
            intro = fields.pop("scenario", "")
            case = {"id": q.case_id, "pattern": q.pattern, "audiences": list(q.audiences), **_role(q), "kind": "scenario",
                    "title": q.case_title, "source": q.source, "scenario": intro, "steps": []}
            cases[q.case_id] = case
            items.append(case)
        if q.source != case["source"]:
            fields["source"] = q.source
        case["steps"].append(fields)
    return items


def _quiz(quiz: QuizDef) -> dict[str, Any]:
    out: dict[str, Any] = {"id": quiz.id, "title": quiz.title, "audience": quiz.audience, "count": quiz.count,
                           "pass_mark": quiz.pass_mark}
    if quiz.patterns:
        out["patterns"] = list(quiz.patterns)
    if quiz.scenarios:
        out["scenarios"] = quiz.scenarios
    if quiz.description:
        out["description"] = quiz.description
    if quiz.items:
        out["items"] = list(quiz.items)
    if quiz.roles:
        out["roles"] = list(quiz.roles)
    return out


def export_yaml(bank: Bank, out: Path) -> list[Path]:
    """One file per pattern family plus quizzes.yaml, in folder `out`."""
    out.mkdir(parents=True, exist_ok=True)
    families: dict[str, list[Question]] = {}
    for q in bank.questions:
        families.setdefault(PATTERNS[q.pattern].family, []).append(q)
    written = []
    for n, (family, questions) in enumerate(sorted(families.items()), start=1):
        path = out / f"family-{n:02d}.yaml"
        path.write_text(_dump({"family": family, "items": _items(questions)}), encoding="utf-8")
        written.append(path)
    quizzes = out / "quizzes.yaml"
    quizzes.write_text(_dump({"quizzes": [_quiz(q) for q in bank.quizzes]}), encoding="utf-8")
    return [*written, quizzes]


def _dump(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000)
