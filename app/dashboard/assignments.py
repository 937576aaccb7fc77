"""Assignments from the dashboard: local date-times read in the configured zone, groups checked
against the organisation, then app.groups.services.create_assignment (which holds the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.bank.models import Quiz
from app.dashboard.services import picked_choice, quiz_choices
from app.database import utcnow
from app.extensions import db
from app.groups import services as groups
from app.groups.errors import GroupError
from app.groups.models import RULES, Assignment, AssignmentGroup, Group, Organisation
from app.timezones import from_local

LOCAL_INPUT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


def parse_local(raw: object, what: str, field: str) -> datetime:
    """A datetime-local value (2026-03-01T08:00) read in the local zone, returned as aware UTC."""
    text = raw.strip() if isinstance(raw, str) else ""
    for fmt in LOCAL_INPUT_FORMATS:
        try:
            naive = datetime.strptime(text, fmt)  # naive on purpose: the zone is attached below
        except ValueError:
            continue
        return from_local(naive)
    raise GroupError(f"请填写{what}（日期和时间，例如 2026-03-01 08:00）。", field=field)


def new_assignment(org: Organisation, quiz_id: object, group_ids: Sequence[object], opens: object,
                   closes: object, rule: object, tries_per_day: object) -> Assignment:
    quiz = picked_choice(quiz_id, quiz_choices(org), "请从列表中选择一个测验。", "quiz")
    own = {str(g.id): g for g in groups.groups_of(org)}
    picked = list(dict.fromkeys(str(i) for i in group_ids))
    if not picked:
        raise GroupError(f"请至少选择一个{org.words.group}。", field="groups")
    if any(i not in own for i in picked):
        raise GroupError(f"只能选择本单位的{org.words.group}。", field="groups")
    opens_at = parse_local(opens, "开始时间", "opens_at")
    closes_at = parse_local(closes, "截止时间", "closes_at")
    if rule not in RULES:
        raise GroupError("请选择计分规则。", field="rule")
    tries = 1
    if rule == "best":
        try:
            tries = int(str(tries_per_day).strip())
        except (TypeError, ValueError):
            raise GroupError("每天可计分的次数要填 1 到 20 之间的整数。", field="tries_per_day") from None
    return groups.create_assignment(org, quiz, [own[i] for i in picked], opens_at, closes_at, str(rule), tries)


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    quiz_title: str
    group_names: list[str]
    state: str  # 未开始 / 进行中 / 已截止


def assignments_for(org: Organisation, now: datetime | None = None) -> list[AssignmentRow]:
    now = now or utcnow()
    found = db.session.scalars(
        select(Assignment).where(Assignment.organisation_id == org.id).order_by(Assignment.opens_at.desc(), Assignment.id.desc())
    ).all()
    ids = [a.id for a in found]
    names: dict[int, list[str]] = {i: [] for i in ids}
    for assignment_id, name in db.session.execute(
        select(AssignmentGroup.assignment_id, Group.name)
        .join(Group, Group.id == AssignmentGroup.group_id)
        .where(AssignmentGroup.assignment_id.in_(ids))
        .order_by(Group.name)
    ):
        names[assignment_id].append(name)
    titles = dict(db.session.execute(select(Quiz.id, Quiz.title).where(Quiz.id.in_({a.quiz_id for a in found}))).tuples().all())
    rows = []
    for a in found:
        state = "未开始" if now < a.opens_at else ("进行中" if a.is_open(now) else "已截止")
        rows.append(AssignmentRow(a, titles.get(a.quiz_id, a.quiz_id), names[a.id], state))
    return rows
