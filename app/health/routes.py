"""GET /healthz (app.health): JSON, never cached; 503 when the database does not answer."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from app.health import check

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    health = check(current_app._get_current_object())  # type: ignore[attr-defined]  # a proxy, typed as the Flask it stands for
    return jsonify(health.body), health.status
