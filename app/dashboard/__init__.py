"""Teachers and organisers manage their organisations, groups, assignments, rosters and own quizzes.

The blueprint is made here; views on it live in routes, group_routes, roster_routes, assignment_routes
and upload_routes, each imported by the factory."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/manage")
