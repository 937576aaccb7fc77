"""Report pages and exports for teachers and organisers. Every view signs in first and finds its
group or organisation through app.auth.access, so anything this person may not see is a 404."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from app.auth.access import current_user, group_for, login_required, organisation_for
from app.auth.models import User
from app.database import utcnow
from app.reports import exports
from app.reports.formatting import local_date, local_time, percent
from app.reports.organisations import organisation_report
from app.reports.people import certificates_of, people_of, pledges_of
from app.reports.rounds import round_of
from app.reports.services import group_report
from app.timezones import zone_label

bp = Blueprint("reports", __name__, url_prefix="/reports")
FORMATS = ("csv", "xlsx")


@bp.app_template_global("report_percent")
def _percent(value: Fraction) -> int:
    return percent(value)


@bp.app_template_filter("report_time")
def _local_time(value: datetime | None) -> str:
    return local_time(value)


@bp.app_template_global("report_zone")
def _zone() -> str:
    return zone_label()


def _user() -> User:
    user = current_user()
    if user is None:  # login_required has already redirected
        abort(404)
    return user


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        abort(404)
    return fmt


@bp.get("/groups/<int:group_id>")
@login_required
def group(group_id: int) -> ResponseReturnValue:
    report = group_report(group_for(_user(), group_id))
    projector = request.args.get("view") == "projector"
    return render_template("reports/group.html", report=report, words=report.round.words, projector=projector)


@bp.get("/groups/<int:group_id>/print")
@login_required
def group_print(group_id: int) -> ResponseReturnValue:
    report = group_report(group_for(_user(), group_id))
    return render_template("reports/print.html", report=report, words=report.round.words)


@bp.get("/groups/<int:group_id>/certificates")
@login_required
def group_certificates(group_id: int) -> ResponseReturnValue:
    found = group_for(_user(), group_id)
    current = round_of(found)
    return render_template("reports/certificates.html", round=current, words=current.words, certificates=certificates_of(found.id),
                           generated_at=utcnow())


@bp.get("/groups/<int:group_id>/export.<fmt>")
@login_required
def group_export(group_id: int, fmt: str) -> ResponseReturnValue:
    fmt = _format(fmt)
    current = round_of(group_for(_user(), group_id))
    headers, rows = exports.people_table(current, people_of(current))
    name = f"{current.group.name}-参与记录-{local_date(utcnow())}"
    return exports.table(headers, rows, fmt, name, "参与记录")


@bp.get("/groups/<int:group_id>/pledges.csv")
@login_required
def group_pledges(group_id: int) -> ResponseReturnValue:
    current = round_of(group_for(_user(), group_id))
    headers, rows = exports.pledges_table(current, pledges_of(current.group.id))
    return exports.table(headers, rows, "csv", f"{current.group.name}-承诺书签署名单-{local_date(utcnow())}", "承诺书")


@bp.get("/organisations/<int:org_id>")
@login_required
def organisation(org_id: int) -> ResponseReturnValue:
    user = _user()
    report = organisation_report(user, organisation_for(user, org_id))
    projector = request.args.get("view") == "projector"
    return render_template("reports/organisation.html", report=report, words=report.organisation.words,
                           projector=projector)


@bp.get("/organisations/<int:org_id>/export.<fmt>")
@login_required
def organisation_export(org_id: int, fmt: str) -> ResponseReturnValue:
    fmt = _format(fmt)
    user = _user()
    report = organisation_report(user, organisation_for(user, org_id))
    headers, rows = exports.organisation_table(report)
    name = f"{report.organisation.name}-各{report.organisation.words.group}汇总-{local_date(utcnow())}"
    return exports.table(headers, rows, fmt, name, "汇总")
