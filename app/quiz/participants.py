"""Who plays: a participant is a phone or app install, known by a key it keeps (never a name)."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select

from app.extensions import db
from app.quiz.models import Participant

KEY_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def is_key(value: object) -> bool:
    """Ids in URLs and JSON: short, URL-safe, no NUL bytes or other characters a database rejects."""
    return isinstance(value, str) and KEY_RE.match(value) is not None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_participant() -> tuple[Participant, str]:
    key = secrets.token_urlsafe(24)
    participant = Participant(key_hash=token_hash(key))
    db.session.add(participant)
    db.session.flush()
    return participant, key


def participant_by_key(key: object) -> Participant | None:
    if not isinstance(key, str) or not 8 <= len(key) <= 100:
        return None
    return db.session.scalar(select(Participant).where(Participant.key_hash == token_hash(key)))
