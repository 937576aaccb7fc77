"""Password hashing: PBKDF2-SHA256 with 600 000 iterations (werkzeug's format, salted per password)."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

METHOD = "pbkdf2:sha256:600000"
MIN_LENGTH = 10
# A real hash of a random password, checked when the account does not exist, so a wrong email
# takes as long as a wrong password (no account enumeration by timing).
_DUMMY: str | None = None  # made on first use (no work at import time)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=METHOD)


def check_password(stored: str | None, password: str) -> bool:
    global _DUMMY
    if stored is None:
        if _DUMMY is None:
            _DUMMY = hash_password("not-a-real-password-0")
        check_password_hash(_DUMMY, password)
        return False
    return check_password_hash(stored, password)


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password is not acceptable, in words; None when it is."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位。"
    if len(password) > 200:
        return "密码最多 200 位。"
    if len(set(password)) < 4:
        return "密码太简单了，请混用不同的字母、数字或符号。"
    if email and email.split("@")[0].lower() in password.lower() and len(email.split("@")[0]) >= 3:
        return "密码不能包含邮箱名。"
    return None
