"""Device cookies: a browser that has signed in to an account is recognised when it signs in to that
account again, so the sign-in throttle (app.auth.throttle) counts its failures apart from everyone
else's. Whoever guesses at an account from the same school IP never locks its owner out of the
browsers the owner already uses.

The cookie is a signed (itsdangerous, the app's secret key) pair of a digest of the account's email
and a random device id; it proves nothing but "this browser signed in to this address before" and
opens nothing: it only picks the throttle's counter. It is HttpOnly, SameSite=Lax, Secure and
`__Host-` prefixed over HTTPS, and lasts MAX_AGE from the last sign-in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "staff-device"
MAX_AGE = timedelta(days=180)
COOKIE = "fzkt_device"
SECURE_COOKIE = "__Host-fzkt_device"


def cookie_name(secure: bool) -> str:
    return SECURE_COOKIE if secure else COOKIE


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt=SALT)


def _digest(email: str) -> str:
    return hashlib.sha256(email.encode("utf-8")).hexdigest()[:32]


def device_id(token: object, email: str) -> str | None:
    """The device id in a cookie issued to this email address, or None (no cookie, another address,
    expired, tampered with)."""
    if not isinstance(token, str) or not token or len(token) > 300:
        return None
    try:
        payload = _serializer().loads(token, max_age=int(MAX_AGE.total_seconds()))
    except BadSignature:  # also SignatureExpired, a subclass
        return None
    if not isinstance(payload, dict) or payload.get("e") != _digest(email):
        return None
    device = payload.get("d")
    return device if isinstance(device, str) and len(device) == 32 else None


def issue(email: str, previous: object = None) -> str:
    """A fresh cookie value for this address: the same device id as the cookie the browser sent when
    that was for the same address, else a new one."""
    device = device_id(previous, email) or secrets.token_hex(16)
    return _serializer().dumps({"e": _digest(email), "d": device})
