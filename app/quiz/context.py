"""What an attempt is played for beyond the phone that plays it, handed to play by its caller.

Play knows nothing of classes, units or families. A caller that does (the class page, the API, a
family link) builds a PlayContext and hands it to `start_attempt`; the quiz's own start page, which
only has the code a person typed, asks the join-code resolver that the factory registered
(app.groups.membership) through `context_for_code`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from app.bank.models import Quiz
from app.quiz.errors import JoinCodesUnavailable
from app.quiz.models import Participant


@dataclass(frozen=True)
class PlayContext:
    join_code: str | None = None
    organisation_id: int | None = None  # the group's organisation: a unit's own quiz is played only there
    group_id: int | None = None
    scope: int | None = None  # the group round it belongs to (assignment id, 0 free play); None: cannot count
    roster_entry_id: int | None = None
    member_key: str | None = None
    family_link_id: int | None = None
    count_note: str | None = None  # why it will not count, known when it starts (outside the window …)
    # The questions and option order, fixed by the caller: (question version id, option keys) per
    # position, the same for every player of a live game (the projector shows A/B/C/D). None: a
    # fresh draw for this participant.
    slots: tuple[tuple[int, tuple[str, ...]], ...] | None = None

    def columns(self) -> dict[str, object]:
        """The attempt's columns this context fills."""
        return {"join_code": self.join_code, "group_id": self.group_id, "scope": self.scope,
                "roster_entry_id": self.roster_entry_id, "member_key": self.member_key,
                "family_link_id": self.family_link_id, "count_note": self.count_note}


@dataclass(frozen=True)
class JoinRequest:
    """A code typed on a start page (or kept from the attempt being retaken)."""

    join_code: object
    quiz: Quiz
    participant: Participant
    staff_no: object = None
    staff_name: object = None
    roster_entry_id: int | None = None  # a retake keeps the roster person it was played for


JoinResolver = Callable[[JoinRequest], PlayContext | None]
EXTENSION = "play.join_resolver"


def register_join_resolver(app: Flask, resolver: JoinResolver) -> None:
    app.extensions[EXTENSION] = resolver


def context_for_code(request: JoinRequest) -> PlayContext | None:
    """The context a typed join code stands for (None for no code); errors name the field."""
    resolver: JoinResolver | None = current_app.extensions.get(EXTENSION)
    if resolver is None:
        if request.join_code in (None, "") and request.roster_entry_id is None:
            return None
        raise JoinCodesUnavailable()
    return resolver(request)
