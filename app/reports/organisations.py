"""The organisation report: one row per group (its current round), ranked as on the organisation
board (app.leaderboard.boards.organisation_board: participation rate, then average score, then
earlier completion), plus the totals of the groups this person may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from app.auth.access import visible_groups
from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.groups.models import Group, Organisation
from app.groups.rates import sign_rate, signed_in_size
from app.leaderboard.boards import organisation_board
from app.leaderboard.ranking import UnitRow
from app.reports.formatting import ratio


@dataclass(frozen=True)
class GroupLine:
    rank: int
    group: Group
    unit: UnitRow

    @property
    def participants(self) -> int:
        return self.unit.participants

    @property
    def rate(self) -> Fraction:
        return self.unit.rate

    @property
    def average(self) -> Fraction:
        return self.unit.average

    @property
    def completed_at(self) -> datetime | None:
        return self.unit.completed_at

    @property
    def sign_rate(self) -> Fraction:
        return sign_rate(self.group.pledges, self.group.size)


@dataclass(frozen=True)
class Totals:
    groups: int
    size: int
    participants: int
    counted_in_size: int  # participants capped group by group (41 of 40 counts 40)
    permille_sum: int
    pledges: int  # every signature, as counted
    signed_in_size: int  # signatures capped group by group, as the sign rate counts them
    families: int
    completed_at: datetime | None

    @property
    def rate(self) -> Fraction:
        return ratio(self.counted_in_size, self.size, cap=True)

    @property
    def average(self) -> Fraction:
        return ratio(self.permille_sum, self.participants * 1000)

    @property
    def sign_rate(self) -> Fraction:
        return sign_rate(self.signed_in_size, self.size)


@dataclass(frozen=True)
class OrganisationReport:
    organisation: Organisation
    lines: list[GroupLine]
    totals: Totals
    partial: bool  # a teacher sees only their own groups
    generated_at: datetime


def organisation_report(user: User, org: Organisation, now: datetime | None = None) -> OrganisationReport:
    now = now or utcnow()
    groups = {g.id: g for g in db.session.scalars(visible_groups(user).where(Group.organisation_id == org.id))}
    lines = [GroupLine(rank, groups[unit.unit_id], unit)
             for rank, unit in organisation_board(org.id, now) if unit.unit_id in groups]
    totals = Totals(
        groups=len(lines),
        size=sum(line.group.size for line in lines),
        participants=sum(line.participants for line in lines),
        counted_in_size=sum(min(line.participants, line.group.size) for line in lines),
        permille_sum=sum(line.unit.permille_sum for line in lines),
        pledges=sum(line.group.pledges for line in lines),
        signed_in_size=sum(signed_in_size(line.group.pledges, line.group.size) for line in lines),
        families=sum(line.group.families for line in lines),
        completed_at=max((line.completed_at for line in lines if line.completed_at), default=None),
    )
    partial = user.role == "teacher"
    return OrganisationReport(org, lines, totals, partial, now)

