"""Application factory. It only wires things together: no I/O, no network, no migrations."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from app.config import DEV_SECRET_KEY, ROOT, Defaults, from_environment


class InsecureConfiguration(RuntimeError):
    """Raised instead of starting in production with the development secret key."""


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        static_folder=None,
    )
    configure_settings(app, test_config)
    configure_extensions(app)
    configure_security(app)
    configure_blueprints(app)
    configure_errors(app)
    configure_templates(app)
    configure_cli(app)
    return app


def configure_settings(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    secret_file = Path(app.instance_path) / "secret_key"
    if secret_file.is_file():
        app.config["SECRET_KEY"] = secret_file.read_text(encoding="utf-8").strip()
    app.config.update(from_environment(os.environ))
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'app.db'}"
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://") or uri.startswith("postgresql://"):
        # Plain postgresql:// URLs use the psycopg 3 driver we ship.
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.split("://", 1)[1]
    if app.config["APP_ENV"] == "production" and app.config["SECRET_KEY"] in (DEV_SECRET_KEY, "", None):
        raise InsecureConfiguration(
            "Refusing to start in production with the development SECRET_KEY: set SECRET_KEY "
            "in the environment or write one to instance/secret_key (make run does this)."
        )


def configure_extensions(app: Flask) -> None:
    from app.database import configure_postgresql, configure_sqlite
    from app.extensions import csrf, db, limiter

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    from app.leaderboard import cache as board_cache

    board_cache.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
        configure_postgresql(db.engine, app.config["POSTGRES_PLAN_CACHE_MODE"])
    from app.auth import models as _auth_models  # noqa: F401
    from app.bank import models as _bank_models  # noqa: F401 - register tables with the metadata
    from app.groups import models as _group_models  # noqa: F401
    from app.quiz import models as _quiz_models  # noqa: F401


def configure_security(app: Flask) -> None:
    from app.security import install

    install(app)


def configure_blueprints(app: Flask) -> None:
    from app.api.routes import bp as api_bp
    from app.auth.routes import bp as auth_bp
    from app.dashboard.routes import bp as dashboard_bp
    from app.leaderboard.routes import bp as boards_bp
    from app.main.routes import bp as main_bp
    from app.quiz.routes import bp as quiz_bp
    from app.records.routes import bp as records_bp
    from app.reports.routes import bp as reports_bp
    from app.static_files import bp as static_bp
    from app.tts.routes import bp as tts_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(quiz_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(static_bp)
    app.register_blueprint(tts_bp)
    for feature_bp in (auth_bp, dashboard_bp, reports_bp, records_bp, boards_bp):
        app.register_blueprint(feature_bp)


def configure_errors(app: Flask) -> None:
    from app.errors.handlers import install

    install(app)


def configure_templates(app: Flask) -> None:
    from app.main.context import install

    install(app)


def configure_cli(app: Flask) -> None:
    from app.auth.cli import user_cli
    from app.bank.cli import bank_cli
    from app.groups.cli import campaign_cli, group_cli, org_cli
    from app.migrations import db_cli
    from app.tts.cli import tts_cli

    app.cli.add_command(db_cli)
    app.cli.add_command(bank_cli)
    app.cli.add_command(tts_cli)
    app.cli.add_command(user_cli)
    for command in (org_cli, group_cli, campaign_cli):
        app.cli.add_command(command)
