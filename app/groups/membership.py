"""Where quiz play meets groups: which group an attempt belongs to when it starts, and what its
finish changes (the group's board, a family's first play). Called by app.quiz.services."""

from __future__ import annotations

from app.bank.models import Quiz
from app.database import utcnow
from app.groups.counting import count_finished, member_key, round_for
from app.groups.errors import GroupNotFound
from app.groups.roster import resolve
from app.groups.services import group_by_code
from app.quiz.errors import InvalidJoinCode, QuizNotFound
from app.quiz.models import Attempt, Participant


def attempt_columns(join_code: str | None, quiz: Quiz, participant: Participant, staff_no: object,
                    staff_name: object) -> dict[str, object]:
    """The group columns of a new attempt (none without a join code)."""
    if join_code is None:
        return {}
    try:
        group = group_by_code(join_code)
    except GroupNotFound:
        raise InvalidJoinCode(f"没有找到班级码 {join_code}，请向老师或工作人员核对；没有班级码可以不填。") from None
    if quiz.organisation_id not in (None, group.organisation_id):
        raise QuizNotFound()
    roster_entry_id = resolve(group, staff_no, staff_name).id if group.roster_required else None
    found = round_for(group, quiz.id, utcnow())
    return {"group_id": group.id, "scope": found.scope, "roster_entry_id": roster_entry_id,
            "member_key": member_key(participant.id, roster_entry_id)}


def on_finished(attempt: Attempt, score: int) -> None:
    """Inside the finishing transaction: count the attempt on its group's board (or mark that it does
    not count), and count a family's first finished play for its pupil's class."""
    from app.extensions import db
    from app.leaderboard.cache import mark_changed

    if attempt.group_id is not None or attempt.family_link_id is not None:
        mark_changed(db.session)  # the boards read what this finish writes (Core statements, not seen at flush)
    if attempt.group_id is not None:
        attempt.counted = attempt.scope is not None and attempt.finished_at is not None and count_finished(
            attempt.id, attempt.group_id, attempt.scope, attempt.member_key or f"p:{attempt.participant_id}",
            attempt.nickname, attempt.roster_entry_id, score, attempt.question_count, attempt.created_at,
            attempt.finished_at,
        ).counted
    if attempt.family_link_id is not None:
        from app.records.family import family_played

        family_played(attempt.family_link_id)
