"""Test data straight into the database (factory_boy), the way the app itself stores it.

    org = OrganisationFactory(kind="hospital")
    teacher = UserFactory(role="teacher", organisation_id=org.id)
    group = GroupFactory(organisation=org, teacher_id=teacher.id)
    AttemptFactory(group=group, right=7)                 # a finished attempt, counted like a real one
    AttemptFactory(group=group, answered=3, finished=False)

Each factory runs in the current app context, or, outside one, in a context of its own on the
test's app (set by the `app` fixture), which is closed afterwards: what it returns is then a
detached row whose columns can still be read. Rows are committed, which in a rolled-back test only
releases a savepoint.

A finished attempt has its drawn questions (the app's own draw) and its answers written directly,
and is then closed by the app's own finish function, so counting, boards and family plays run as
they do for a real hand-in. Nothing is played over HTTP.
"""

from __future__ import annotations

import itertools
import random
import secrets
from datetime import datetime, timedelta
from typing import Any

import factory
from factory.alchemy import SQLAlchemyModelFactory
from flask import Flask, has_app_context

from app.auth.models import User
from app.extensions import db
from app.groups.models import Assignment, AssignmentGroup, Campaign, Group, GroupStats, Organisation, RosterEntry
from app.quiz.models import Answer, Attempt, AttemptQuestion, Participant
from tests.helpers import wrong_choice

PASSWORD = "correct horse battery"  # every factory account's password
_app: list[Flask] = []


def use_app(app: Flask | None) -> None:
    """The app whose context factories open when called outside one (the `app` fixture sets it)."""
    _app[:] = [app] if app is not None else []


class _Factory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - the scoped session of the current app context
        sqlalchemy_session_persistence = "commit"

    @classmethod
    def _generate(cls, strategy: Any, params: dict[str, Any]) -> Any:
        if has_app_context():
            return super()._generate(strategy, params)
        if not _app:
            raise RuntimeError("factories need an app context or the `app` fixture")
        with _app[0].app_context():
            try:
                return super()._generate(strategy, params)
            finally:
                db.session.remove()  # expire_on_commit=False: the returned rows keep their columns


class CampaignFactory(_Factory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"反诈宣传月{n}")


class OrganisationFactory(_Factory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"城关中学{n}")
    kind = "school"
    campaign_id = None


def _hash(password: str) -> str:
    from app.auth.passwords import hash_password

    return hash_password(password)  # at the app's PASSWORD_HASH_ITERATIONS (low in tests)


class UserFactory(_Factory):
    """A staff account (admin, organiser or teacher); sign in with PASSWORD."""

    class Meta:
        model = User

    password = PASSWORD
    email = factory.Sequence(lambda n: f"staff{n}@example.cn")
    display_name = ""
    role = "teacher"
    organisation_id = None
    session_version = 1

    @classmethod
    def _create(cls, model_class: type, *args: Any, password: str, **kwargs: Any) -> User:
        return super()._create(model_class, *args, password_hash=_hash(password), **kwargs)


_codes = itertools.count(1)
_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"  # app.groups.codes.ALPHABET: no look-alike characters


def join_code() -> str:
    """A join code no other factory group has (the app draws them at random)."""
    n, code = next(_codes) + 25**5, ""
    while n:
        n, digit = divmod(n, len(_CODE_ALPHABET))
        code = _CODE_ALPHABET[digit] + code
    return code[-6:]


def _default_quiz(o: Any) -> str:
    from app.groups.services import DEFAULT_QUIZ

    return DEFAULT_QUIZ[o.organisation.kind]


class GroupFactory(_Factory):
    """A class, ward or team with its free-play stats row, as app.groups.services.create_group makes it."""

    class Meta:
        model = Group
        exclude = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)
    organisation_id = factory.SelfAttribute("organisation.id")
    name = factory.Sequence(lambda n: f"初一（{n}）班")
    size = 40
    join_code = factory.LazyFunction(join_code)
    quiz_id = factory.LazyAttribute(_default_quiz)
    teacher_id = None

    @factory.post_generation
    def stats(group: Group, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        db.session.add(GroupStats(group_id=group.id, scope=0))
        db.session.commit()


class AssignmentFactory(_Factory):
    """A quiz given to `groups` (a list) of one organisation, with their stats rows, open for a week."""

    class Meta:
        model = Assignment
        exclude = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)
    organisation_id = factory.SelfAttribute("organisation.id")
    quiz_id = factory.LazyAttribute(_default_quiz)
    title = "反诈知识测验"
    opens_at = factory.LazyFunction(lambda: _now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: _now() + timedelta(days=6))
    rule = "first"
    tries_per_day = 1

    @factory.post_generation
    def groups(assignment: Assignment, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        for group in extracted or ():
            db.session.add(AssignmentGroup(assignment_id=assignment.id, group_id=group.id))
            db.session.add(GroupStats(group_id=group.id, scope=assignment.id))
        db.session.commit()


class RosterEntryFactory(_Factory):
    class Meta:
        model = RosterEntry
        exclude = ("group",)

    group = factory.SubFactory(GroupFactory, organisation__kind="hospital")
    group_id = factory.SelfAttribute("group.id")
    name = factory.Sequence(lambda n: f"职工{n}")
    staff_no = factory.Sequence(lambda n: f"E{n:05d}")
    department = ""


def _token_hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode("utf-8")).hexdigest()  # app.quiz: keys and tokens are stored hashed


