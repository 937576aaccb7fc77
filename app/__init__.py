"""Application factory. It only wires things together: no I/O, no network, no migrations."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from app.config import DEV_SECRET_KEY, ROOT, Defaults, from_environment
from app.errors import DomainError


class StartupRefused(click.ClickException):
    """The app will not start, for a reason an operator can fix. A ClickException, so a `flask`
    command or `flask run` refuses in one line; wsgi.py hands it to gunicorn as a one-line refusal."""


class InsecureConfiguration(StartupRefused):
    """Raised instead of serving in production without a secret key of its own."""


class BadSetting(StartupRefused):
    """A setting that cannot be used (a mistyped number, rate limit, database URL or time zone)."""


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        static_folder=None,
    )
    try:
        configure_settings(app, test_config)
        configure_extensions(app)
        configure_security(app)
    except (ValueError, SQLAlchemyError, ZoneInfoNotFoundError) as exc:
        raise BadSetting(f"设置有误，没有启动：{_one_line(exc)}") from None
    configure_blueprints(app)
    configure_play(app)
    configure_speech(app)
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
    ZoneInfo(app.config["LOCAL_TIMEZONE"])  # a mistyped zone refuses the start, not every page
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'app.db'}"
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://") or uri.startswith("postgresql://"):
        # Plain postgresql:// URLs use the psycopg 3 driver we ship.
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.split("://", 1)[1]
    if app.config["APP_ENV"] == "production" and app.config["SECRET_KEY"] in (DEV_SECRET_KEY, "", None):
        if not _serving():
            # A command (bank check, db upgrade, user create …) signs nothing that outlives it: it runs
            # with a random key of its own, so the content tools work on a fresh clone.
            app.config["SECRET_KEY"] = secrets.token_urlsafe(48)
        else:
            raise InsecureConfiguration(
                "Refusing to serve in production with the development SECRET_KEY: set SECRET_KEY in the "
                "environment or write one to instance/secret_key (make run does this)."
            )


def _serving() -> bool:
    """False only while `flask …` loads the app for a command other than `run`: such a command serves
    no request, so it needs no lasting secret key. gunicorn, `flask run`, tests and scripts serve."""
    ctx = click.get_current_context(silent=True)
    return ctx is None or ctx.find_object(ScriptInfo) is None or ctx.command.name == "run"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, ZoneInfoNotFoundError):
        return f"LOCAL_TIMEZONE 不是已知的时区（例如 Asia/Shanghai）：{text}"
    if isinstance(exc, SQLAlchemyError):
        return f"DATABASE_URL 无法使用（例如 sqlite:///instance/app.db 或 postgresql+psycopg://user@host/db）：{text}"
    return text


def configure_extensions(app: Flask) -> None:
    """Extensions, and every per-process cache the app holds (each with one invalidation):
    - board cache (app.leaderboard.cache): cleared by this worker's commits that change boards,
      otherwise BOARD_CACHE_SECONDS old at most;
    - question versions (app.bank.versions): never cleared, versions are immutable;
    - audio URLs and engine chains (app.tts.service): cleared when the audio store changes
      (app.tts.store's change stamp);
    - live game snapshots (app.live.snapshot): keyed by (game, version), never cleared (a version's
      snapshot never changes; only bounded in size)."""
    from app.auth import models as _auth_models  # noqa: F401 - register tables with the metadata
    from app.bank import models as _bank_models  # noqa: F401
    from app.bank import versions
    from app.dashboard import models as _dashboard_models  # noqa: F401
    from app.database import configure_postgresql, configure_sqlite, engine_options
    from app.extensions import csrf, db, limiter
    from app.groups import models as _group_models  # noqa: F401
    from app.leaderboard import cache as board_cache
    from app.live import models as _live_models  # noqa: F401
    from app.live import snapshot as live_snapshots
    from app.quiz import models as _quiz_models  # noqa: F401
    from app.records import models as _records_models  # noqa: F401

    pgbouncer = bool(app.config["POSTGRES_PGBOUNCER"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"], pgbouncer)
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    board_cache.init_app(app)
    versions.init_app(app)
    live_snapshots.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
        configure_postgresql(db.engine, app.config["POSTGRES_PLAN_CACHE_MODE"], pgbouncer)


def configure_security(app: Flask) -> None:
    from app.security import install

    install(app)


def configure_blueprints(app: Flask) -> None:
    """Every route of the app: each blueprint, and each module that adds views to one of them."""
    from app import api, dashboard
    from app.api import boards as _api_board_views  # noqa: F401 - views on the api blueprint
    from app.api import live as _api_live_views  # noqa: F401
    from app.api import routes as _api_play_views  # noqa: F401
    from app.auth.routes import bp as auth_bp
    from app.dashboard import assignment_routes as _assignments  # noqa: F401 - views on the dashboard blueprint
    from app.dashboard import group_routes as _groups  # noqa: F401
    from app.dashboard import roster_routes as _rosters  # noqa: F401
    from app.dashboard import routes as _dashboard  # noqa: F401
    from app.dashboard import upload_routes as _uploads  # noqa: F401
    from app.extensions import csrf
    from app.health.routes import bp as health_bp
    from app.leaderboard.routes import bp as boards_bp
    from app.live.routes import bp as live_bp
    from app.main.routes import bp as main_bp
    from app.quiz.routes import bp as quiz_bp
    from app.records.routes import bp as records_bp
    from app.reports.routes import bp as reports_bp
    from app.static_files import bp as static_bp
    from app.tts.routes import bp as tts_bp

    csrf.exempt(api.bp)  # bearer tokens, no cookies
    for blueprint in (main_bp, quiz_bp, api.bp, static_bp, tts_bp, auth_bp, dashboard.bp, reports_bp, records_bp,
                      boards_bp, live_bp, health_bp):
        app.register_blueprint(blueprint)


def configure_play(app: Flask) -> None:
    """Play announces starting and finishing (app.quiz.events); the features that care listen here,
    so play never imports them. Listeners run inside the finishing transaction, in this order."""
    from app.groups.membership import count_attempt, resolve_join
    from app.leaderboard.cache import forget_boards
    from app.quiz.context import register_join_resolver
    from app.quiz.events import attempt_finished, result_shown
    from app.records.family import family_played
    from app.records.services import result_section

    register_join_resolver(app, resolve_join)
    for listener in (count_attempt, family_played, forget_boards):
        attempt_finished.connect(listener, sender=app)
    result_shown.connect(result_section, sender=app)


def configure_speech(app: Flask) -> None:
    """Texts spoken besides questions, and the bank's spoken-length notes, registered by their owners."""
    from app.bank.notes import register_notes
    from app.records.pledge_text import spoken_paragraphs
    from app.tts.sources import register_texts
    from app.tts.text import over_budget_notes

    register_texts(app, spoken_paragraphs)
    register_notes(app, over_budget_notes)


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

    for group in (db_cli, bank_cli, tts_cli, user_cli, org_cli, group_cli, campaign_cli):
        app.cli.add_command(OneLineRefusals(group))


class OneLineRefusals(click.Group):
    """A feature's command group as this app registers it: what a command refuses prints as one line on
    stderr (`Error: …`), never a traceback. Exit 1 for a refusal (a domain error, the database, a file,
    a migration), 2 for a command line click cannot read. Anything else is a bug and keeps its traceback."""

    def __init__(self, group: click.Group) -> None:
        super().__init__(
            group.name, commands=group.commands, callback=group.callback, params=group.params, help=group.help,
            short_help=group.short_help, context_settings=group.context_settings,
            invoke_without_command=group.invoke_without_command, no_args_is_help=group.no_args_is_help,
        )

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            path = exc.ctx.command_path if exc.ctx else ctx.command_path
            raise _refusal(f"{path}: {exc.format_message()} ({path} --help)", exit_code=2) from None
        except DomainError as exc:
            raise _refusal(exc.message) from None
        except SQLAlchemyError as exc:
            cause = exc.orig if isinstance(exc, DBAPIError) else exc
            raise _refusal(f"数据库出错（{type(cause).__name__}: {cause}）。请先运行 flask --app wsgi db upgrade，"
                           "并检查 DATABASE_URL。") from None
        except OSError as exc:
            raise _refusal(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)) from None
        except Exception as exc:
            alembic = sys.modules.get("alembic.util.exc")  # loaded only by `db` commands
            if alembic is not None and isinstance(exc, alembic.CommandError):
                raise _refusal(f"数据库迁移：{exc}") from None
            raise


def _refusal(message: str, exit_code: int = 1) -> click.ClickException:
    refusal = click.ClickException(" ".join(message.split()))  # one line, whatever the message held
    refusal.exit_code = exit_code
    return refusal
