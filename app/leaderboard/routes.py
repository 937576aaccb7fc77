"""Board pages: /g/<join_code> (join and the class board), /o/<id> (organisation), /c/<id> (campaign)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, session, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.database import row_id, utcnow
from app.errors import DomainError, show_on_form
from app.extensions import db, limiter
from app.groups.codes import clean_join_code, display
from app.groups.counting import round_for
from app.groups.errors import GroupNotFound, InvalidJoinCode
from app.groups.membership import group_context
from app.groups.models import Campaign, Organisation
from app.groups.rates import sign_rate
from app.groups.services import get_organisation, play_quiz
from app.leaderboard import boards
from app.leaderboard.forms import JoinForm
from app.leaderboard.presenters import duration, local, percent
from app.quiz import services as quiz
from app.quiz.models import Attempt
from app.quiz.players import remember_player, this_participant
from app.ratelimit.keys import learner_key, start_limit

bp = Blueprint("boards", __name__)
PLAYING_WINDOW_MINUTES = 120


def _group(join_code: str) -> tuple[boards.Group, Organisation]:
    try:
        code = clean_join_code(join_code)
    except InvalidJoinCode:
        raise GroupNotFound() from None
    found = boards.group_with_organisation(code) if code else None
    if found is None:
        raise GroupNotFound()
    return found


@bp.route("/g/<join_code>", methods=["GET", "POST"])
@limiter.limit(start_limit, key_func=learner_key, methods=["POST"])
def group_page(join_code: str) -> Response | str | tuple[str, int]:
    group, org = _group(join_code)
    if join_code != group.join_code:
        return redirect(url_for("boards.group_page", join_code=group.join_code), code=301)
    quiz_id = play_quiz(group)
    form = JoinForm()
    if not form.is_submitted():
        form.nickname.data = session.get("nickname", "")
    status = 200
    if form.validate_on_submit():
        try:
            participant = this_participant()
            context = group_context(group, quiz.get_quiz(quiz_id), participant, form.staff_no.data,
                                    form.staff_name.data)
            started = quiz.start_attempt(quiz_id, form.nickname.data, participant, context)
        except DomainError as exc:
            db.session.rollback()
            if not show_on_form(form, exc):
                raise
        else:
            remember_player(started.attempt)
            return redirect(url_for("quiz.question", attempt_id=started.attempt.id, n=1), code=303)
        status = 422
    board = boards.class_board(group)
    found = round_for(group, quiz_id, utcnow())
    page = render_template(
        "leaderboard/group.html", group=group, org=org, words=org.words, code=display(group.join_code), form=form,
        board=board, sign_rate=sign_rate(group.pledges, group.size),
        quiz=quiz.get_quiz(quiz_id), note=found.reason, playing=_playing(group.id), local=local,
        duration=duration, percent=percent,
    )
    return (page, status) if status != 200 else page


def _playing(group_id: int) -> int:
    """People answering right now (started in the last two hours, not finished): a live sign for the class."""
    from datetime import timedelta

    since = utcnow() - timedelta(minutes=PLAYING_WINDOW_MINUTES)
    return db.session.scalar(
        select(func.count()).select_from(Attempt)
        .where(Attempt.group_id == group_id, Attempt.finished_at.is_(None), Attempt.created_at >= since)
    ) or 0


@bp.get("/o/<int:org_id>")
def organisation_page(org_id: int) -> str:
    org = get_organisation(org_id)
    campaign = db.session.get(Campaign, org.campaign_id) if org.campaign_id else None
    return render_template("leaderboard/organisation.html", org=org, words=org.words, campaign=campaign,
                           ranked=boards.organisation_board(org.id), local=local, percent=percent)


@bp.get("/c/<int:campaign_id>")
def campaign_page(campaign_id: int) -> str:
    campaign = db.session.get(Campaign, campaign_id) if row_id(campaign_id) else None
    if campaign is None:
        abort(404)
    return render_template("leaderboard/campaign.html", campaign=campaign,
                           ranked=boards.campaign_board(campaign.id), local=local, percent=percent)
