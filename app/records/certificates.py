"""Completion certificates: issued once per passed attempt, checked by anyone with the code."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select

from app.database import add_with_fresh_code
from app.extensions import db
from app.groups.codes import ALPHABET
from app.groups.models import Group, Organisation, RosterEntry
from app.quiz.finishing import score_of
from app.quiz.models import Attempt
from app.records.errors import CertificateNotFound, NotCounted, NotFinished, NotPassed
from app.records.models import Certificate

CODE_LENGTH = 10
_CODE_RE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def display_code(code: str) -> str:
    """Printed as two groups of five (ACD3F-GH7KM); typed with or without the dash."""
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def clean_code(raw: object) -> str | None:
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    code = re.sub(r"[\s-]", "", raw).upper()
    return code if _CODE_RE.fullmatch(code) else None


def certificate_of(attempt: Attempt) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.attempt_id == attempt.id))


def by_code(raw: object) -> Certificate:
    code = clean_code(raw)
    found = db.session.scalar(select(Certificate).where(Certificate.code == code)) if code else None
    if found is None:
        raise CertificateNotFound()
    return found


def holder_and_unit(attempt: Attempt) -> tuple[str, str]:
    """Who the certificate names: the roster name for a confirmed staff member, otherwise the
    nickname (students only ever appear by nickname); the unit is organisation + group."""
    holder, unit = attempt.nickname, ""
    if attempt.roster_entry_id is not None:
        entry = db.session.get(RosterEntry, attempt.roster_entry_id)
        if entry is not None:
            holder = entry.name
    if attempt.group_id is not None:
        row = db.session.execute(
            select(Organisation.name, Group.name)
            .join(Group, Group.organisation_id == Organisation.id)
            .where(Group.id == attempt.group_id)
        ).first()
        if row is not None:
            unit = f"{row[0]} {row[1]}"
    return holder[:40], unit[:130]


def issue(attempt: Attempt) -> Certificate:
    """The attempt's certificate, made on the first call (one per attempt, whoever races)."""
    existing = certificate_of(attempt)
    if existing is not None:
        return existing
    if not attempt.finished:
        raise NotFinished()
    score = score_of(attempt)
    if not score.passed:
        raise NotPassed()
    if attempt.counted is False:
        raise NotCounted(attempt.count_note)
    holder, unit = holder_and_unit(attempt)
    attempt_id, title = attempt.id, attempt.quiz.title[:100]
    return add_with_fresh_code(
        db.session,
        lambda: Certificate(code=new_code(), attempt_id=attempt_id, holder=holder, unit=unit, quiz_title=title,
                            score=score.score, total=score.total),
        made_already=lambda: certificate_of(attempt),  # a double tap won the race: show that one
        message="暂时无法生成证书编号，请稍后再试。",
    )
