"""Games for the live tests, built through the services (inside an app context)."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.live import hosting, players
from app.live.games import Settings, fresh, open_game
from app.live.models import LiveGame
from app.quiz.models import Participant
from app.quiz.participants import new_participant
from app.quiz.reading import question_of, to_labels
from tests.factories import GroupFactory, OrganisationFactory, UserFactory
from tests.helpers import wrong_choice


def class_with_teacher(kind: str = "school", size: int = 40, **group: Any) -> tuple[Any, Any]:
    org = OrganisationFactory(kind=kind)
    teacher = UserFactory(role="teacher", organisation_id=org.id)
    return GroupFactory(organisation=org, teacher_id=teacher.id, size=size, **group), teacher


def new_game(group: Any, teacher: Any, quiz_id: str | None = None, **settings: Any) -> LiveGame:
    from app.auth.models import User
    from app.groups.models import Group

    return open_game(db.session.get(User, teacher.id), db.session.get(Group, group.id), quiz_id, Settings(**settings))


def phone() -> Participant:
    participant, _key = new_participant()
    return participant


def join(game: LiveGame, nickname: str = "小明", participant: Participant | None = None) -> players.Joined:
    return players.join(fresh(game.id), nickname, participant or phone())


def act(game: LiveGame, action: str) -> LiveGame:
    current = fresh(game.id)
    return hosting.act(current.id, action, current.version)


def right_labels(game: LiveGame, n: int) -> list[str]:
    from app.live.answering import slot_of

    slot = slot_of(fresh(game.id), "x", n)
    return to_labels(slot, question_of(slot).answers)


def wrong_labels(game: LiveGame, n: int) -> list[str]:

    right = right_labels(game, n)
    question_id, order = fresh(game.id).slot(n)
    return wrong_choice(list("ABCDEF"[: len(order)]), right)


def refresh(game: LiveGame) -> LiveGame:
    db.session.rollback()
    return fresh(game.id)


__all__ = ["act", "class_with_teacher", "join", "new_game", "phone", "refresh", "right_labels", "wrong_labels"]
