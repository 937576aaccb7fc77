"""The size of a request line and of its headers, refused by the app in the contract's shape.

gunicorn refuses an over-long request line or header itself, with an HTML page, before the app
sees the request. `gunicorn.conf.py` therefore sets gunicorn's limits above these, so that the
common oversize cases (a long query string, a browser carrying too many cookies) reach the app,
which answers 414 or 431 as JSON under /api/ and as a Chinese page elsewhere. Only requests
beyond gunicorn's own, higher limits (or malformed HTTP) still get gunicorn's HTML answer.
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import RequestHeaderFieldsTooLarge, RequestURITooLarge

MAX_URL_BYTES = 4096  # path and query string, as sent (gunicorn's default request line is 4094)
MAX_HEADER_FIELDS = 100  # gunicorn's default
MAX_HEADER_FIELD_BYTES = 8190  # one field, name and value (gunicorn's default)
# What gunicorn.conf.py sets (tests/api/test_gunicorn_limits.py checks they agree): beyond these
# gunicorn answers itself, in HTML.
GUNICORN_REQUEST_LINE = 8190  # gunicorn's maximum
GUNICORN_HEADER_FIELDS = 200
GUNICORN_HEADER_FIELD_BYTES = 16384


def refuse_oversize() -> None:
    """before_request: 414 for a URL over MAX_URL_BYTES, 431 for too many or too large header fields."""
    environ = request.environ
    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    url_bytes = len(uri) if uri else len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) + 1
    if url_bytes > MAX_URL_BYTES:
        raise RequestURITooLarge()
    fields = 0
    for key, value in environ.items():
        # Headers are HTTP_* (the name without its prefix), plus Content-Type and Content-Length.
        if key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            fields += 1
            if len(key) + len(value) > MAX_HEADER_FIELD_BYTES:
                raise RequestHeaderFieldsTooLarge()
    if fields > MAX_HEADER_FIELDS:
        raise RequestHeaderFieldsTooLarge()
