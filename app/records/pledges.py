"""Signing 《拒绝电信诈骗承诺书》: a typed name or a drawn signature, once per attempt and once per
person in a group; the group's pledge counter moves in the same transaction as the first one."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.groups.kinds import kind_of
from app.groups.members import family_member_key, member_key
from app.groups.models import Group, Organisation
from app.quiz.models import Attempt
from app.quiz.nickname import clean_nickname
from app.records.errors import InvalidSigner, NotFinished
from app.records.models import Pledge
from app.records.signature import clean_path

MAX_SIGNER = 20


def is_school(attempt: Attempt) -> bool:
    """Played with the join code of a unit of minors (a school class): the signer signs with a
    nickname, and can bring a family link home (app.groups.kinds)."""
    if attempt.group_id is None:
        return False
    kind = db.session.scalar(
        select(Organisation.kind).join(Group, Group.organisation_id == Organisation.id).where(Group.id == attempt.group_id)
    )
    return kind is not None and kind_of(kind).minors


def member_key_of(attempt: Attempt) -> str:
    if attempt.family_link_id is not None:
        return family_member_key(attempt.family_link_id, attempt.participant_id)
    return attempt.member_key or member_key(attempt.participant_id)


def pledge_of(attempt: Attempt) -> Pledge | None:
    """This attempt's pledge, or the one its person already signed in the same group (or family)."""
    own = db.session.scalar(select(Pledge).where(Pledge.attempt_id == attempt.id))
    if own is not None:
        return own
    group = Pledge.group_id.is_(None) if attempt.group_id is None else Pledge.group_id == attempt.group_id
    return db.session.scalar(
        select(Pledge).where(group, Pledge.member_key == member_key_of(attempt)).order_by(Pledge.id).limit(1)
    )


def clean_signer(raw: object, school: bool) -> str:
    """A typed signature ("" when none). School pupils write a nickname, cleaned like one."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ""
    if school:
        return clean_nickname(raw)
    if not isinstance(raw, str):
        raise InvalidSigner("请写下你的名字。")
    name = unicodedata.normalize("NFC", raw).strip()
    if any(unicodedata.category(ch).startswith("C") for ch in name) or "<" in name or ">" in name:
        raise InvalidSigner("名字里不能有 < > 这样的符号或看不见的控制字符，请重新输入。")
    if len(name) > MAX_SIGNER:
        raise InvalidSigner(f"名字最多 {MAX_SIGNER} 个字，现在是 {len(name)} 个。")
    return name


@dataclass(frozen=True)
class Signed:
    pledge: Pledge
    new: bool  # False: already signed before (a double tap, a second attempt)


def sign(attempt: Attempt, typed: object, drawn: object) -> Signed:
    """Store the pledge (checked first: a bad name or drawing writes nothing)."""
    if not attempt.finished:
        raise NotFinished("交卷以后才能签承诺书。")
    existing = pledge_of(attempt)
    if existing is not None:
        return Signed(existing, False)
    signer = clean_signer(typed, is_school(attempt))
    path = clean_path(drawn)
    if not signer and not path:
        raise InvalidSigner("请在框里写下名字，或在签名板上用手指签名。")
    pledge = Pledge(participant_id=attempt.participant_id, attempt_id=attempt.id, group_id=attempt.group_id,
                    member_key=member_key_of(attempt), family_link_id=attempt.family_link_id, signer=signer,
                    signature_svg_path=path)
    db.session.add(pledge)
    try:
        db.session.flush()
        if attempt.group_id is not None:
            # The unique (group, member) key makes this insert the member's first pledge in the group.
            db.session.execute(
                update(Group).where(Group.id == attempt.group_id).values(pledges=Group.pledges + 1)
                .execution_options(synchronize_session=False)
            )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = pledge_of(attempt)
        if existing is None:
            raise
        return Signed(existing, False)
    return Signed(pledge, True)
