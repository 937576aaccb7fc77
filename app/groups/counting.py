"""The counting rules, applied when an attempt starts (does it belong to a group round?) and when it
finishes (does it count, and how does the board change?).

Rules (shown on the class and organisation pages):
- A group with no assignment counts each person's first finished attempt made with its join code.
- With assignments, only an assigned quiz played inside its window counts, by the assignment's rule:
  `first` counts a person's first finished attempt; `best` counts up to N finished attempts a day
  (local time) and keeps the best (ties keep the earlier one).
- Anything else still teaches but does not count, and the pages say so.
- "People" are participants (one phone or app install), or roster entries where the unit has a roster,
  so two people with the same nickname stay two entries.

The board row and the group's totals change in the transaction that finishes the attempt, so a board
is always a short indexed read and concurrent finishes cannot double count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from app.database import insert_or_ignore, table_of
from app.extensions import db
from app.groups.models import FREE_PLAY, Assignment, BoardEntry, Group, GroupStats, Organisation
from app.groups.services import assignments_of
from app.timezones import local_day

_board_entries, _group_stats = table_of(BoardEntry), table_of(GroupStats)  # for the Core upserts below

@dataclass(frozen=True)
class Round:
    """What an attempt started with a join code belongs to."""

    group: Group
    scope: int | None  # assignment id, FREE_PLAY, or None when it cannot count
    reason: str | None  # why it does not count, in words for the learner


def round_for(group: Group, quiz_id: str, when: datetime) -> Round:
    assignments = assignments_of(group)
    if not assignments:
        return Round(group, FREE_PLAY, None)
    same_quiz = [a for a in assignments if a.quiz_id == quiz_id]
    open_now = next((a for a in same_quiz if a.is_open(when)), None)
    if open_now is not None:
        return Round(group, open_now.id, None)
    if same_quiz:
        first = min(same_quiz, key=lambda a: a.opens_at)
        if when < first.opens_at:
            return Round(group, None, "本次练习不计入排名：这项任务还没有开始。")
        return Round(group, None, "本次练习不计入排名：这项任务已经截止。")
    own = db.session.get_one(Organisation, group.organisation_id).words.own  # 本班, 本科室 … by its kind
    return Round(group, None, f"本次练习不计入排名：这不是{own}布置的测验。")


@dataclass(frozen=True)
class Counted:
    counted: bool
    reason: str | None = None


def count_finished(attempt_id: str, group_id: int, scope: int, key: str, nickname: str,
                   roster_entry_id: int | None, score: int, total: int, started_at: datetime,
                   finished_at: datetime) -> Counted:
    """Apply the rule to a just-finished attempt, inside the finishing transaction (caller commits).

    The caller has already written the attempt row in this transaction, so on SQLite it holds the
    database's write lock; on PostgreSQL the board row is locked with FOR UPDATE below.
    """
    session = db.session
    rule, per_day = "first", 1
    if scope != FREE_PLAY:
        assignment = session.get(Assignment, scope)
        if assignment is not None:
            rule, per_day = assignment.rule, assignment.tries_per_day
    bind = session.get_bind()
    session.execute(insert_or_ignore(
        bind, _board_entries, ["group_id", "scope", "member_key"], group_id=group_id, scope=scope,
        member_key=key, nickname=nickname, roster_entry_id=roster_entry_id, counted=False, score=0, total=0,
        permille=0, seconds=0, tries_day="", tries_today=0,
    ))
    session.execute(insert_or_ignore(
        bind, _group_stats, ["group_id", "scope"], group_id=group_id, scope=scope, participants=0,
        permille_sum=0,
    ))
    entry = session.scalars(
        select(BoardEntry)
        .where(BoardEntry.group_id == group_id, BoardEntry.scope == scope, BoardEntry.member_key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    permille = score * 1000 // total if total else 0
    day = local_day(finished_at).isoformat()
    if rule == "first" and entry.counted:
        return Counted(False, "本次练习不计入排名：这项任务只计第一次完成的成绩。")
    if rule == "best":
        tries = entry.tries_today if entry.tries_day == day else 0
        if tries >= per_day:
            return Counted(False, f"本次练习不计入排名：今天已经计分 {per_day} 次，明天可以再来。")
        entry.tries_day, entry.tries_today = day, tries + 1
    was_counted, old_permille = entry.counted, entry.permille
    better = not was_counted or permille > old_permille
    if better:
        entry.counted = True
        entry.attempt_id = attempt_id
        entry.nickname = nickname
        entry.score, entry.total, entry.permille = score, total, permille
        entry.seconds = max(0, int((finished_at - started_at).total_seconds()))
        entry.finished_at = finished_at
        delta_people = 0 if was_counted else 1
        delta_sum = permille - (old_permille if was_counted else 0)
        session.execute(
            update(GroupStats)
            .where(GroupStats.group_id == group_id, GroupStats.scope == scope)
            .values(participants=GroupStats.participants + delta_people,
                    permille_sum=GroupStats.permille_sum + delta_sum,
                    last_counted_at=finished_at)
            .execution_options(synchronize_session=False)
        )
    session.flush()
    return Counted(True)
