"""Password hashing: PBKDF2-SHA256 in werkzeug's format, salted per password.

The number of rounds is the PASSWORD_HASH_ITERATIONS setting (600 000 by default, the OWASP figure
for PBKDF2-SHA256); the test app lowers it. A stored hash names its own method and rounds, so
hashes made under another setting still verify, and a weaker one is upgraded at the next sign-in.

A new password must not be one of the most common passwords (ASVS V2.1.7): the list is
`data/common-passwords.txt.gz`, vendored from Django (see `data/README.md` for its source, version and
licence), read once per process on the first password set, never at start-up.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

DEFAULT_ITERATIONS = 600_000
MIN_LENGTH = 10
COMMON_PASSWORDS = Path(__file__).with_name("data") / "common-passwords.txt.gz"
# A real hash of a random password per rounds setting, checked when the account does not exist, so
# a wrong email takes as long as a wrong password (no account enumeration by timing).
_DUMMY: dict[str, str] = {}  # made on first use (no work at import time)


def method() -> str:
    """werkzeug's method string for new hashes, e.g. pbkdf2:sha256:600000."""
    rounds = current_app.config["PASSWORD_HASH_ITERATIONS"] if has_app_context() else DEFAULT_ITERATIONS
    return f"pbkdf2:sha256:{int(rounds)}"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=method())


def needs_rehash(stored: str) -> bool:
    """Whether a stored hash is weaker than new ones (another method, or fewer rounds)."""
    parts = stored.split("$", 1)[0].split(":")  # "pbkdf2:sha256:600000$salt$hash"
    wanted = method().split(":")
    if parts[:2] != wanted[:2] or len(parts) != 3 or not parts[2].isdigit():
        return True
    return int(parts[2]) < int(wanted[2])


def check_password(stored: str | None, password: str) -> bool:
    if stored is None:
        current = method()
        if current not in _DUMMY:
            _DUMMY[current] = hash_password("not-a-real-password-0")
        check_password_hash(_DUMMY[current], password)
        return False
    return check_password_hash(stored, password)


@cache
def common_passwords() -> frozenset[str]:
    """The common-password list, lower case (as the list is), one set per process."""
    import gzip  # only when a password is set, never in a request that only signs in

    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(word for line in lines if (word := line.strip()))


def is_common(password: str) -> bool:
    """Whether the password, ignoring case and surrounding spaces, is on the common-password list."""
    return password.strip().lower() in common_passwords()


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password is not acceptable, in words; None when it is."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位。"
    if len(password) > 200:
        return "密码最多 200 位。"
    if is_common(password):
        return "这个密码是最常见的密码之一，很容易被猜中，请换一个（比如用几个词组成的一句话）。"
    if len(set(password)) < 4:
        return "密码太简单了，请混用不同的字母、数字或符号。"
    if email and email.split("@")[0].lower() in password.lower() and len(email.split("@")[0]) >= 3:
        return "密码不能包含邮箱名。"
    return None
