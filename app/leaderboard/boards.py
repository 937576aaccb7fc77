"""Board queries: each board is one read over the summaries that finishing keeps up to date
(app.groups.counting), never a GROUP BY over attempts. Ranking happens in app.leaderboard.ranking.

Each statement is built once, on first use, with bound parameters: building a SELECT and deriving
its cache key cost more than SQLite takes to run it, and boards are read far more than written. The
column-only board statements run on the session's connection (Core), skipping the ORM's result
machinery they do not need."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, Row, Select, and_, bindparam, case, func, literal, select, true

from app.database import row_id, utcnow
from app.extensions import db
from app.groups.models import (
    FREE_PLAY,
    Assignment,
    BoardEntry,
    Campaign,
    Group,
    GroupStats,
    Organisation,
)
from app.groups.rates import signed_in_size_sql
from app.groups.rounds import latest_scopes, scope_cte
from app.leaderboard.cache import cached
from app.leaderboard.ranking import PersonRow, UnitRow, rank_people, rank_units

Prepare = Callable[[], None]


def _now(before_query: Prepare | None) -> datetime:
    """Run the caller's connection setup (the API's read-only mode) only when a board is really
    queried: a board served from the cache then takes no database connection at all."""
    if before_query is not None:
        before_query()
    return utcnow()


@dataclass(frozen=True)
class ClassBoard:
    scope: int
    participants: int
    ranked: list[tuple[int, PersonRow]]
    board_mode: str = "full"
    board_top_n: int = 10

    def visible(self) -> list[tuple[int, str, PersonRow]]:
        """Rows as the group's display setting allows: all, the top N ranks, or masked nicknames."""
        mode, top_n = self.board_mode, self.board_top_n
        rows = [(rank, row) for rank, row in self.ranked if mode != "top" or rank <= top_n]
        return [(rank, mask(row.nickname) if mode == "masked" else row.nickname, row) for rank, row in rows]


@dataclass(frozen=True)
class GroupHeading:
    """What the board API says about the group itself."""

    name: str
    organisation: str
    size: int
    families: int
    pledges: int


def mask(nickname: str) -> str:
    """小明同学 -> 小***: enough for a child to find themself, not enough to expose anyone."""
    return nickname[:1] + "*" * min(max(len(nickname) - 1, 1), 3)


_ENTRY_COLUMNS = (BoardEntry.id, BoardEntry.nickname, BoardEntry.score, BoardEntry.total, BoardEntry.permille,
                  BoardEntry.seconds, BoardEntry.finished_at)


@cache
def _class_board_statement() -> Select:
    scope = scope_cte(bindparam("group_id"), bindparam("now"))
    return (
        select(scope.c.scope, *_ENTRY_COLUMNS)
        .select_from(scope)
        .outerjoin(BoardEntry, and_(BoardEntry.group_id == bindparam("group_id"), BoardEntry.scope == scope.c.scope,
                                    BoardEntry.counted.is_(True)))
    )


@cache
def _class_board_by_code_statement() -> Select:
    scope = scope_cte(select(Group.id).where(Group.join_code == bindparam("code")).scalar_subquery(), bindparam("now"))
    return (
        select(Group.name, Group.size, Group.families, Group.pledges, Group.board_mode, Group.board_top_n,
               Organisation.name.label("organisation"), scope.c.scope, *_ENTRY_COLUMNS)
        .select_from(Group)
        .join(Organisation, Organisation.id == Group.organisation_id)
        .join(scope, true())
        .outerjoin(BoardEntry, and_(BoardEntry.group_id == Group.id, BoardEntry.scope == scope.c.scope,
                                    BoardEntry.counted.is_(True)))
        .where(Group.join_code == bindparam("code"))
    )


def _board(rows: Sequence[Row[Any]], mode: str, top_n: int) -> ClassBoard:
    people = [PersonRow(r.id, r.nickname, r.score, r.total, r.permille, r.seconds, r.finished_at)
              for r in rows if r.id is not None]
    return ClassBoard(int(rows[0].scope or 0) if rows else FREE_PLAY, len(people), rank_people(people), mode, top_n)


def class_board(group: Group, now: datetime | None = None) -> ClassBoard:
    """The class board of a group already at hand, in one query (the scope resolved once, in a CTE).
    The current board (no `now`) may come from the worker's short cache; the display setting is the
    group's own, as loaded."""
    if now is None:
        board = cached(("class", group.id), lambda: class_board(group, utcnow()))
        return replace(board, board_mode=group.board_mode, board_top_n=group.board_top_n)
    rows = db.session.connection().execute(_class_board_statement(), {"group_id": group.id, "now": now}).all()
    return _board(rows, group.board_mode, group.board_top_n)


def class_board_by_code(code: str, now: datetime | None = None, before_query: Prepare | None = None,
                        ) -> tuple[GroupHeading, ClassBoard] | None:
    """The group's heading and its class board from a join code, in one query; None for no such group.
    The current board (no `now`) may come from the worker's short cache."""
    if now is None:
        return cached(("class-code", code), lambda: class_board_by_code(code, _now(before_query)))
    rows = db.session.connection().execute(_class_board_by_code_statement(), {"code": code, "now": now}).all()
    if not rows:
        return None
    first = rows[0]
    heading = GroupHeading(first.name, first.organisation, first.size, first.families, first.pledges)
    return heading, _board(rows, first.board_mode, first.board_top_n)


