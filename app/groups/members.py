"""Who "a person" is on a board, one home for the member-key format.

A person is a roster entry in a unit that keeps a roster ("r:<entry id>"), otherwise a participant,
one phone or app install ("p:<participant id>"); a family member signing the pledge through a
pupil's family link is "f:<link id>:<participant id>". Two people with the same nickname stay two
keys. Board rows, pledges and reports all key people this way.
"""

from __future__ import annotations

from sqlalchemy import SQLColumnExpression, String, cast, literal
from sqlalchemy.sql.elements import ColumnElement

ROSTER, PARTICIPANT, FAMILY = "r:", "p:", "f:"


def member_key(participant_id: int, roster_entry_id: int | None = None) -> str:
    return roster_member_key(roster_entry_id) if roster_entry_id else f"{PARTICIPANT}{participant_id}"


def roster_member_key(roster_entry_id: int) -> str:
    return f"{ROSTER}{roster_entry_id}"


def family_member_key(family_link_id: int, participant_id: int) -> str:
    return f"{FAMILY}{family_link_id}:{participant_id}"


def roster_member_key_sql(entry_id: SQLColumnExpression[int]) -> ColumnElement[str]:
    """roster_member_key in SQL, for joins from roster entries to board rows."""
    return literal(ROSTER, String).concat(cast(entry_id, String))
