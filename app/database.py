"""Declarative base, naming convention and column types shared by every model; the id range and
the retry on a unique-code collision every feature uses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from sqlalchemy import DateTime, Insert, MetaData, Table, event
from sqlalchemy.engine import Connection, CursorResult, Engine, Result
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator

from app.errors import DomainError

if TYPE_CHECKING:
    from flask_sqlalchemy.session import Session as FlaskSession
    from sqlalchemy.orm import scoped_session

    # What helpers that take a session accept: `db.session` (a scoped_session, the proxy to the
    # request's Session) or a plain Session (a command's, a test's).
    SessionLike: TypeAlias = Session | scoped_session[FlaskSession]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The typed declarative base every model subclasses. `db.Model` (Flask-SQLAlchemy) is built
    from it with the same metadata and registry; models subclass Base itself so that mypy sees
    their `Mapped` columns (db.Model is a class made at run time, Any to a type checker)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """A model's Table, for Core statements (insert, update, upsert). Declarative types
    `__table__` as any FromClause, since a class may map a join; each of our models maps one table."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} does not map a single Table")
    return table


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite stores no zone, so we add it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def rows_matched(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched. Session.execute types every result as a plain
    Result; a DML statement's is a CursorResult, which has the rowcount."""
    if not isinstance(result, CursorResult):
        raise TypeError("rows_matched takes the result of an UPDATE or DELETE")
    return result.rowcount


# -- ids and unique codes -------------------------------------------------------------------------

MAX_ROW_ID = 2**31 - 1  # the largest INTEGER on every backend: a larger id is no row, not an overflow


def row_id(value: object) -> int | None:
    """The value if it can name a row (a whole number from 1 to MAX_ROW_ID), else None. Ids from a
    URL or a form go through this before a query, so a huge number is "not found", never a 500."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ROW_ID:
        return value
    return None


class NoFreeCode(DomainError):
    status = 503
    code = "no_free_code"
    message = "暂时无法生成新的编号，请稍后再试。"


CODE_TRIES = 10  # with 25 letters and 6 to 10 places, even one collision is rare

Row = TypeVar("Row")


def add_with_fresh_code(session: SessionLike, build: Callable[[], Row], *, commit: bool = True,
                        made_already: Callable[[], Row | None] | None = None, message: str | None = None) -> Row:
    """Add the row that `build` makes (each call draws a fresh random code) and commit it, or only
    flush it (commit=False) when the caller adds more to the same transaction. A unique-key
    collision rolls the transaction back and tries again with a new code, CODE_TRIES times at most,
    then raises NoFreeCode (with `message` if given). After a collision `made_already` may return
    the row another request made first (a double tap), which is then returned instead."""
    for _ in range(CODE_TRIES):
        row = build()
        session.add(row)
        try:
            if commit:
                session.commit()
            else:
                session.flush()
        except IntegrityError:
            session.rollback()
            found = made_already() if made_already is not None else None
            if found is not None:
                return found
            continue
        return row
    raise NoFreeCode(message)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, synchronous=NORMAL, a busy timeout and foreign keys on every SQLite connection."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()


PLAN_CACHE_MODES = ("auto", "force_generic_plan", "force_custom_plan")


def engine_options(uri: str, options: Mapping[str, Any], pgbouncer: bool) -> dict[str, Any]:
    """SQLALCHEMY_ENGINE_OPTIONS for the database at uri.

    Behind PgBouncer in transaction mode (POSTGRES_PGBOUNCER) each transaction may run on another
    server connection, and psycopg's prepared statements live on the server connection that prepared
    them: a second client preparing its first statement on the same server connection fails with
    'prepared statement "_pg3_0" already exists'. Debian 12's PgBouncer (1.18) cannot carry prepared
    statements (1.21 can, with max_prepared_statements), so psycopg is told never to prepare
    (prepare_threshold=None); each statement is then parsed and planned on every run."""
    found = dict(options)
    if pgbouncer and uri.startswith("postgresql"):
        found["connect_args"] = {**found.get("connect_args", {}), "prepare_threshold": None}
    return found


def configure_postgresql(engine: Engine, plan_cache_mode: str | None, pgbouncer: bool = False) -> None:
    """Set plan_cache_mode on every new PostgreSQL connection (empty: leave the server's setting).

    The default, force_generic_plan, lets prepared statements skip the planner. psycopg prepares a
    statement once a connection has run it five times, so this touches only the hot key lookups (a
    board, a question, an answer), whose planning took longer than running them (0.3 ms against
    0.1 ms for the class board); rare queries such as reports are never prepared and keep custom
    plans. A SET on connect, not a startup option (PgBouncer refuses unknown startup options).

    Behind PgBouncer (pgbouncer=True) nothing is set: a session SET would stay on whichever server
    connection ran it, not follow this client, and without prepared statements (engine_options) a
    generic plan saves no planning anyway.
    """
    if engine.dialect.name != "postgresql" or not plan_cache_mode or pgbouncer:
        return
    if plan_cache_mode not in PLAN_CACHE_MODES:
        raise ValueError(f"POSTGRES_PLAN_CACHE_MODE 只能是 {'、'.join(PLAN_CACHE_MODES)} 之一，或者留空")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET plan_cache_mode = {plan_cache_mode}")
        dbapi_connection.commit()


# -- the dialect branches, in one place ------------------------------------------------------------


def on_postgresql(bind: Engine | Connection) -> bool:
    return bind.dialect.name == "postgresql"


def insert_or_ignore(bind: Engine | Connection, table: Table, index_elements: list[str], **values: Any) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING in the bind's own dialect. Only that dialect's module is
    imported (the engine has loaded it already): importing both kept the other one in every
    worker's memory (about 2 MB)."""
    if on_postgresql(bind):
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table).values(**values).on_conflict_do_nothing(index_elements=index_elements)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).values(**values).on_conflict_do_nothing(index_elements=index_elements)


def autocommit(session: SessionLike) -> None:
    """On PostgreSQL, run each of this request's statements as its own transaction, saving the
    BEGIN and COMMIT/ROLLBACK round trips. Only for requests that just read, or whose one write is a
    single statement (recording an answer through the API: its data-modifying CTE is atomic by
    itself). SQLite already runs plain SELECTs outside a transaction, and switching its isolation
    level costs a PRAGMA on every checkout, so it is left alone. Call before the first query."""
    if on_postgresql(session.get_bind()):
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