@cache
def _group_statement() -> Select:
    return (select(Group, Organisation).join(Organisation, Organisation.id == Group.organisation_id)
            .where(Group.join_code == bindparam("code")))


def group_with_organisation(code: str) -> tuple[Group, Organisation] | None:
    row = db.session.execute(_group_statement(), {"code": code}).first()
    return (row[0], row[1]) if row else None


@dataclass(frozen=True)
class UnitBoard:
    """An organisation's board of groups, or a campaign's board of organisations, with its own heading."""

    unit_id: int
    name: str
    kind: str  # the organisation's kind; "campaign" for a campaign
    ranked: list[tuple[int, UnitRow]]


@cache
def _organisation_statement() -> Select:
    latest = latest_scopes(bindparam("now"), Assignment.organisation_id == bindparam("org_id"))
    stats = and_(GroupStats.group_id == Group.id,
                 GroupStats.scope == func.coalesce(latest.c.scope, literal(FREE_PLAY, Integer)))
    return (
        select(Organisation.name.label("org_name"), Organisation.kind.label("org_kind"), Group.id, Group.name,
               Group.size, Group.pledges, GroupStats.participants, GroupStats.permille_sum, GroupStats.last_counted_at)
        .select_from(Organisation)
        .outerjoin(Group, Group.organisation_id == Organisation.id)
        .outerjoin(latest, latest.c.group_id == Group.id)
        .outerjoin(GroupStats, stats)
        .where(Organisation.id == bindparam("org_id"))
    )


def organisation_board_of(org_id: int, now: datetime | None = None, before_query: Prepare | None = None,
                          ) -> UnitBoard | None:
    """The organisation and every group of it with its current round's totals, in one query; None for no
    such organisation. The current board (no `now`) may come from the worker's short cache."""
    if now is None:
        return cached(("organisation", org_id), lambda: organisation_board_of(org_id, _now(before_query)))
    rows = db.session.connection().execute(_organisation_statement(), {"org_id": org_id, "now": now}).all() \
        if row_id(org_id) else []
    if not rows:
        return None
    units = [UnitRow(r.id, r.name, r.size, r.participants or 0, r.permille_sum or 0, r.last_counted_at,
                     pledges=r.pledges) for r in rows if r.id is not None]
    return UnitBoard(org_id, rows[0].org_name, rows[0].org_kind, rank_units(units))


def organisation_board(org_id: int, now: datetime | None = None) -> list[tuple[int, UnitRow]]:
    """Every group of the organisation, ranked (empty for an unknown organisation)."""
    board = organisation_board_of(org_id, now)
    return board.ranked if board else []


@cache
def _campaign_statement() -> Select:
    in_campaign = select(Organisation.id).where(Organisation.campaign_id == bindparam("campaign_id"))
    latest = latest_scopes(bindparam("now"), Assignment.organisation_id.in_(in_campaign))
    stats = and_(GroupStats.group_id == Group.id,
                 GroupStats.scope == func.coalesce(latest.c.scope, literal(FREE_PLAY, Integer)))
    capped = case((GroupStats.participants > Group.size, Group.size), else_=func.coalesce(GroupStats.participants, 0))
    return (
        select(Campaign.name.label("campaign_name"), Organisation.id, Organisation.name,
               func.coalesce(func.sum(Group.size), 0).label("size"),
               func.coalesce(func.sum(capped), 0).label("capped"),
               func.coalesce(func.sum(GroupStats.permille_sum), 0).label("permille_sum"),
               func.coalesce(func.sum(GroupStats.participants), 0).label("participants"),
               func.max(GroupStats.last_counted_at).label("completed_at"),
               func.coalesce(func.sum(signed_in_size_sql(Group.pledges, Group.size)), 0)
               .label("pledges"))
        .select_from(Campaign)
        .outerjoin(Organisation, Organisation.campaign_id == Campaign.id)
        .outerjoin(Group, Group.organisation_id == Organisation.id)
        .outerjoin(latest, latest.c.group_id == Group.id)
        .outerjoin(GroupStats, stats)
        .where(Campaign.id == bindparam("campaign_id"))
        .group_by(Campaign.name, Organisation.id, Organisation.name)
    )


def campaign_board_of(campaign_id: int, now: datetime | None = None, before_query: Prepare | None = None,
                      ) -> UnitBoard | None:
    """The campaign and every organisation of it, its groups' current rounds summed, in one query (None for
    no such campaign). A group's participants count up to its size, as on the organisation board.
    The current board (no `now`) may come from the worker's short cache."""
    if now is None:
        return cached(("campaign", campaign_id), lambda: campaign_board_of(campaign_id, _now(before_query)))
    params = {"campaign_id": campaign_id, "now": now}
    rows = db.session.connection().execute(_campaign_statement(), params).all() if row_id(campaign_id) else []
    if not rows:
        return None
    units = [UnitRow(r.id, r.name, int(r.size), int(r.participants), int(r.permille_sum), r.completed_at,
                     capped=int(r.capped), pledges=int(r.pledges)) for r in rows if r.id is not None]
    return UnitBoard(campaign_id, rows[0].campaign_name, "campaign", rank_units(units))


def campaign_board(campaign_id: int, now: datetime | None = None) -> list[tuple[int, UnitRow]]:
    """Every organisation of the campaign, ranked (empty for an unknown campaign)."""
    board = campaign_board_of(campaign_id, now)
    return board.ranked if board else []
