"""JSON API v1 (see ../shared/contract.md): bearer tokens, no cookies, so no CSRF.

One blueprint; its views live in app.api.routes (play) and app.api.boards (leaderboards), both
imported by the factory, which registers the blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")
