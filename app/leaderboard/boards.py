"""Board queries: each board is one read over the summaries that finishing keeps up to date
(app.groups.counting), never a GROUP BY over attempts. Ranking happens in app.leaderboard.ranking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, and_, case, func, literal, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from app.database import utcnow
from app.extensions import db
from app.groups.models import FREE_PLAY, Assignment, AssignmentGroup, BoardEntry, Group, GroupStats, Organisation
from app.leaderboard.ranking import PersonRow, UnitRow, rank_people, rank_units


def latest_scopes(now: datetime, *where: ColumnElement[bool]) -> Subquery:
    """Each group's board scope as a derived table (group_id, scope): its most recently created
    assignment that has opened. Groups without one are absent (the caller falls back to free play)."""
    return (
        select(AssignmentGroup.group_id.label("group_id"), func.max(AssignmentGroup.assignment_id).label("scope"))
        .join(Assignment, Assignment.id == AssignmentGroup.assignment_id)
        .where(Assignment.opens_at <= now, *where)
        .group_by(AssignmentGroup.group_id)
        .subquery("latest")
    )


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
    """The class board in one query: the scope is resolved once (a CTE), then its counted rows."""
    now = now or utcnow()
    scope = (
        select(func.coalesce(func.max(AssignmentGroup.assignment_id), literal(FREE_PLAY, Integer)).label("scope"))
        .join(Assignment, Assignment.id == AssignmentGroup.assignment_id)
        .where(AssignmentGroup.group_id == group.id, Assignment.opens_at <= now)
        .cte("scope")
    )
    rows = db.session.execute(
        select(scope.c.scope, BoardEntry.id, BoardEntry.nickname, BoardEntry.score, BoardEntry.total,
               BoardEntry.permille, BoardEntry.seconds, BoardEntry.finished_at)
        .select_from(scope)
        .outerjoin(BoardEntry, and_(BoardEntry.group_id == group.id, BoardEntry.scope == scope.c.scope,
                                    BoardEntry.counted.is_(True)))
    ).all()
    people = [PersonRow(r.id, r.nickname, r.score, r.total, r.permille, r.seconds, r.finished_at)
              for r in rows if r.id is not None]
    return ClassBoard(group, organisation, int(rows[0].scope or 0) if rows else FREE_PLAY, len(people),
                      rank_people(people))


def group_with_organisation(code: str) -> tuple[Group, Organisation] | None:
    row = db.session.execute(
        select(Group, Organisation).join(Organisation, Organisation.id == Group.organisation_id)
        .where(Group.join_code == code)
    ).first()
    return (row[0], row[1]) if row else None


def organisation_board(org_id: int, now: datetime | None = None) -> list[tuple[int, UnitRow]]:
    """Every group of the organisation with its current round's totals, in one query."""
    now = now or utcnow()
    latest = latest_scopes(now, Assignment.organisation_id == org_id)
    stats = and_(GroupStats.group_id == Group.id,
                 GroupStats.scope == func.coalesce(latest.c.scope, literal(FREE_PLAY, Integer)))
    rows = db.session.execute(
        select(Group.id, Group.name, Group.size, GroupStats.participants, GroupStats.permille_sum,
               GroupStats.last_counted_at)
        .outerjoin(latest, latest.c.group_id == Group.id)
        .outerjoin(GroupStats, stats)
        .where(Group.organisation_id == org_id)
    ).all()
    return rank_units([UnitRow(r.id, r.name, r.size, r.participants or 0, r.permille_sum or 0, r.last_counted_at)
                       for r in rows])


def campaign_board(campaign_id: int, now: datetime | None = None) -> list[tuple[int, UnitRow]]:
    """Every organisation of a campaign, its groups' current rounds summed, in one query. A group's
    participants count up to its size, as on the organisation board."""
    now = now or utcnow()
    in_campaign = select(Organisation.id).where(Organisation.campaign_id == campaign_id)
    latest = latest_scopes(now, Assignment.organisation_id.in_(in_campaign))
    stats = and_(GroupStats.group_id == Group.id,
                 GroupStats.scope == func.coalesce(latest.c.scope, literal(FREE_PLAY, Integer)))
    capped = case((GroupStats.participants > Group.size, Group.size), else_=func.coalesce(GroupStats.participants, 0))
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, func.coalesce(func.sum(Group.size), 0).label("size"),
               func.coalesce(func.sum(capped), 0).label("capped"),
               func.coalesce(func.sum(GroupStats.permille_sum), 0).label("permille_sum"),
               func.coalesce(func.sum(GroupStats.participants), 0).label("participants"),
               func.max(GroupStats.last_counted_at).label("completed_at"))
        .outerjoin(Group, Group.organisation_id == Organisation.id)
        .outerjoin(latest, latest.c.group_id == Group.id)
        .outerjoin(GroupStats, stats)
        .where(Organisation.campaign_id == campaign_id)
        .group_by(Organisation.id, Organisation.name)
    ).all()
    return rank_units([UnitRow(r.id, r.name, int(r.size), int(r.participants), int(r.permille_sum),
                               r.completed_at, capped=int(r.capped)) for r in rows])
