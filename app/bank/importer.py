"""Load a validated bank into the database, versioning edited items."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.bank.models import Question, Quiz
from app.bank.schema import Bank
from app.extensions import db


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: int = 0
    quizzes: int = 0

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.retired)


def import_bank(bank: Bank, retire_missing: bool = True, organisation_id: int | None = None) -> ImportReport:
    """Make the database match the bank. Idempotent: a second run with the same bank does nothing.

    A whole bank (a folder) retires items and quizzes it no longer has; a single extra file
    (`retire_missing=False`, e.g. this week's local case in Excel) only adds and updates.
    With `organisation_id` the items and quizzes are that organisation's own (a teacher's upload):
    they never touch, and are never touched by, the shared bank.
    """
    report = ImportReport()
    session = db.session
    owned = Question.organisation_id.is_(None) if organisation_id is None else Question.organisation_id == organisation_id
    current = {q.item_id: q for q in session.scalars(select(Question).where(Question.current.is_(True), owned))}
    latest = dict(
        session.execute(select(Question.item_id, func.max(Question.version)).group_by(Question.item_id)).tuples().all()
    )
    for item in bank.questions:
        digest = item.content_hash()
        row = current.pop(item.item_id, None)
        if row is not None and row.content_hash == digest:
            report.unchanged += 1
            continue
        if row is not None:
            row.current = False
            report.changed.append(item.item_id)
        else:
            report.added.append(item.item_id)
        session.add(
            Question(
                item_id=item.item_id,
                version=latest.get(item.item_id, 0) + 1,
                content_hash=digest,
                current=True,
                pattern=item.pattern,
                audiences=list(item.audiences),
                kind=item.kind,
                case_id=item.case_id,
                step=item.step,
                steps=item.steps,
                role=item.role,
                body=item.body(),
                organisation_id=organisation_id,
            )
        )
    for row in current.values() if retire_missing else ():
        row.current = False
        report.retired.append(row.item_id)
    quiz_owned = Quiz.organisation_id.is_(None) if organisation_id is None else Quiz.organisation_id == organisation_id
    existing = {q.id: q for q in session.scalars(select(Quiz).where(quiz_owned))}
    for position, spec in enumerate(bank.quizzes):
        quiz = existing.pop(spec.id, None) or Quiz(id=spec.id)
        values = {
            "title": spec.title,
            "audience": spec.audience,
            "question_count": spec.count,
            "pass_mark": spec.pass_mark,
            "patterns": list(spec.patterns),
            "scenarios": spec.scenarios,
            "description": spec.description,
            "item_ids": list(spec.items),
            "roles": list(spec.roles),
            "position": position,
            "active": True,
            "organisation_id": organisation_id,
        }
        for key, value in values.items():
            if getattr(quiz, key, None) != value:
                setattr(quiz, key, value)
        session.add(quiz)
        report.quizzes += 1
    for quiz in existing.values() if retire_missing else ():
        quiz.active = False
    session.commit()
    return report
