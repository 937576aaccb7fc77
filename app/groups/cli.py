"""`flask org …`, `flask group …`, `flask campaign …`: set up a campaign from the command line.
Each prints the new id (or join code) as its last line, for scripts."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.errors import DomainError
from app.extensions import db
from app.groups import services
from app.groups.kinds import KINDS


def _fail(exc: DomainError) -> None:
    db.session.rollback()
    raise click.ClickException(exc.message)


@click.group("campaign", help="Campaigns across organisations (a district's schools, a county's hospitals).")
def campaign_cli() -> None:
    pass


@campaign_cli.command("create")
@click.option("--name", required=True, help="活动名称")
@with_appcontext
def create_campaign(name: str) -> None:
    try:
        campaign = services.create_campaign(name)
    except DomainError as exc:
        _fail(exc)
        return
    click.echo(f"created campaign {campaign.name}")
    click.echo(campaign.id)


@click.group("org", help="Organisations: schools, hospitals, communities, agencies.")
def org_cli() -> None:
    pass


@org_cli.command("create")
@click.option("--name", required=True, help="单位名称")
@click.option("--kind", required=True, type=click.Choice(list(KINDS)), help="|".join(KINDS))
@click.option("--campaign", "campaign_id", type=int, default=None, help="the campaign it takes part in")
@with_appcontext
def create_org(name: str, kind: str, campaign_id: int | None) -> None:
    try:
        org = services.create_organisation(name, kind, campaign_id)
    except DomainError as exc:
        _fail(exc)
        return
    click.echo(f"created {org.words.label} {org.name}")
    click.echo(org.id)


@click.group("group", help="Groups of an organisation: classes, wards, departments, teams.")
def group_cli() -> None:
    pass


@group_cli.command("create")
@click.option("--org", "org_id", required=True, type=int, help="organisation id (from `org create`)")
@click.option("--name", required=True, help="班级、科室或小组名称")
@click.option("--size", required=True, type=int, help="expected headcount (应到人数)")
@click.option("--quiz", "quiz_id", default=None, help="quiz played without an assignment (default by kind)")
@with_appcontext
def create_group(org_id: int, name: str, size: int, quiz_id: str | None) -> None:
    try:
        group = services.create_group(services.get_organisation(org_id), name, size, quiz_id)
    except DomainError as exc:
        _fail(exc)
        return
    click.echo(f"created {group.name} (size {group.size}, quiz {group.quiz_id}); join at /g/{group.join_code}")
    click.echo(group.join_code)
