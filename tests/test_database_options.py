"""PostgreSQL connections use generic plans for prepared (hot) statements; a deployment may choose
otherwise, and a wrong value is refused at start."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from app.database import configure_postgresql


def test_the_running_database_gets_the_setting(app) -> None:
    from app.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            assert db.session.scalar(text("SHOW plan_cache_mode")) == "force_generic_plan"
        else:
            assert app.config["POSTGRES_PLAN_CACHE_MODE"] == "force_generic_plan"  # SQLite ignores it


def test_an_unknown_mode_is_refused_and_empty_leaves_the_server_alone() -> None:
    engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    with pytest.raises(ValueError, match="POSTGRES_PLAN_CACHE_MODE"):
        configure_postgresql(engine, "fast; DROP TABLE users")
    configure_postgresql(engine, "")  # no listener: the server's own default
    with engine.connect() as conn:
        assert conn.scalar(text("SHOW plan_cache_mode")) == "auto"
    engine.dispose()
