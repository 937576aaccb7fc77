"""What the board pages show, gathered by one service call per page so the views and templates run
no queries of their own: the class page (its board, the quiz it starts, whether this round counts,
who is playing now) and the organisation and campaign pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from app.bank.models import Quiz
from app.database import row_id, utcnow
from app.errors import NotFoundError
from app.extensions import db
from app.groups.codes import clean_join_code
from app.groups.counting import round_for
from app.groups.errors import GroupNotFound, InvalidJoinCode
from app.groups.membership import group_context
from app.groups.models import Campaign, Group, Organisation
from app.groups.services import get_organisation, play_quiz
from app.leaderboard import boards
from app.leaderboard.ranking import UnitRow
from app.quiz.models import Attempt, Participant
from app.quiz.starting import Started, get_quiz, start_attempt

PLAYING_WINDOW_MINUTES = 120


def group_by_code(join_code: str) -> tuple[Group, Organisation]:
    """The group a typed or linked code names, with its organisation (404 for none)."""
    try:
        code = clean_join_code(join_code)
    except InvalidJoinCode:
        raise GroupNotFound() from None
    found = boards.group_with_organisation(code) if code else None
    if found is None:
        raise GroupNotFound()
    return found


def join(group: Group, nickname: object, participant: Participant, staff_no: object, staff_name: object) -> Started:
    """A learner joins the class (or unit) page: the quiz it plays now, in this group's round."""
    quiz = get_quiz(play_quiz(group))
    return start_attempt(quiz.id, nickname, participant,
                         group_context(group, quiz, participant, staff_no, staff_name))


@dataclass(frozen=True)
class GroupPage:
    board: boards.ClassBoard
    quiz: Quiz
    note: str | None  # why playing now would not count, if it would not
    playing: int  # people answering right now


def group_page(group: Group) -> GroupPage:
    quiz = get_quiz(play_quiz(group))
    return GroupPage(boards.class_board(group), quiz, round_for(group, quiz.id, utcnow()).reason,
                     playing_now(group.id))


def playing_now(group_id: int) -> int:
    """People answering right now (started in the last two hours, not finished): a live sign for the class."""
    since = utcnow() - timedelta(minutes=PLAYING_WINDOW_MINUTES)
    return db.session.scalar(
        select(func.count()).select_from(Attempt)
        .where(Attempt.group_id == group_id, Attempt.finished_at.is_(None), Attempt.created_at >= since)
    ) or 0


@dataclass(frozen=True)
class OrganisationPage:
    organisation: Organisation
    campaign: Campaign | None
    ranked: list[tuple[int, UnitRow]]


def organisation_page(org_id: object) -> OrganisationPage:
    org = get_organisation(org_id)
    campaign = db.session.get(Campaign, org.campaign_id) if org.campaign_id else None
    return OrganisationPage(org, campaign, boards.organisation_board(org.id))


@dataclass(frozen=True)
class CampaignPage:
    campaign: Campaign
    ranked: list[tuple[int, UnitRow]]


def campaign_page(campaign_id: object) -> CampaignPage:
    campaign = db.session.get(Campaign, campaign_id) if row_id(campaign_id) else None
    if campaign is None:
        raise NotFoundError("没有找到这个活动。")
    return CampaignPage(campaign, boards.campaign_board(campaign.id))
