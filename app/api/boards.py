"""JSON API v1: leaderboards (public, read-only; no answer or person data beyond nicknames)."""

from __future__ import annotations

from flask import jsonify
from werkzeug.wrappers import Response

from app.api.routes import bp
from app.extensions import db
from app.groups.errors import GroupNotFound
from app.groups.models import Campaign
from app.groups.services import get_organisation
from app.leaderboard import boards
from app.leaderboard.presenters import class_entries, unit_entry
from app.quiz import services
from app.quiz.errors import InvalidJoinCode, NotFound


@bp.get("/v1/groups/<join_code>/leaderboard")
def group_leaderboard(join_code: str) -> Response:
    services.read_only()
    try:
        code = services.clean_join_code(join_code)
    except InvalidJoinCode:
        raise GroupNotFound() from None
    found = boards.group_with_organisation(code) if code else None
    if found is None:
        raise GroupNotFound()
    board = boards.class_board(*found)
    group, org = found
    return jsonify(
        group={"name": group.name, "organisation": org.name, "size": group.size,
               "participants": board.participants, "families": group.families, "pledges": group.pledges},
        entries=class_entries(board),
    )


@bp.get("/v1/organisations/<int:org_id>/leaderboard")
def organisation_leaderboard(org_id: int) -> Response:
    services.read_only()
    org = get_organisation(org_id)
    return jsonify(
        organisation={"id": org.id, "name": org.name, "kind": org.kind},
        entries=[dict(unit_entry(rank, row), group=row.name) for rank, row in boards.organisation_board(org.id)],
    )


@bp.get("/v1/campaigns/<int:campaign_id>/leaderboard")
def campaign_leaderboard(campaign_id: int) -> Response:
    services.read_only()
    campaign = db.session.get(Campaign, campaign_id) if 0 < campaign_id < 2**31 else None
    if campaign is None:
        raise NotFound("没有找到这个活动。")
    return jsonify(
        campaign={"id": campaign.id, "name": campaign.name},
        entries=[dict(unit_entry(rank, row), organisation=row.name) for rank, row in boards.campaign_board(campaign.id)],
    )
