"""Rate-limit keys. Learners share school, hospital and community IPs, so their limits are keyed
on who they are (the session's participant or the attempt), never on the IP alone."""

from __future__ import annotations

from flask import current_app, request, session

# The settings that hold a limit ("120 per minute"), checked when the app starts.
LIMIT_SETTINGS = ("RATELIMIT_PER_IP", "RATELIMIT_START", "RATELIMIT_FIRST_START_PER_IP", "RATELIMIT_ANSWER",
                  "RATELIMIT_LOGIN_PER_IP", "RATELIMIT_UPLOAD")


def limit_setting(name: str) -> str:
    """The current app's limit named `name` (one of LIMIT_SETTINGS), a string like "120 per minute"."""
    return str(current_app.config[name])


def remote_address() -> str:
    """The client's address (behind TRUSTED_PROXIES, the one the proxy saw)."""
    return request.remote_addr or "127.0.0.1"


def learner_key() -> str:
    pid = session.get("pid")
    if pid:
        return f"participant:{pid}"
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return f"token:{auth[7:47]}"
    return f"ip:{remote_address()}"


def attempt_key() -> str:
    attempt_id = (request.view_args or {}).get("attempt_id", "")
    return f"attempt:{str(attempt_id)[:32]}"


def start_limit() -> str:
    """Someone we know (a participant, a token) gets the personal limit; a first start has only the
    school's shared IP to go on, so that key gets a limit a whole class starting at once fits in."""
    if learner_key().startswith("ip:"):
        return limit_setting("RATELIMIT_FIRST_START_PER_IP")
    return limit_setting("RATELIMIT_START")


def answer_limit() -> str:
    return limit_setting("RATELIMIT_ANSWER")


def ip_limit() -> str:
    return limit_setting("RATELIMIT_PER_IP")
