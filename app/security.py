"""Security headers, a strict CSP, per-request Secure cookies, trusted proxies, and the one check
of a redirect target (`safe_next`)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Flask, Request, Response, has_request_context, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    # Same-origin Referer is kept: Flask-WTF's strict HTTPS check needs it.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), browsing-topics=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


NEXT_LIMIT = 500  # characters: a return path longer than this is not one of ours


def safe_next(target: object) -> str | None:
    """A same-site path to go to after a form (sign-in, 长辈版, voice), or None for anything else.

    Refused: anything not starting with exactly one slash (so `//x` and `https://x`); a backslash
    anywhere (browsers read slash-backslash-x as `//x`); any whitespace or control character
    anywhere (browsers drop a tab or newline, so slash-tab-slash-x becomes `//x`, and a newline in a
    Location header is a 500); and a path whose compatibility form (NFKC, where a full-width slash
    is a slash) starts with `//` or holds a backslash."""
    if not isinstance(target, str) or not target or len(target) > NEXT_LIMIT:
        return None
    if any(ch.isspace() or unicodedata.category(ch)[0] in "CZ" for ch in target):
        return None
    for form in (target, unicodedata.normalize("NFKC", target)):
        if not form.startswith("/") or form.startswith("//") or "\\" in form:
            return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


class SessionInterface(SecureCookieSessionInterface):
    """Cookies are Secure (and __Host- prefixed) whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or (has_request_context() and request.is_secure))

    def get_cookie_name(self, app: Flask) -> str:
        return "__Host-fzkt" if self.get_cookie_secure(app) else "fzkt"

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Without a session cookie (every API call, a first visit) start an empty session
        straight away, before building the signing serializer that only a cookie needs."""
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


_HEADERS_BY_KEY = [(name.lower(), name, value) for name, value in HEADERS.items()]


def _headers(response: Response) -> Response:
    # One pass over the response's own headers: asking werkzeug for an absent header one at a time
    # raises (and builds) an HTTP exception per header: 4 % of a question fetch.
    present = {name.lower() for name in response.headers.keys()}
    added = [(name, value) for key, name, value in _HEADERS_BY_KEY if key not in present]
    if request.is_secure and "strict-transport-security" not in present:
        added.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    if "cache-control" not in present and request.endpoint not in {"static.file"}:
        # Quiz pages, results and the API are per person; WeChat's browser caches aggressively.
        added.append(("Cache-Control", "no-store"))
    response.headers.extend(added)
    return response


def install(app: Flask) -> None:
    app.session_interface = SessionInterface()
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]  # Flask's documented way to add WSGI middleware
    app.after_request(_headers)
