"""The schema is built by the migrations, and the migrations match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.migrations import downgrade, upgrade


def test_models_and_migrations_agree(fresh_app):
    with fresh_app.app_context():
        from app.extensions import db

        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []


def test_downgrade_to_nothing_and_back(fresh_app):
    with fresh_app.app_context():
        from app.extensions import db

        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"questions", "quizzes", "participants", "attempts", "attempt_questions", "answers"} <= tables
        constraints = {c["name"] for c in inspect(db.engine).get_unique_constraints("answers")}
        assert "uq_answers_attempt_id_position" in constraints


def test_db_upgrade_command(fresh_app):
    result = fresh_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output


def test_upgrade_keeps_existing_rows(fresh_app):
    from sqlalchemy import text

    with fresh_app.app_context():
        from app.extensions import db

        downgrade(revision="0001_initial")
        db.session.execute(text(
            "INSERT INTO quizzes (id, title, audience, question_count, pass_mark, patterns, scenarios, description, position, active)"
            " VALUES ('old', '旧测验', 'elder', 5, 60, '[]', 0, '', 0, :yes)"), {"yes": True})
        db.session.commit()
        upgrade()
        assert db.session.execute(text("SELECT title, item_ids FROM quizzes")).one()[0] == "旧测验"
