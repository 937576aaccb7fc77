"""`flask user create`: accounts from the command line (the first admin, or a whole school's teachers)."""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from app.auth.models import ROLES
from app.auth.services import check_account, clean_display_name, create_user
from app.errors import DomainError


@click.group("user", help="Staff accounts (teachers, organisers, admins).")
def user_cli() -> None:
    pass


@user_cli.command("create")
@click.option("--email", required=True, help="Sign-in email (case does not matter).")
@click.option("--role", required=True, help="teacher | organiser | admin")
@click.option("--org", "org_id", type=int, default=None, help="Organisation id (required for teacher and organiser).")
@click.option("--name", default="", help="Display name, e.g. 王老师.")
@with_appcontext
def create(email: str, role: str, org_id: int | None, name: str) -> None:
    """Create an account; asks for the password twice and prints the new user's id last."""
    if role not in ROLES:
        _fail(f"角色只能是 {' / '.join(ROLES)}（unknown role: {role}）。")
    if role in ("teacher", "organiser") and org_id is None:
        _fail(f"{role} 账号要用 --org 指定所属单位（--org is required for {role}）。")
    try:
        check_account(email, role, org_id)  # before asking for a password that would be wasted
        clean_display_name(name)
        password = click.prompt("Password / 密码", hide_input=True,
                                confirmation_prompt="Repeat password / 再输一次密码")
        user = create_user(email, password, password, role, org_id, name)
    except DomainError as exc:
        _fail(f"{exc.message} ({exc.code})")
    except SQLAlchemyError as exc:
        _fail(f"写入数据库失败：{exc.__class__.__name__}。请先运行 flask --app wsgi db upgrade。")
    click.echo(f"已创建账号 {user.email}（{user.role}）。")
    click.echo(str(user.id))


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)
