"""`/healthz` for load balancers and operators: is this host able to serve, and what does it run.

One read of the database (the schema revision, which also shows that every host runs the same
migrations), a ping of the shared rate-limit storage when there is one, a look at the audio store,
and the app's version. Nothing secret: no URLs, host names or error texts (those go to the log).

Only the database decides the status code (503 without it: nothing can be played). Redis down or
the audio store out of reach is reported as "degraded" with 200: learners go on (limits fail open,
the phone reads aloud itself), and taking every host out of the balancer would stop them.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.config import ROOT
from app.extensions import db, limiter
from app.tts.settings import audio_dir

log = logging.getLogger(__name__)


@cache
def version() -> str:
    """The version in pyproject.toml, read once per process (on the first health check)."""
    try:
        with open(ROOT / "pyproject.toml", "rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


@dataclass(frozen=True)
class Health:
    body: dict[str, Any]
    status: int


def _database() -> dict[str, Any]:
    backend = db.engine.dialect.name
    try:
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.warning("health: the database does not answer: %s", exc)
        return {"status": "down", "backend": backend}
    if revision is None:
        return {"status": "not migrated", "backend": backend}
    return {"status": "ok", "backend": backend, "revision": revision}


def _redis(app: Flask) -> dict[str, Any]:
    answers = limiter.shared_storage_answers(app)
    if answers is None:
        return {"status": "not used"}
    return {"status": "ok" if answers else "down"}


def _audio(app: Flask) -> dict[str, Any]:
    root = audio_dir(app.config)
    if not root.is_dir():
        return {"status": "missing"}
    if not os.access(root, os.R_OK | os.X_OK):
        return {"status": "unreadable"}
    return {"status": "ok"}


def check(app: Flask) -> Health:
    database, redis, audio = _database(), _redis(app), _audio(app)
    if database["status"] != "ok":
        overall, code = "down", 503
    elif redis["status"] == "down" or audio["status"] != "ok":
        overall, code = "degraded", 200
    else:
        overall, code = "ok", 200
    body = {"status": overall, "version": version(), "database": database, "redis": redis, "audio": audio}
    return Health(body, code)