class ParticipantFactory(_Factory):
    """A phone that plays; `.key` is its cookie value (only its hash is stored)."""

    class Meta:
        model = Participant

    key = factory.LazyFunction(lambda: secrets.token_urlsafe(24))

    @classmethod
    def _create(cls, model_class: type, *args: Any, key: str, **kwargs: Any) -> Participant:
        participant = super()._create(model_class, *args, key_hash=_token_hash(key), **kwargs)
        participant.key = key
        return participant


def _now() -> datetime:
    from app.database import utcnow

    return utcnow()


def _draw(quiz_id: str, seed: int) -> list[tuple[int, list[str]]]:
    """(question id, option order) per position, drawn by the app's own draw from the quiz's pool."""
    from sqlalchemy import select

    from app.bank.models import Question, Quiz
    from app.quiz.draw import draw

    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        raise LookupError(f"no quiz {quiz_id!r}")
    owner = Question.organisation_id.is_(None)
    if quiz.organisation_id is not None:
        owner = owner | (Question.organisation_id == quiz.organisation_id)
    pool = db.session.scalars(select(Question).where(Question.current.is_(True), owner)).all()
    return [(d.question.id, d.option_order) for d in draw(quiz, pool, set(), random.Random(seed))]


def _group_columns(group: Group | None, roster_entry: RosterEntry | None, participant_id: int, quiz_id: str,
                   when: datetime) -> dict[str, Any]:
    """What a join code gives a new attempt (the app's own rule, app.groups.membership): its group,
    its round (scope, or why it cannot count) and its member key."""
    if group is None:
        return {}
    from app.bank.models import Quiz
    from app.groups.membership import group_context
    from app.quiz.models import Participant

    found = db.session.get(Group, group.id)
    context = group_context(found, db.session.get(Quiz, quiz_id), db.session.get(Participant, participant_id),
                            roster_entry_id=roster_entry.id if roster_entry is not None else None, when=when)
    return context.columns()


def finish_attempt(attempt: Attempt) -> Any:
    """Close an attempt through the app's own finish (counting, boards and family plays run)."""
    from app.quiz.finishing import finish

    return finish(attempt)


def _wrong_keys(option_keys: list[str], right: list[str]) -> list[str]:
    return wrong_choice(option_keys, right)


class AttemptFactory(_Factory):
    """An attempt with its drawn questions and answers, finished through the app.

    answered: how many questions, from the first, have an answer (None: all); right: how many of
    those, from the first, are right (None: all); finished: hand it in (default True).
    group / roster_entry: played with that group's join code (as that roster person).
    `.token` is the attempt's bearer token for the API, `.participant_key` the phone's cookie value.
    """

    class Meta:
        model = Attempt

    participant = factory.SubFactory(ParticipantFactory)
    group = None
    roster_entry = None
    answered = None
    right = None
    finished = True
    quiz_id = factory.LazyAttribute(lambda o: o.group.quiz_id if o.group is not None else "elder-listen")
    nickname = factory.Sequence(lambda n: f"同学{n}")
    created_at = factory.LazyFunction(_now)
    seed = factory.Sequence(lambda n: n)

    @classmethod
    def _create(cls, model_class: type, *args: Any, participant: Participant, group: Group | None,
                roster_entry: RosterEntry | None, answered: int | None, right: int | None, finished: bool, seed: int,
                **kwargs: Any) -> Attempt:
        from app.bank.models import Question

        session = db.session
        token = secrets.token_urlsafe(32)
        drawn = _draw(kwargs["quiz_id"], seed)
        attempt = model_class(id=secrets.token_urlsafe(12), participant_id=participant.id, token_hash=_token_hash(token),
                              question_count=len(drawn), answered=0,
                              **_group_columns(group, roster_entry, participant.id, kwargs["quiz_id"], kwargs["created_at"]),
                              **kwargs)
        session.add(attempt)
        session.flush()
        session.add_all(AttemptQuestion(attempt_id=attempt.id, position=n, question_id=question_id, option_order=order)
                        for n, (question_id, order) in enumerate(drawn, start=1))
        count = len(drawn) if answered is None else answered
        good = count if right is None else right
        for n, (question_id, order) in enumerate(drawn[:count], start=1):
            keys = sorted(session.get(Question, question_id).answers)
            choices = keys if n <= good else _wrong_keys(order, keys)
            session.add(Answer(attempt_id=attempt.id, position=n, choices=sorted(choices), correct=n <= good,
                               answered_at=kwargs["created_at"]))
        attempt.answered = count
        session.commit()
        if finished:
            finish_attempt(attempt)
        attempt.token, attempt.participant_key = token, participant.key
        return attempt
