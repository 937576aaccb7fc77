"""Declarative base, naming convention and column types shared by every model, and the id range
every feature checks a row id against."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


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


# -- ids and unique codes -------------------------------------------------------------------------

MAX_ROW_ID = 2**31 - 1  # the largest INTEGER on every backend: a larger id is no row, not an overflow


def row_id(value: object) -> int | None:
    """The value if it can name a row (a whole number from 1 to MAX_ROW_ID), else None. Ids from a
    URL or a form go through this before a query, so a huge number is "not found", never a 500."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ROW_ID:
        return value
    return None


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


def configure_postgresql(engine: Engine, plan_cache_mode: str | None) -> None:
    """Set plan_cache_mode on every new PostgreSQL connection (empty: leave the server's setting).

    The default, force_generic_plan, lets prepared statements skip the planner. psycopg prepares a
    statement once a connection has run it five times, so this touches only the hot key lookups (a
    board, a question, an answer), whose planning took longer than running them (0.3 ms against
    0.1 ms for the class board); rare queries such as reports are never prepared and keep custom
    plans. A SET on connect, not a startup option, so it also works through PgBouncer.
    """
    if engine.dialect.name != "postgresql" or not plan_cache_mode:
        return
    if plan_cache_mode not in PLAN_CACHE_MODES:
        raise ValueError(f"POSTGRES_PLAN_CACHE_MODE must be one of {', '.join(PLAN_CACHE_MODES)} or empty")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET plan_cache_mode = {plan_cache_mode}")
        dbapi_connection.commit()
