"""A group's current round: its board scope (app.groups.services.board_scope), the latest
assignment that has opened, or free play (scope 0); and who the group's people are (minors by
nickname only; staff rosters by name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.groups.models import FREE_PLAY, Assignment, Group, Organisation
from app.groups.services import board_scope
from app.quiz.models import Attempt

OWN_WORD = {"school": "本班", "hospital": "本科室", "community": "本组", "agency": "本部门"}


@dataclass(frozen=True)
class Round:
    group: Group
    organisation: Organisation
    assignment: Assignment | None
    scope: int

    @property
    def minors(self) -> bool:
        """School groups are minors: only ever shown by nickname."""
        return self.organisation.kind == "school"

    @property
    def roster(self) -> bool:
        return self.group.roster_required and not self.minors

    def closed(self, now: datetime) -> bool:
        return self.assignment is not None and now >= self.assignment.closes_at

    @property
    def own(self) -> str:
        return OWN_WORD.get(self.organisation.kind, "本组")


def round_of(group: Group, now: datetime | None = None) -> Round:
    assignment = board_scope(group, now)
    organisation = db.session.get_one(Organisation, group.organisation_id)  # a foreign key: always there
    return Round(group, organisation, assignment, assignment.id if assignment else FREE_PLAY)


def in_round(current: Round) -> list[ColumnElement[bool]]:
    return [Attempt.group_id == current.group.id, Attempt.scope == current.scope]
