"""Fixtures: `app`, `client`, `runner`, `db` on a real database built by running the migrations.

The backend is chosen with `--db sqlite` (default) or `--db postgresql`; PostgreSQL tests create
and drop their own database on 127.0.0.1:5432 and fail (never skip) when it is not reachable.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import delete

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", choices=["sqlite", "postgresql"], default="sqlite", help="database backend for the tests")


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.config.getoption("--db") == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    import psycopg

    name = f"fzkt_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}", pytrace=False)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_app(database_url: str, **overrides: object) -> Flask:
    from app import create_app

    config = {
        "TESTING": True,
        "APP_ENV": "testing",
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "QUESTION_BANK_DIR": str(ROOT / "question_bank"),
    }
    config.update(overrides)
    app = create_app(config)
    _apps.append(app)
    return app


_apps: list[Flask] = []


@pytest.fixture(autouse=True)
def _dispose_engines() -> Iterator[None]:
    """Close every connection pool a test's apps opened, so none is left for the garbage collector."""
    yield
    from app.extensions import db

    while _apps:
        app = _apps.pop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def _schema(database_url: str) -> str:
    """Build the schema by running the migrations, then import the shipped bank once."""
    from app.bank.importer import import_bank
    from app.bank.loader import load_bank
    from app.migrations import upgrade

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        import_bank(load_bank(ROOT / "question_bank"))
        from app.extensions import db

        db.engine.dispose()
    return database_url


@pytest.fixture()
def app(_schema: str) -> Iterator[Flask]:
    app = make_app(_schema)
    yield app
    with app.app_context():
        from app.auth.models import User
        from app.bank.models import Question, Quiz
        from app.extensions import db
        from app.groups import models as g
        from app.quiz.models import Answer, Attempt, AttemptQuestion, Participant

        db.session.rollback()
        for model in (g.Certificate, g.Pledge, Answer, AttemptQuestion, Attempt, g.FamilyLink, g.BoardEntry,
                      g.GroupStats, g.RosterEntry, g.AssignmentGroup, g.Assignment, g.Group, Participant, User):
            db.session.execute(delete(model))
        db.session.execute(delete(Quiz).where(Quiz.organisation_id.is_not(None)))
        db.session.execute(delete(Question).where(Question.organisation_id.is_not(None)))
        db.session.execute(delete(g.Organisation))
        db.session.execute(delete(g.Campaign))
        db.session.commit()
        db.engine.dispose()


@pytest.fixture()
def db(app: Flask) -> Iterator[object]:
    from app.extensions import db as database

    with app.app_context():
        yield database
        database.session.rollback()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture()
def fresh_app(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """An app on its own empty database (migrated, no bank) for tests that change the bank."""
    from app.migrations import upgrade

    if request.config.getoption("--db") == "postgresql":
        import psycopg

        name = f"fzkt_fresh_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    else:
        name = None
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = make_app(url)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()
    if name:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture()
def bank_dir(tmp_path: Path) -> Path:
    """A copy of the shipped bank that a test may edit."""
    target = tmp_path / "bank"
    shutil.copytree(ROOT / "question_bank", target)
    return target
