"""Board queries: each board is one read over the summaries that finishing keeps up to date
(app.groups.counting), never a GROUP BY over attempts. Ranking happens in app.leaderboard.ranking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, and_, case, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from app.database import utcnow
from app.extensions import db
from app.groups.models import FREE_PLAY, Assignment, AssignmentGroup, BoardEntry, Group, GroupStats, Organisation
from app.leaderboard.ranking import PersonRow, UnitRow, rank_people, rank_units


def current_scope(group_id: ColumnElement[int] | int, now: datetime) -> ColumnElement[int]:
    """SQL for a group's board scope: its latest assignment that has opened, else free play (0)."""
    latest = (
        select(AssignmentGroup.assignment_id)
        .join(Assignment, Assignment.id == AssignmentGroup.assignment_id)
        .where(AssignmentGroup.group_id == group_id, Assignment.opens_at <= now)
        .order_by(Assignment.opens_at.desc(), Assignment.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(latest, literal(FREE_PLAY, Integer))


@dataclass(frozen=True)
class ClassBoard:
    group: Group
    organisation: Organisation
    scope: int
    participants: int
    ranked: list[tuple[int, PersonRow]]

    def visible(self) -> list[tuple[int, str, PersonRow]]:
        """Rows as the group's display setting allows: all, the top N ranks, or masked nicknames."""
        mode, top_n = self.group.board_mode, self.group.board_top_n
        rows = [(rank, row) for rank, row in self.ranked if mode != "top" or rank <= top_n]
        return [(rank, mask(row.nickname) if mode == "masked" else row.nickname, row) for rank, row in rows]


def mask(nickname: str) -> str:
    """小明同学 -> 小***: enough for a child to find themself, not enough to expose anyone."""
    return nickname[:1] + "*" * min(max(len(nickname) - 1, 1), 3)


def class_board(group: Group, organisation: Organisation, now: datetime | None = None) -> ClassBoard:
    """The class board in one query (the scope is resolved inside it)."""
    now = now or utcnow()
    scope = current_scope(group.id, now)
    rows = db.session.execute(
        select(BoardEntry.id, BoardEntry.nickname, BoardEntry.score, BoardEntry.total, BoardEntry.permille,
               BoardEntry.seconds, BoardEntry.finished_at, scope.label("scope"))
        .where(BoardEntry.group_id == group.id, BoardEntry.scope == scope, BoardEntry.counted.is_(True))
    ).all()
    people = [PersonRow(r.id, r.nickname, r.score, r.total, r.permille, r.seconds, r.finished_at) for r in rows]
    resolved = rows[0].scope if rows else db.session.scalar(select(scope))
    return ClassBoard(group, organisation, int(resolved or 0), len(people), rank_people(people))


def group_with_organisation(code: str) -> tuple[Group, Organisation] | None:
    row = db.session.execute(
        select(Group, Organisation).join(Organisation, Organisation.id == Group.organisation_id)
        .where(Group.join_code == code)
    ).first()
    return (row[0], row[1]) if row else None


def organisation_board(org_id: int, now: datetime | None = None) -> list[tuple[int, UnitRow]]:
    """Every group of the organisation with its current round's totals, in one query."""
    now = now or utcnow()
    stats = and_(GroupStats.group_id == Group.id, GroupStats.scope == current_scope(Group.id, now))
    rows = db.session.execute(
        select(Group.id, Group.name, Group.size, GroupStats.participants, GroupStats.permille_sum,
               GroupStats.last_counted_at)
        .outerjoin(GroupStats, stats)
        .where(Group.organisation_id == org_id)
    ).all()
    return rank_units([UnitRow(r.id, r.name, r.size, r.participants or 0, r.permille_sum or 0, r.last_counted_at)
                       for r in rows])


def campaign_board(campaign_id: int, now: datetime | None = None) -> list[tuple[int, UnitRow]]:
    """Every organisation of a campaign, its groups' current rounds summed, in one query. A group's
    participants count up to its size, as on the organisation board."""
    now = now or utcnow()
    stats = and_(GroupStats.group_id == Group.id, GroupStats.scope == current_scope(Group.id, now))
    capped = case((GroupStats.participants > Group.size, Group.size), else_=func.coalesce(GroupStats.participants, 0))
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, func.coalesce(func.sum(Group.size), 0).label("size"),
               func.coalesce(func.sum(capped), 0).label("capped"),
               func.coalesce(func.sum(GroupStats.permille_sum), 0).label("permille_sum"),
               func.coalesce(func.sum(GroupStats.participants), 0).label("participants"),
               func.max(GroupStats.last_counted_at).label("completed_at"))
        .outerjoin(Group, Group.organisation_id == Organisation.id)
        .outerjoin(GroupStats, stats)
        .where(Organisation.campaign_id == campaign_id)
        .group_by(Organisation.id, Organisation.name)
    ).all()
    return rank_units([UnitRow(r.id, r.name, int(r.size), int(r.participants), int(r.permille_sum),
                               r.completed_at, capped=int(r.capped)) for r in rows])
