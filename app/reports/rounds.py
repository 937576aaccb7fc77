"""A group's current round: the round its boards show (app.groups.rounds), the latest assignment
that has opened, or free play (scope 0); and who the group's people are (minors by nickname only;
staff rosters by name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.groups.kinds import Kind
from app.groups.models import FREE_PLAY, Assignment, Group, Organisation
from app.groups.rounds import board_scope
from app.quiz.models import Attempt


@dataclass(frozen=True)
class Round:
    group: Group
    organisation: Organisation
    assignment: Assignment | None
    scope: int

    @property
    def words(self) -> Kind:
        """How the organisation's kind names things: 科室码, 本科室, 职工 … (app.groups.kinds)."""
        return self.organisation.words

    @property
    def minors(self) -> bool:
        """School groups are minors: only ever shown by nickname."""
        return self.words.minors

    @property
    def roster(self) -> bool:
        return self.group.roster_required and not self.minors

    def closed(self, now: datetime) -> bool:
        return self.assignment is not None and now >= self.assignment.closes_at

    @property
    def own(self) -> str:
        return self.words.own


def round_of(group: Group, now: datetime | None = None) -> Round:
    assignment = board_scope(group, now)
    organisation = db.session.get_one(Organisation, group.organisation_id)  # a foreign key: always there
    return Round(group, organisation, assignment, assignment.id if assignment else FREE_PLAY)


def in_round(current: Round) -> list[ColumnElement[bool]]:
    return [Attempt.group_id == current.group.id, Attempt.scope == current.scope]
