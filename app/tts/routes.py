"""GET /audio/<key>.mp3: content-addressed clips, cached for a year, with Range and ETags.

Only a 32-character lowercase hex key of an existing file is served; everything else is 404.
The file name is the key and the key is a hash of the content, so the response never changes
(`immutable`). Flask answers Range with 206 (iOS Safari needs it) and If-None-Match with 304.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, send_from_directory

from app.tts.keys import is_key
from app.tts.settings import audio_dir

bp = Blueprint("tts", __name__)

ONE_YEAR = 31536000


@bp.get("/audio/<key>.mp3")
def audio(key: str) -> Response:
    if not is_key(key):
        abort(404)
    directory = audio_dir(current_app.config) / key[:2]
    response = send_from_directory(directory, f"{key}.mp3", mimetype="audio/mpeg", conditional=True, max_age=ONE_YEAR)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
