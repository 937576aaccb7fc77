"""长辈版 (care mode): a remembered preference kept in its own long-lived cookie."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.wrappers import Response

COOKIE = "care"


def care_mode() -> bool:
    return request.cookies.get(COOKIE) == "1"


def remember(response: Response, on: bool) -> Response:
    response.set_cookie(
        COOKIE,
        "1" if on else "0",
        max_age=current_app.config["CARE_COOKIE_MAX_AGE"],
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response
