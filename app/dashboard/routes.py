"""Group and organisation management pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/manage")


def _attach_feature_views() -> None:
    """Views kept in their own modules attach to this blueprint (imported here, not at their import)."""
    from app.dashboard import upload_routes  # noqa: F401


_attach_feature_views()
