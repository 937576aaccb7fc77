"""Board pages: /g/<join_code> (join and class board), /o/<id> and /c/<id>."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("boards", __name__)
