"""Static files from the repository's static/ folder, with content-hashed URLs.

`asset_url('css/app.css')` gives `/static/css/app.css?v=<hash>`; a request carrying the current
hash is cached for a year, so phones never run stale code and never re-download unchanged files.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, request, send_from_directory, url_for

bp = Blueprint("static", __name__)


@cache
def _digest(root: str, filename: str) -> str:
    path = Path(root) / filename
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    root = current_app.config["STATIC_DIR"]
    return url_for("static.file", filename=filename, v=_digest(root, filename))


@bp.get("/static/<path:filename>")
def file(filename: str) -> Response:
    root = current_app.config["STATIC_DIR"]
    response = send_from_directory(root, filename, max_age=0)
    version = request.args.get("v")
    if version and version == _digest(root, filename):
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response
