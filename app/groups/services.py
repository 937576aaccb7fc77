"""Organisations, groups and assignments: creating them and finding them by code."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from app.bank.models import Quiz
from app.database import add_with_fresh_code, row_id, utcnow
from app.extensions import db
from app.groups.codes import clean_join_code, new_join_code
from app.groups.errors import GroupError, GroupNotFound, InvalidJoinCode, OrganisationNotFound
from app.groups.kinds import KINDS, labels
from app.groups.models import (
    FREE_PLAY,
    RULES,
    Assignment,
    AssignmentGroup,
    Campaign,
    Group,
    GroupStats,
    Organisation,
)

# The quiz a group plays when nothing is assigned, by kind: read from app.groups.kinds, which is its
# home (kept as a mapping for callers that index it by kind, such as the test factories).
DEFAULT_QUIZ = {key: kind.default_quiz for key, kind in KINDS.items()}
MAX_GROUP_SIZE = 5000


def clean_name(raw: object, what: str, limit: int = 60) -> str:
    if not isinstance(raw, str):
        raise GroupError(f"请填写{what}。", field="name")
    name = unicodedata.normalize("NFC", raw).strip()
    if not name or any(unicodedata.category(ch).startswith("C") for ch in name) or "<" in name or ">" in name:
        raise GroupError(f"请填写{what}（不能为空，不能含有尖括号或控制字符）。", field="name")
    if len(name) > limit:
        raise GroupError(f"{what}最多 {limit} 个字。", field="name")
    return name


def clean_size(raw: object) -> int:
    try:
        size = int(str(raw).strip())
    except (TypeError, ValueError):
        raise GroupError("应到人数要填一个整数，例如 45。", field="size") from None
    if not 1 <= size <= MAX_GROUP_SIZE:
        raise GroupError(f"应到人数应在 1 到 {MAX_GROUP_SIZE} 之间。", field="size")
    return size


def create_campaign(name: object) -> Campaign:
    campaign = Campaign(name=clean_name(name, "活动名称"))
    db.session.add(campaign)
    db.session.commit()
    return campaign


def create_organisation(name: object, kind: object, campaign_id: int | None = None) -> Organisation:
    if not isinstance(kind, str) or kind not in KINDS:
        raise GroupError(f"单位类型只能是 {'、'.join(labels().values())}（{' / '.join(KINDS)}）。", field="kind")
    if campaign_id is not None and db.session.get(Campaign, campaign_id) is None:
        raise GroupError(f"没有编号为 {campaign_id} 的活动。", field="campaign")
    org = Organisation(name=clean_name(name, "单位名称"), kind=str(kind), campaign_id=campaign_id)
    db.session.add(org)
    db.session.commit()
    return org


def get_organisation(org_id: object) -> Organisation:
    org = db.session.get(Organisation, org_id) if row_id(org_id) else None
    if org is None:
        raise OrganisationNotFound()
    return org


def usable_quiz(quiz_id: object, org: Organisation) -> Quiz:
    """A shared quiz, or one of this organisation's own."""
    quiz = db.session.get(Quiz, quiz_id) if isinstance(quiz_id, str) and len(quiz_id) <= 64 else None
    if quiz is None or not quiz.active or quiz.organisation_id not in (None, org.id):
        raise GroupError("没有找到这个测验，请从列表中选择。", field="quiz")
    return quiz


def create_group(org: Organisation, name: object, size: object, quiz_id: object = None,
                 teacher_id: int | None = None) -> Group:
    """A group with a fresh join code (retried on the rare collision, never reused)."""
    words = org.words
    quiz = usable_quiz(quiz_id or words.default_quiz, org)
    values = {"organisation_id": org.id, "name": clean_name(name, "名称"), "size": clean_size(size),
              "quiz_id": quiz.id, "teacher_id": teacher_id}
    group = add_with_fresh_code(db.session, lambda: Group(join_code=new_join_code(), **values), commit=False,
                                message=f"暂时无法生成{words.code}，请稍后再试。")
    db.session.add(GroupStats(group_id=group.id, scope=FREE_PLAY))
    db.session.commit()
    return group


def group_by_code(raw: object) -> Group:
    try:
        code = clean_join_code(raw)
    except InvalidJoinCode:
        raise GroupNotFound() from None
    group = db.session.scalar(select(Group).where(Group.join_code == code)) if code else None
    if group is None:
        raise GroupNotFound()
    return group


def groups_of(org: Organisation) -> Sequence[Group]:
    return db.session.scalars(select(Group).where(Group.organisation_id == org.id).order_by(Group.name, Group.id)).all()


def create_assignment(org: Organisation, quiz_id: object, groups: Sequence[Group], opens_at: datetime,
                      closes_at: datetime, rule: str = "first", tries_per_day: int = 1, title: str = "") -> Assignment:
    quiz = usable_quiz(quiz_id, org)
    if rule not in RULES:
        raise GroupError("计分规则只能是“只计第一次”或“每天最多 N 次取最好”。", field="rule")
    if not groups or any(g.organisation_id != org.id for g in groups):
        raise GroupError("请至少选择本单位的一个班级或科室。", field="groups")
    if closes_at <= opens_at:
        raise GroupError("截止时间要晚于开始时间。", field="closes_at")
    if rule == "best" and not 1 <= tries_per_day <= 20:
        raise GroupError("每天可计分的次数应在 1 到 20 之间。", field="tries_per_day")
    assignment = Assignment(organisation_id=org.id, quiz_id=quiz.id, opens_at=opens_at, closes_at=closes_at,
                            rule=rule, tries_per_day=tries_per_day if rule == "best" else 1,
                            title=title[:60] or quiz.title)
    db.session.add(assignment)
    db.session.flush()
    for group in groups:
        db.session.add(AssignmentGroup(assignment_id=assignment.id, group_id=group.id))
        db.session.add(GroupStats(group_id=group.id, scope=assignment.id))
    db.session.commit()
    return assignment


def assignments_of(group: Group) -> Sequence[Assignment]:
    stmt = (
        select(Assignment)
        .join(AssignmentGroup, AssignmentGroup.assignment_id == Assignment.id)
        .where(AssignmentGroup.group_id == group.id)
        .order_by(Assignment.opens_at.desc(), Assignment.id.desc())
    )
    return db.session.scalars(stmt).all()


def play_quiz(group: Group, now: datetime | None = None) -> str:
    """What the join page starts: the assignment open now, else the group's own quiz."""
    now = now or utcnow()
    open_now = next((a for a in assignments_of(group) if a.is_open(now)), None)
    return open_now.quiz_id if open_now else group.quiz_id
