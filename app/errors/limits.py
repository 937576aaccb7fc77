"""The size of a request line and of its headers, refused by the app in the contract's shape.

gunicorn refuses an over-long request line or header itself, with an HTML page, before the app
sees the request. `gunicorn.conf.py` therefore sets gunicorn's limits above these, so that the
common oversize cases (a long query string, a browser carrying too many cookies, a client adding
headers) reach the app, which answers 414 or 431 as JSON under /api/ and as a Chinese page elsewhere.
Only requests beyond gunicorn's own, higher limits (or malformed HTTP) still get gunicorn's HTML
answer. Another header between 8 190 and 16 384 bytes is simply served: nothing in the app reads it.
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import RequestHeaderFieldsTooLarge, RequestURITooLarge

MAX_URL_BYTES = 4096  # path and query string, as sent (gunicorn's default request line is 4094)
MAX_HEADER_FIELDS = 100  # gunicorn's default
MAX_COOKIE_BYTES = 8190  # the Cookie header, the one that grows by itself (gunicorn's default field size)
# What gunicorn.conf.py sets (tests/api/test_gunicorn_limits.py checks they agree): beyond these
# gunicorn answers itself, in HTML.
GUNICORN_REQUEST_LINE = 8190  # gunicorn's maximum
GUNICORN_HEADER_FIELDS = 200
GUNICORN_HEADER_FIELD_BYTES = 16384


def refuse_oversize() -> None:
    """before_request: 414 for a URL over MAX_URL_BYTES; 431 for more than MAX_HEADER_FIELDS header fields
    or a Cookie header over MAX_COOKIE_BYTES. A few dictionary lookups on every request: the fields are
    counted only when the environ is already larger than that many entries."""
    environ = request.environ
    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    url_bytes = len(uri) if uri else len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) + 1
    if url_bytes > MAX_URL_BYTES:
        raise RequestURITooLarge()
    if len(environ.get("HTTP_COOKIE", "")) > MAX_COOKIE_BYTES:
        raise RequestHeaderFieldsTooLarge()
    if len(environ) > MAX_HEADER_FIELDS:
        # Headers are HTTP_* entries, plus Content-Type and Content-Length.
        fields = sum(1 for key in environ if key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH"))
        if fields > MAX_HEADER_FIELDS:
            raise RequestHeaderFieldsTooLarge()
