"""PostgreSQL connections use generic plans for prepared (hot) statements; a deployment may override."""

from __future__ import annotations

from sqlalchemy import text

from app import postgresql_engine_options


def test_generic_plans_are_the_default_and_a_deployment_may_choose_otherwise() -> None:
    assert postgresql_engine_options({}) == {"connect_args": {"options": "-c plan_cache_mode=force_generic_plan"}}
    own = {"pool_size": 3, "connect_args": {"options": "-c plan_cache_mode=auto", "connect_timeout": 5}}
    assert postgresql_engine_options(own) == own


def test_the_running_database_gets_the_setting(app) -> None:
    from app.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            assert db.session.scalar(text("SHOW plan_cache_mode")) == "force_generic_plan"
        else:
            assert "connect_args" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]  # SQLite has no such thing
