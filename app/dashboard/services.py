"""What the management pages show and change, as plain functions over the models.

Views parse input and call these; every rule (who may create what, which quizzes and teachers may
be picked, how a roster file is applied) lives here and raises GroupError with a Chinese message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask import abort
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs are 3.2's

from app.auth.access import visible_groups, visible_organisations
from app.auth.models import User
from app.bank.models import Quiz
from app.dashboard.roster_import import RosterRow
from app.database import row_id
from app.extensions import db
from app.groups import services as groups
from app.groups.errors import GroupError
from app.groups.kinds import Kind
from app.groups.models import (
    BOARD_MODES,
    Campaign,
    Group,
    GroupStats,
    Organisation,
    RosterEntry,
)
from app.groups.rounds import current_scopes
from app.quiz.services import active_quizzes

TOP_N_RANGE = (3, 50)


# -- home -------------------------------------------------------------------------------------


@dataclass
class GroupRow:
    group: Group
    participants: int
    teacher: str


@dataclass
class OrgSection:
    org: Organisation
    may_manage: bool  # organiser of it, or admin: assignments and every group
    may_add_group: bool
    groups: list[GroupRow] = field(default_factory=list)

    @property
    def words(self) -> Kind:
        return self.org.words


def one_kind(sections: Sequence[OrgSection]) -> Kind | None:
    """The wording shared by every organisation shown, or None when they are of several kinds."""
    kinds = {section.org.kind for section in sections}
    return sections[0].words if len(kinds) == 1 else None


def current_participants(group_list: Sequence[Group], now: datetime | None = None) -> dict[int, int]:
    """Participants of each group in the round its board shows (app.groups.rounds), in two queries
    for any number of groups."""
    ids = [g.id for g in group_list]
    if not ids:
        return {}
    scope = current_scopes(ids, now)
    stats = db.session.execute(
        select(GroupStats.group_id, GroupStats.scope, GroupStats.participants).where(GroupStats.group_id.in_(ids))
    ).all()
    counts = dict.fromkeys(ids, 0)
    for group_id, round_id, participants in stats:
        if round_id == scope[group_id]:
            counts[group_id] = participants
    return counts


def overview(user: User) -> list[OrgSection]:
    """The organisations and groups this person may see, in a fixed number of queries."""
    orgs = list(db.session.scalars(visible_organisations(user).order_by(Organisation.name, Organisation.id)))
    if user.role != "admin" and user.organisation_id and all(o.id != user.organisation_id for o in orgs):
        own = db.session.get(Organisation, user.organisation_id)
        if own is not None:
            orgs.insert(0, own)  # a new teacher with no group yet still sees where to add one
    group_list = db.session.scalars(visible_groups(user).order_by(Group.name, Group.id)).all()
    counts = current_participants(group_list)
    teacher_ids = {g.teacher_id for g in group_list if g.teacher_id}
    names = {u.id: u.display_name or u.email for u in db.session.scalars(select(User).where(User.id.in_(teacher_ids)))}
    sections = {
        o.id: OrgSection(o, may_manage=may_manage(user, o), may_add_group=may_add_group(user, o)) for o in orgs
    }
    for group in group_list:
        section = sections.get(group.organisation_id)
        if section is not None:
            section.groups.append(GroupRow(group, counts[group.id], names.get(group.teacher_id or 0, "")))
    return list(sections.values())


def organisation_of(group: Group) -> Organisation:
    return db.session.get_one(Organisation, group.organisation_id)  # a foreign key: always there


def campaigns() -> Sequence[Campaign]:
    return db.session.scalars(select(Campaign).order_by(Campaign.name, Campaign.id)).all()


def may_manage(user: User, org: Organisation) -> bool:
    return user.role == "admin" or (user.role == "organiser" and user.organisation_id == org.id)


def may_add_group(user: User, org: Organisation) -> bool:
    return user.role == "admin" or user.organisation_id == org.id


def organisation_for_new_group(user: User, org_id: int) -> Organisation:
    """Admins add groups anywhere; organisers and teachers in their own organisation. Else 404."""
    org = db.session.get(Organisation, org_id) if row_id(org_id) else None
    if org is None or not may_add_group(user, org):
        abort(404)
    return org


# -- choices ----------------------------------------------------------------------------------


def quiz_choices(org: Organisation) -> list[SelectChoice]:
    """Shared quizzes for this kind of organisation, then the organisation's own."""
    shared = active_quizzes(org.words.audience)
    own = db.session.scalars(
        select(Quiz).where(Quiz.active.is_(True), Quiz.organisation_id == org.id).order_by(Quiz.title, Quiz.id)
    ).all()
    return [SelectChoice(q.id, q.title) for q in shared] + [SelectChoice(q.id, f"{q.title}（本单位自编）") for q in own]


