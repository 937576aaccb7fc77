"""Which round a group's boards show: one rule, in Python and in SQL.

The rule: among the group's assignments that have opened (opens_at <= now), the most recently
created one (the highest id); a group with none shows free play (scope 0, FREE_PLAY). A round that
has closed keeps showing until a newer one opens, so a class still sees last week's result.

`board_round` applies the rule to assignments at hand; `latest_scopes` and `scope_cte` build the
same choice into a statement (the boards, the dashboard and the reports read it that way). Both are
made from the two pieces below, `_opened` and `_latest`, and tests/leaderboard/test_rounds.py checks
that every reader agrees on the same groups.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Integer, func, literal, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import CTE, Subquery

from app.database import utcnow
from app.extensions import db
from app.groups.models import FREE_PLAY, Assignment, AssignmentGroup, Group


def _opened(opens_at: datetime, now: datetime) -> bool:
    return opens_at <= now


def _latest(ids: Iterable[int]) -> int | None:
    return max(ids, default=None)


def board_round(assignments: Iterable[Assignment], now: datetime) -> Assignment | None:
    """The round shown, from the group's assignments: None for free play."""
    by_id = {a.id: a for a in assignments if _opened(a.opens_at, now)}
    latest = _latest(by_id)
    return by_id[latest] if latest is not None else None


def board_scope(group: Group, now: datetime | None = None) -> Assignment | None:
    """The group's current round (None for free play), loading its assignments."""
    assignments = db.session.scalars(
        select(Assignment).join(AssignmentGroup, AssignmentGroup.assignment_id == Assignment.id)
        .where(AssignmentGroup.group_id == group.id)
    )
    return board_round(assignments, now or utcnow())


def scope_of(assignment: Assignment | None) -> int:
    return assignment.id if assignment is not None else FREE_PLAY


# -- the same rule in SQL ------------------------------------------------------------------------


def _opened_sql(now: datetime | ColumnElement[datetime]) -> ColumnElement[bool]:
    return Assignment.opens_at <= now


def _latest_sql() -> ColumnElement[int]:
    return func.max(AssignmentGroup.assignment_id)


def latest_scopes(now: datetime | ColumnElement[datetime], *where: ColumnElement[bool]) -> Subquery:
    """Each group's round as a derived table (group_id, scope). Groups in free play are absent:
    the caller joins outer and reads a missing scope as FREE_PLAY."""
    return (
        select(AssignmentGroup.group_id.label("group_id"), _latest_sql().label("scope"))
        .join(Assignment, Assignment.id == AssignmentGroup.assignment_id)
        .where(_opened_sql(now), *where)
        .group_by(AssignmentGroup.group_id)
        .subquery("latest")
    )


def scope_cte(group_id: ColumnElement[int], now: datetime | ColumnElement[datetime]) -> CTE:
    """One group's round as a one-row CTE (scope), FREE_PLAY when it has none."""
    return (
        select(func.coalesce(_latest_sql(), literal(FREE_PLAY, Integer)).label("scope"))
        .join(Assignment, Assignment.id == AssignmentGroup.assignment_id)
        .where(AssignmentGroup.group_id == group_id, _opened_sql(now))
        .cte("scope")
    )


def current_scopes(group_ids: Sequence[int], now: datetime | None = None) -> dict[int, int]:
    """The round of each of these groups, in one query: {group id: scope}."""
    if not group_ids:
        return {}
    latest = latest_scopes(now or utcnow(), AssignmentGroup.group_id.in_(group_ids))
    found = {group_id: scope for group_id, scope in db.session.execute(select(latest.c.group_id, latest.c.scope))}
    return {group_id: found.get(group_id, FREE_PLAY) for group_id in group_ids}
