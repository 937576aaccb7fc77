"""Board pages: /g/<join_code> (join and the class board), /o/<id> (organisation), /c/<id> (campaign)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from app.errors import DomainError, show_on_form
from app.extensions import db, limiter
from app.groups.codes import display
from app.groups.rates import sign_rate
from app.leaderboard import pages
from app.leaderboard.forms import JoinForm
from app.leaderboard.presenters import duration, local, percent
from app.quiz.players import remember_player, this_participant
from app.ratelimit.keys import learner_key, start_limit

bp = Blueprint("boards", __name__)


@bp.route("/g/<join_code>", methods=["GET", "POST"])
@limiter.limit(start_limit, key_func=learner_key, methods=["POST"])
def group_page(join_code: str) -> Response | str | tuple[str, int]:
    group, org = pages.group_by_code(join_code)
    if join_code != group.join_code:
        return redirect(url_for("boards.group_page", join_code=group.join_code), code=301)
    form = JoinForm()
    if not form.is_submitted():
        form.nickname.data = session.get("nickname", "")
    status = 200
    if form.validate_on_submit():
        try:
            started = pages.join(group, form.nickname.data, this_participant(), form.staff_no.data,
                                 form.staff_name.data)
        except DomainError as exc:
            db.session.rollback()
            if not show_on_form(form, exc):
                raise
        else:
            remember_player(started.attempt)
            return redirect(url_for("quiz.question", attempt_id=started.attempt.id, n=1), code=303)
        status = 422
    shown = pages.group_page(group)
    page = render_template(
        "leaderboard/group.html", group=group, org=org, words=org.words, code=display(group.join_code), form=form,
        board=shown.board, sign_rate=sign_rate(group.pledges, group.size), quiz=shown.quiz, note=shown.note,
        playing=shown.playing, local=local, duration=duration, percent=percent,
    )
    return (page, status) if status != 200 else page


@bp.get("/o/<int:org_id>")
def organisation_page(org_id: int) -> str:
    shown = pages.organisation_page(org_id)
    return render_template("leaderboard/organisation.html", org=shown.organisation, words=shown.organisation.words,
                           campaign=shown.campaign, ranked=shown.ranked, local=local, percent=percent)


@bp.get("/c/<int:campaign_id>")
def campaign_page(campaign_id: int) -> str:
    shown = pages.campaign_page(campaign_id)
    return render_template("leaderboard/campaign.html", campaign=shown.campaign, ranked=shown.ranked, local=local,
                           percent=percent)
