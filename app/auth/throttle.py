"""The sign-in throttle: it slows a password guesser down without locking the owner out, and answers
the same whether or not an account has the email address typed.

Failures are counted per email address *and client*. The client is the browser when it carries a
device cookie from an earlier sign-in to that same address (app.auth.devices), and otherwise the IP
address. After LOCK_AFTER failures in a row that pair waits LOCK_FIRST, doubling with each further
failure up to LOCK_MAX; a success clears it, and failures a day old are forgotten. So someone who
knows a teacher's address can only lock themselves out: the teacher signs in from another address,
and from any browser they signed in with before even on the guesser's address (a whole school shares
one IP). An address no account has is counted and locked exactly like one that exists, so neither
the answer (401, then 429) nor its timing tells which addresses have accounts.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, delete, select, update

from app.auth.devices import device_id
from app.auth.errors import AccountLocked
from app.auth.models import LoginThrottle
from app.database import insert_or_ignore, table_of
from app.extensions import db

LOCK_AFTER = 5
LOCK_FIRST = timedelta(minutes=1)
LOCK_MAX = timedelta(hours=1)
FORGET_AFTER = timedelta(days=1)  # failures older than this no longer count

_throttles = table_of(LoginThrottle)


@dataclass(frozen=True)
class Client:
    """Who is signing in, as the request shows it: the IP address and the device cookie (if any)."""

    address: str
    device: str | None = None


def lock_length(failures: int) -> timedelta | None:
    if failures < LOCK_AFTER:
        return None
    doubling: int = 2 ** min(failures - LOCK_AFTER, 12)  # a whole number: the exponent is never negative
    return min(LOCK_FIRST * doubling, LOCK_MAX)


def key_of(email: str, client: Client) -> str:
    """The throttle's key for this address and client: an HMAC under the secret key, so the table
    holds neither the address nor the IP."""
    device = device_id(client.device, email)
    who = f"device:{device}" if device else f"ip:{client.address}"
    secret = current_app.secret_key
    secret_bytes = secret if isinstance(secret, bytes) else str(secret or "").encode("utf-8")
    return hmac.new(secret_bytes, f"login\0{email}\0{who}".encode(), hashlib.sha256).hexdigest()


def check(key: str, now: datetime) -> None:
    """Raise AccountLocked while this address and client wait."""
    locked_until = db.session.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.key == key))
    if locked_until is not None and locked_until > now:
        raise AccountLocked(locked_until, now)


def record_failure(key: str, now: datetime) -> None:
    """Count a failure (one UPDATE: racing guesses cannot both read the same count) and lock from the
    LOCK_AFTER-th on, raising AccountLocked. Commits."""
    db.session.execute(insert_or_ignore(db.session.connection(), _throttles, ["key"], key=key, failures=0,
                                        last_failure_at=now))
    stale = _throttles.c.last_failure_at < now - FORGET_AFTER
    failures = db.session.execute(
        update(_throttles).where(_throttles.c.key == key)
        .values(failures=case((stale, 1), else_=_throttles.c.failures + 1), last_failure_at=now)
        .returning(_throttles.c.failures)
    ).scalar_one()
    length = lock_length(failures)
    if length is not None:
        db.session.execute(update(_throttles).where(_throttles.c.key == key).values(locked_until=now + length))
    _forget_old(now)
    db.session.commit()
    if length is not None:
        raise AccountLocked(now + length, now)


def clear(key: str) -> None:
    """A success: this address and client start afresh (the caller commits)."""
    db.session.execute(delete(_throttles).where(_throttles.c.key == key))


def _forget_old(now: datetime) -> None:
    """Rows whose failures no longer count (their lock, at most LOCK_MAX, is long over): the table
    stays small."""
    db.session.execute(delete(_throttles).where(_throttles.c.last_failure_at < now - FORGET_AFTER))
