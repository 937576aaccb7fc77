"""Configuration: defaults, then the instance file, then the environment, then test overrides."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"  # noqa: S105 - marker, refused in production

ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    APP_ENV = "production"
    SECRET_KEY = DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in by the factory (instance/app.db)
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {}
    SQLITE_BUSY_TIMEOUT_MS = 5000
    # PostgreSQL: generic plans for prepared (hot) statements; "" leaves the server's setting (app.database).
    POSTGRES_PLAN_CACHE_MODE = "force_generic_plan"
    # DATABASE_URL points at PgBouncer in transaction mode: no prepared statements, no session SET
    # (app.database.engine_options; README, "Several app hosts").
    POSTGRES_PGBOUNCER = False
    QUESTION_BANK_DIR = str(ROOT / "question_bank")
    AUDIO_DIR = str(ROOT / "audio")
    STATIC_DIR = str(ROOT / "static")
    MAX_CONTENT_LENGTH = 256 * 1024
    MAX_FORM_PARTS = 200
    # A quiz left open for hours must continue: the CSRF token lives as long as the session.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = True
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 30
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Secure is decided per request (see app.security.session): on over HTTPS, off on plain http.
    SESSION_COOKIE_SECURE = False
    CARE_COOKIE_MAX_AGE = 60 * 60 * 24 * 400
    # Rate limits. Learners share school and hospital IPs, so learner limits are keyed on the
    # participant or the attempt; the per-IP limit only stops floods and is generous.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "worker-memory://"  # app.ratelimit.storage: per worker, no timer thread
    RATELIMIT_PER_IP = "2000 per minute"
    RATELIMIT_START = "30 per minute"
    RATELIMIT_FIRST_START_PER_IP = "600 per minute"  # first starts share the school's IP
    RATELIMIT_ANSWER = "120 per minute"
    # Staff sign-in per IP: a whole school signs in from one address, so this only stops floods;
    # guessing is stopped per account (app.auth.services: lock after 5 failures, doubling to 1 h).
    RATELIMIT_LOGIN_PER_IP = "100 per minute"
    # Files (quiz files and rosters together) one signed-in account may upload: each is read within
    # the caps of app.bank.safe_files, and this bounds how often (app.dashboard.upload_quota).
    RATELIMIT_UPLOAD = "30 per hour"
    # PBKDF2-SHA256 rounds for new staff passwords (app.auth.passwords). Stored hashes keep their own
    # count and still verify; a weaker one is re-hashed at the next sign-in. Tests lower it.
    PASSWORD_HASH_ITERATIONS = 600_000
    # Dates and times on pages and exports, windows of assignments and "a day" of the best-of-N rule.
    LOCAL_TIMEZONE = "Asia/Shanghai"
    # Seconds a worker reuses a computed board (0: never). A finish, a pledge or a board edit clears
    # its own worker's boards at once; other workers follow within this time (app.leaderboard.cache).
    BOARD_CACHE_SECONDS = 2.0
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    TRUSTED_PROXIES = 0
    # Speech (app/tts). The chain is tried in order for each clip: the first engine with a file wins.
    TTS_ENGINES = ["gtts", "espeak"]
    TTS_LANGUAGES = ["zh-CN", "yue"]
    TTS_SLOW = False
    TTS_ON_DEMAND = False  # synthesise a missing clip in the request, local engine (espeak) only
    TTS_ENGINE_CLASSES: dict[str, str] = {}  # more engines by configuration: {"name": "module:Class"}
    TTS_GTTS_TLD = "com"
    TTS_GTTS_CONNECT_TIMEOUT = 5.0
    TTS_GTTS_READ_TIMEOUT = 20.0
    TTS_GTTS_THROTTLE = 1.0
    TTS_GTTS_RETRIES = 3
    TTS_GTTS_BACKOFF = 30.0
    TTS_GTTS_MAX_FAILURES = 3
    TTS_ESPEAK_BIN = "espeak-ng"
    TTS_ESPEAK_RATE = 175  # about 3.7 characters a second: calm; 慢速 on the phone plays at 0.8x
    TTS_ESPEAK_SLOW_RATE = 140
    TTS_ESPEAK_TIMEOUT = 60.0
    TTS_MP3_KBPS = 32
    TTS_MP3_QUALITY = 7


def _flag(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _names(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


# Settings that may come from the environment (the README documents each one).
ENV_SETTINGS: dict[str, Any] = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "AUDIO_DIR": str,
    "QUESTION_BANK_DIR": str,
    "APP_ENV": str,
    "RATELIMIT_STORAGE_URI": str,
    "RATELIMIT_ENABLED": _flag,
    "RATELIMIT_PER_IP": str,
    "RATELIMIT_START": str,
    "RATELIMIT_FIRST_START_PER_IP": str,
    "RATELIMIT_ANSWER": str,
    "RATELIMIT_LOGIN_PER_IP": str,
    "RATELIMIT_UPLOAD": str,
    "LOCAL_TIMEZONE": str,
    "PASSWORD_HASH_ITERATIONS": int,
    "TRUSTED_PROXIES": int,
    "BOARD_CACHE_SECONDS": float,
    "POSTGRES_PLAN_CACHE_MODE": str,
    "POSTGRES_PGBOUNCER": _flag,
    "TTS_ENGINES": _names,
    "TTS_LANGUAGES": _names,
    "TTS_ON_DEMAND": _flag,
    "TTS_SLOW": _flag,
}


WANTED = {int: "一个整数", float: "一个数字"}


def from_environment(environ: dict[str, str] | os._Environ[str]) -> dict[str, Any]:
    """Settings taken from environment variables (the documented list in ENV_SETTINGS). A value
    that cannot be read raises ValueError naming the variable (the app then refuses to start)."""
    found: dict[str, Any] = {}
    for name, cast in ENV_SETTINGS.items():
        raw = environ.get(name)
        if raw is None or raw == "":
            continue
        key = "SQLALCHEMY_DATABASE_URI" if name == "DATABASE_URL" else name
        try:
            found[key] = cast(raw)
        except ValueError:
            raise ValueError(f"环境变量 {name}={raw!r} 不对：应当是{WANTED.get(cast, '有效的值')}。") from None
    return found
