"""Sign-in pages for teachers, organisers and admins."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/staff")
