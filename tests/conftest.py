"""Fixtures: `app`, `client`, `runner`, `db`, `query_recorder` on a real database built by running the migrations.

The backend is chosen with `--db sqlite` (default) or `--db postgresql`; PostgreSQL tests create
and drop their own database on 127.0.0.1:5432 and fail (never skip) when it is not reachable.

Isolation (the Warehouse pattern): the schema is built once per run by the migrations and the
shipped bank imported once. Each test then runs on one connection inside an outer transaction that
is rolled back at its end. Every session the app opens during the test (requests of the test
client, CLI commands, `with app.app_context()` blocks, apps made by `app_factory`) is bound to that
connection with `join_transaction_mode="create_savepoint"`, so the app's own `commit()` only
releases a savepoint and nothing outlives the test.

A few tests need real commits because another thread or process reads what they write (racing
taps, gunicorn workers, a live server for the browser, another worker's write to a board). They
are marked `@pytest.mark.commits`, and their `app` is `committing_app`; after each, every
row that was not there once the bank was imported is deleted, table by table in reverse
dependency order, straight from the models' metadata.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Connection, Engine, create_engine, event, func, select, tuple_
from sqlalchemy import delete as sql_delete
from sqlalchemy.orm import scoped_session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# PBKDF2 rounds for the test app: real hashes, checked for real, at a fraction of production's cost
# (production's 600 000 is pinned by tests/auth/test_passwords.py).
TEST_PASSWORD_HASH_ITERATIONS = 1000


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
    """An app on `database_url` with the test settings. Inside a test that has the `app` or
    `app_factory` fixture its sessions use that test's rolled-back connection."""
    from app import create_app

    config = {
        "TESTING": True,
        "APP_ENV": "testing",
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "QUESTION_BANK_DIR": str(ROOT / "question_bank"),
        "PASSWORD_HASH_ITERATIONS": TEST_PASSWORD_HASH_ITERATIONS,
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


# -- the database: built once, then one rolled-back transaction per test ----------------------------


class Baseline:
    """The rows every test starts from: primary keys of each table once the bank is imported."""

    def __init__(self, keys: dict[str, set[tuple[Any, ...]]]) -> None:
        self.keys = keys

    @classmethod
    def read(cls, connection: Connection) -> Baseline:
        from app.extensions import db

        keys = {}
        for table in db.metadata.sorted_tables:
            columns = list(table.primary_key.columns)
            keys[table.name] = {tuple(row) for row in connection.execute(select(*columns))}
        return cls(keys)

    def _newer(self, table: Any) -> Any:
        """A WHERE clause for the table's rows that are not in the baseline (None: all of them)."""
        kept = self.keys.get(table.name, set())
        if not kept:
            return None
        columns = list(table.primary_key.columns)
        if len(columns) == 1:
            return columns[0].not_in([key[0] for key in kept])
        return tuple_(*columns).not_in(list(kept))

    def delete_newer_rows(self, connection: Connection) -> None:
        """Delete every row not in the baseline, children before parents (generic: no table list)."""
        from app.extensions import db

        for table in reversed(db.metadata.sorted_tables):
            where = self._newer(table)
            connection.execute(sql_delete(table) if where is None else sql_delete(table).where(where))

    def newer_rows(self, connection: Connection) -> dict[str, int]:
        """Tables holding rows that are not in the baseline, and how many."""
        from app.extensions import db

        found = {}
        for table in db.metadata.sorted_tables:
            where = self._newer(table)
            statement = select(func.count()).select_from(table)
            count = connection.scalar(statement if where is None else statement.where(where))
            if count:
                found[table.name] = count
        return found


@pytest.fixture(scope="session")
def _database(database_url: str) -> Iterator[tuple[str, Engine, Baseline]]:
    """Build the schema by running the migrations and import the shipped bank, once per run; then
    the engine every test's connection comes from, and the rows that make the baseline."""
    from app.bank.importer import import_bank
    from app.bank.loader import load_bank
    from app.database import configure_postgresql, configure_sqlite
    from app.extensions import db
    from app.migrations import upgrade

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        import_bank(load_bank(ROOT / "question_bank"))
        db.session.remove()
        db.engine.dispose()
        settings = (app.config["SQLITE_BUSY_TIMEOUT_MS"], app.config["POSTGRES_PLAN_CACHE_MODE"])
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    configure_sqlite(engine, settings[0])  # the same connection set-up as the app's engine
    configure_postgresql(engine, settings[1])
    if engine.dialect.name == "sqlite":
        _sqlite_savepoints(engine)
    with engine.connect() as connection:
        baseline = Baseline.read(connection)
    yield database_url, engine, baseline
    with engine.connect() as connection:
        left = baseline.newer_rows(connection)
    engine.dispose()
    # A test that wrote outside its transaction (an app made without `app_factory`, say) would leak
    # rows into the tests after it; say so rather than let a later test fail for no visible reason.
    assert not left, f"rows outlived their test (neither rolled back nor deleted): {left}"


def _sqlite_savepoints(engine: Engine) -> None:
    """pysqlite opens and commits transactions on its own, which breaks SAVEPOINT; hand that job to
    SQLAlchemy (the recipe of its SQLite dialect docs, "Serializable isolation / Savepoints")."""

    @event.listens_for(engine, "connect")
    def _driver_leaves_transactions_alone(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _emit_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


@pytest.fixture(scope="session")
def _schema(_database: tuple[str, Engine, Baseline]) -> str:
    """The URL of the migrated database with the shipped bank."""
    return _database[0]


def _bound_session_class() -> type:
    from flask_sqlalchemy.session import Session

    class BoundSession(Session):
        """A Flask-SQLAlchemy session that always uses the test's connection (Flask-SQLAlchemy's own
        `get_bind` picks the app's engine and ignores a session-level bind)."""

        def get_bind(self, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any) -> Any:
            return bind if bind is not None else self.bind

        def connection(self, bind_arguments: Any = None, execution_options: Any = None) -> Connection:
            # The API asks PostgreSQL for AUTOCOMMIT on its request's connection (autocommit() in
            # app.database / app.quiz.services). Here that connection holds the test's transaction:
            # switching it would end the transaction, so the request runs inside it instead.
            # Autocommit itself is checked on real commits (tests/test_query_counts.py).
            if execution_options and "isolation_level" in execution_options:
                execution_options = {k: v for k, v in execution_options.items() if k != "isolation_level"} or None
            return super().connection(bind_arguments=bind_arguments, execution_options=execution_options)

    return BoundSession


@pytest.fixture()
def db_connection(_database: tuple[str, Engine, Baseline], monkeypatch: pytest.MonkeyPatch) -> Iterator[Connection]:
    """This test's connection, in an outer transaction rolled back at the end; `db.session` (of any
    app, in any app context) is bound to it, each session in a savepoint of its own."""
    from flask_sqlalchemy.session import _app_ctx_id

    from app.extensions import db

    _, engine, _ = _database
    connection = engine.connect()
    outer = connection.begin()
    factory = sessionmaker(class_=_bound_session_class(), db=db, bind=connection,
                           join_transaction_mode="create_savepoint", expire_on_commit=False)
    sessions = scoped_session(factory, scopefunc=_app_ctx_id)
    monkeypatch.setattr(db, "session", sessions)
    try:
        yield connection
    finally:
        for left_open in list(sessions.registry.registry.values()):  # app contexts remove their own
            left_open.close()
        outer.rollback()
        connection.close()


@pytest.fixture()
def app_factory(_schema: str, db_connection: Connection) -> Callable[..., Flask]:
    """Make an app with some settings changed (`app_factory(RATELIMIT_START="2 per minute")`),
    on this test's rolled-back connection like `app`."""

    def factory(**overrides: object) -> Flask:
        return make_app(_schema, **overrides)

    return factory


@pytest.fixture()
def app(request: pytest.FixtureRequest) -> Flask:
    """The app on this test's rolled-back connection; with `@pytest.mark.commits`, `committing_app`."""
    from tests.factories import use_app

    if request.node.get_closest_marker("commits"):
        app = request.getfixturevalue("committing_app")
    else:
        app = request.getfixturevalue("app_factory")()
    use_app(app)  # factories called outside an app context open one on this app
    request.addfinalizer(lambda: use_app(None))
    return app


@pytest.fixture()
def committing_app(request: pytest.FixtureRequest, _database: tuple[str, Engine, Baseline]) -> Iterator[Flask]:
    """An app whose commits are real, for tests where another thread or process must see them.
    Afterwards every row newer than the baseline is deleted."""
    assert "db_connection" not in request.fixturenames, "a test either commits for real or rolls back"
    url, engine, baseline = _database
    app = make_app(url)
    yield app
    from app.extensions import db

    with app.app_context():
        db.session.remove()
    with engine.begin() as connection:
        baseline.delete_newer_rows(connection)


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


# -- counting statements ------------------------------------------------------------------------------


class QueryRecorder:
    """The SQL statements sent while recording, on any engine of this process.

        with query_recorder:
            response = client.get(url)
        assert len(query_recorder) == 3, query_recorder.queries

    Entering starts a fresh recording. What the harness itself sends is not counted: the savepoints
    of the per-test transaction (SAVEPOINT, RELEASE, ROLLBACK TO) and SQLite's BEGIN, so a count is
    the same on rolled-back and on committing tests.
    """

    HARNESS = ("SAVEPOINT", "RELEASE", "ROLLBACK TO", "BEGIN", "PRAGMA")

    def __init__(self) -> None:
        self.queries: list[str] = []
        self.recording = False

    def __enter__(self) -> QueryRecorder:
        self.queries = []
        self.recording = True
        return self

    def __exit__(self, *exc: object) -> None:
        self.recording = False

    def __len__(self) -> int:
        return len(self.queries)

    def record(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.recording and not statement.lstrip().upper().startswith(self.HARNESS):
            self.queries.append(statement)


@pytest.fixture()
def query_recorder() -> Iterator[QueryRecorder]:
    recorder = QueryRecorder()
    event.listen(Engine, "before_cursor_execute", recorder.record)
    try:
        yield recorder
    finally:
        event.remove(Engine, "before_cursor_execute", recorder.record)


# -- other databases and files ------------------------------------------------------------------------


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
