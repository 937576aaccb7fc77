"""Where play meets groups, without play knowing: the join-code resolver play asks when a code is
typed, the context a class page hands to play, and the `attempt_finished` listener that counts a
finished attempt for its group. All three are wired in the factory (app.configure_play)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.bank.models import Quiz
from app.database import utcnow
from app.extensions import db
from app.groups.codes import clean_join_code
from app.groups.counting import count_finished, round_for
from app.groups.errors import GroupNotFound, InvalidJoinCode, RosterMismatch
from app.groups.members import member_key
from app.groups.models import Group, RosterEntry
from app.groups.roster import resolve
from app.groups.services import group_by_code
from app.quiz.context import JoinRequest, PlayContext
from app.quiz.models import Attempt, Participant


def group_context(group: Group, quiz: Quiz, participant: Participant, staff_no: object = None,
                  staff_name: object = None, roster_entry_id: int | None = None,
                  when: datetime | None = None) -> PlayContext:
    """What an attempt of this quiz started now for this group is played for: the round it belongs
    to (or why it cannot count) and, in a roster unit, the person (by 工号 and 姓名, or kept from
    the attempt being retaken)."""
    entry_id = None
    if group.roster_required:
        entry_id = _kept_entry(group, roster_entry_id) if roster_entry_id else resolve(group, staff_no, staff_name).id
    found = round_for(group, quiz.id, when or utcnow())
    return PlayContext(join_code=group.join_code, organisation_id=group.organisation_id, group_id=group.id,
                       scope=found.scope, roster_entry_id=entry_id, member_key=member_key(participant.id, entry_id),
                       count_note=found.reason)


def _kept_entry(group: Group, roster_entry_id: int) -> int:
    entry = db.session.get(RosterEntry, roster_entry_id)
    if entry is None or entry.group_id != group.id:
        raise RosterMismatch("名单已经更新，请回到本单位的页面重新填写工号和姓名。")
    return entry.id


def resolve_join(request: JoinRequest) -> PlayContext | None:
    """Play's join-code resolver: the context of the group a typed code names (None for no code)."""
    code = clean_join_code(request.join_code)
    if code is None:
        return None
    try:
        group = group_by_code(code)
    except GroupNotFound:
        raise InvalidJoinCode(f"没有找到班级码 {code}，请向老师或工作人员核对；没有班级码可以不填。") from None
    return group_context(group, request.quiz, request.participant, request.staff_no, request.staff_name,
                         request.roster_entry_id)


def count_attempt(_app: Any, attempt: Attempt, score: int, **_extra: Any) -> None:
    """`attempt_finished` listener: count the attempt on its group's board, or record that it does
    not count and why (the result page and the API say so)."""
    if attempt.group_id is None:
        return
    if attempt.scope is None or attempt.finished_at is None:
        attempt.counted = False  # its note was set at start (outside the window, not this group's quiz)
        return
    result = count_finished(
        attempt.id, attempt.group_id, attempt.scope, attempt.member_key or member_key(attempt.participant_id, None),
        attempt.nickname, attempt.roster_entry_id, score, attempt.question_count, attempt.created_at,
        attempt.finished_at,
    )
    attempt.counted, attempt.count_note = result.counted, result.reason
