"""`flask db …`: the schema's Alembic migrations (migrations/), with alembic imported only when a
command runs, so web workers never load it."""

from __future__ import annotations

from typing import Any

import click
from flask.cli import with_appcontext

from app.config import ROOT

MIGRATIONS = ROOT / "migrations"


def _config() -> Any:
    from alembic.config import Config

    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(revision: str = "head") -> None:
    """Upgrade the current app's database (call inside an app context)."""
    from alembic import command

    command.upgrade(_config(), revision)


def downgrade(revision: str) -> None:
    from alembic import command

    command.downgrade(_config(), revision)


@click.group("db", help="Database schema (Alembic migrations).")
def db_cli() -> None:
    pass


@db_cli.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def upgrade_command(revision: str) -> None:
    """Create or upgrade the schema to REVISION (default: the newest)."""
    upgrade(revision)
    click.echo("数据库结构已是最新。")


@db_cli.command("downgrade")
@click.argument("revision")
@with_appcontext
def downgrade_command(revision: str) -> None:
    """Step the schema back to REVISION (for example: base)."""
    downgrade(revision)


@db_cli.command("current")
@with_appcontext
def current_command() -> None:
    """Show the schema's revision."""
    from alembic import command

    command.current(_config())


@db_cli.command("migrate")
@click.option("-m", "--message", required=True, help="What the revision does.")
@with_appcontext
def migrate_command(message: str) -> None:
    """Write a new revision from the difference between the models and the database (developers)."""
    from alembic import command

    command.revision(_config(), message=message, autogenerate=True)
