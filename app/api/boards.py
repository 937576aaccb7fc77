"""JSON API v1: leaderboards (public, read-only; no answer or person data beyond nicknames)."""

from __future__ import annotations

from flask import jsonify
from werkzeug.wrappers import Response

from app.api import bp
from app.database import autocommit
from app.errors import NotFoundError
from app.extensions import db
from app.groups.codes import clean_join_code
from app.groups.errors import GroupNotFound, InvalidJoinCode, OrganisationNotFound
from app.leaderboard import boards
from app.leaderboard.presenters import class_entries, unit_entry


@bp.get("/v1/groups/<join_code>/leaderboard")
def group_leaderboard(join_code: str) -> Response:
    try:
        code = clean_join_code(join_code)
    except InvalidJoinCode:
        raise GroupNotFound() from None
    found = boards.class_board_by_code(code, before_query=_autocommit) if code else None
    if found is None:
        raise GroupNotFound()
    group, board = found
    return jsonify(
        group={"name": group.name, "organisation": group.organisation, "size": group.size,
               "participants": board.participants, "families": group.families, "pledges": group.pledges},
        entries=class_entries(board),
    )


@bp.get("/v1/organisations/<int:org_id>/leaderboard")
def organisation_leaderboard(org_id: int) -> Response:
    board = boards.organisation_board_of(org_id, before_query=_autocommit)
    if board is None:
        raise OrganisationNotFound()
    return jsonify(
        organisation={"id": board.unit_id, "name": board.name, "kind": board.kind},
        entries=[dict(unit_entry(rank, row), group=row.name) for rank, row in board.ranked],
    )


@bp.get("/v1/campaigns/<int:campaign_id>/leaderboard")
def campaign_leaderboard(campaign_id: int) -> Response:
    board = boards.campaign_board_of(campaign_id, before_query=_autocommit)
    if board is None:
        raise NotFoundError("没有找到这个活动。")
    return jsonify(
        campaign={"id": board.unit_id, "name": board.name},
        entries=[dict(unit_entry(rank, row), organisation=row.name) for rank, row in board.ranked],
    )


def _autocommit() -> None:
    autocommit(db.session)
