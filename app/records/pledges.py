"""Signing 《拒绝电信诈骗承诺书》: a typed name or a drawn signature, once per attempt and once per
person in a group; the group's pledge counter moves in the same transaction as the first one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.groups.kinds import kind_of
from app.groups.members import family_member_key, member_key
from app.groups.models import Group, Organisation
from app.quiz.errors import InvalidNickname
from app.quiz.models import Attempt
from app.quiz.nickname import clean_nickname
from app.records.errors import InvalidSigner, NotFinished
from app.records.models import Pledge
from app.records.signature import clean_path


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
    """A typed signature ("" when none), cleaned by the nickname rules (app.quiz.nickname): school
    pupils sign with a nickname, staff and residents with their name (the same rules, its own words)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ""
    if school:
        return clean_nickname(raw)
    try:
        return clean_nickname(raw, noun="名字")
    except InvalidNickname as exc:
        raise InvalidSigner(exc.message) from None


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