def teachers_of(org: Organisation) -> Sequence[User]:
    return db.session.scalars(
        select(User).where(User.organisation_id == org.id, User.role == "teacher").order_by(User.display_name, User.id)
    ).all()


def teacher_choices(org: Organisation) -> list[SelectChoice]:
    people = [SelectChoice(str(u.id), f"{u.display_name}（{u.email}）" if u.display_name else u.email)
              for u in teachers_of(org)]
    return [SelectChoice("", "暂不指定（由组织者管理）"), *people]


def picked_choice(raw: object, choices: list[SelectChoice], message: str, field: str) -> str:
    """The submitted value if it is one of the choices offered, else GroupError(message) on that field."""
    value = raw if isinstance(raw, str) else ""
    if value not in {c.value for c in choices}:
        raise GroupError(message, field=field)
    return value


# -- groups -----------------------------------------------------------------------------------


def new_group(user: User, org: Organisation, name: object, size: object, quiz_id: object,
              teacher_id: object = "") -> Group:
    quiz = picked_choice(quiz_id, quiz_choices(org), "请从列表中选择一个测验。", "quiz")
    if user.role == "teacher":
        teacher: int | None = user.id
    else:
        picked = picked_choice(teacher_id or "", teacher_choices(org), "请从列表中选择本单位的一位老师或负责人。",
                               "teacher")
        teacher = int(picked) if picked else None
    return groups.create_group(org, name, size, quiz, teacher)


def update_group(group: Group, name: object, size: object) -> None:
    group.name = groups.clean_name(name, "名称")
    group.size = groups.clean_size(size)
    db.session.commit()


def update_board(group: Group, mode: object, top_n: object) -> None:
    if mode not in BOARD_MODES:
        raise GroupError("请选择一种排行榜显示方式。", field="mode")
    low, high = TOP_N_RANGE
    try:
        n = int(str(top_n).strip())
    except (TypeError, ValueError):
        raise GroupError(f"显示前几名要填 {low} 到 {high} 之间的整数。", field="top_n") from None
    if not low <= n <= high:
        raise GroupError(f"显示前几名要填 {low} 到 {high} 之间的整数。", field="top_n")
    group.board_mode, group.board_top_n = str(mode), n
    db.session.commit()


# -- rosters ----------------------------------------------------------------------------------


def roster_allowed(org: Organisation) -> bool:
    """Rosters list staff by real name: never where the learners are minors (schools)."""
    return not org.words.minors


def refuse_school_roster(org: Organisation) -> None:
    if not roster_allowed(org):
        raise GroupError("学校班级的学生是未成年人，不能按真实姓名导入名单；学生只用昵称参加。")


@dataclass(frozen=True)
class RosterCounts:
    added: int
    updated: int
    unchanged: int
    kept: int  # already on the roster, not in this file: never deleted (their results stay provable)


def roster_of(group: Group) -> Sequence[RosterEntry]:
    return db.session.scalars(
        select(RosterEntry).where(RosterEntry.group_id == group.id).order_by(RosterEntry.department, RosterEntry.staff_no)
    ).all()


def apply_roster(group: Group, org: Organisation, rows: Sequence[RosterRow]) -> RosterCounts:
    """Add new 工号, update names and 科室 of known ones, delete nobody; then require the roster."""
    refuse_school_roster(org)
    existing = {entry.staff_no: entry for entry in roster_of(group)}
    added = updated = unchanged = 0
    for row in rows:
        entry = existing.pop(row.staff_no, None)
        if entry is None:
            db.session.add(RosterEntry(group_id=group.id, name=row.name, staff_no=row.staff_no,
                                       department=row.department))
            added += 1
        elif (entry.name, entry.department) != (row.name, row.department):
            entry.name, entry.department = row.name, row.department
            updated += 1
        else:
            unchanged += 1
    group.roster_required = True
    db.session.commit()
    return RosterCounts(added, updated, unchanged, len(existing))


def set_roster_required(group: Group, org: Organisation, required: bool) -> None:
    refuse_school_roster(org)
    if required and not roster_of(group):
        raise GroupError("名单还是空的：请先导入名单，再要求核对工号和姓名。", field="required")
    group.roster_required = required
    db.session.commit()
