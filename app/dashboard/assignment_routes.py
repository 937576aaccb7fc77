"""Assignments of an organisation: a quiz given to some of its groups with a window and a counting rule."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs are 3.2's

from app.auth.access import login_required, organisation_for
from app.dashboard import assignments as work
from app.dashboard import bp, services
from app.dashboard.forms import AssignmentForm
from app.dashboard.pages import failed, me
from app.groups import services as groups
from app.groups.errors import GroupError
from app.groups.models import Organisation
from app.timezones import local_text, zone_label


def _local(when: datetime) -> str:
    return local_text(when, "%Y-%m-%d %H:%M")


def _page(org: Organisation, form: AssignmentForm, status: int = 200) -> tuple[str, int]:
    return render_template("dashboard/assignments.html", org=org, words=org.words, form=form, local=_local,
                           zone_label=zone_label(), rows=work.assignments_for(org)), status


@bp.route("/organisations/<int:org_id>/assignments", methods=["GET", "POST"])
@login_required
def assignments(org_id: int) -> Response | tuple[str, int]:
    org = organisation_for(me(), org_id, manage=True)
    form = AssignmentForm()
    form.quiz.choices = services.quiz_choices(org)
    form.groups.choices = [SelectChoice(str(g.id), g.name) for g in groups.groups_of(org)]
    if form.validate_on_submit():
        try:
            work.new_assignment(org, form.quiz.data, form.groups.data or [], form.opens_at.data,
                                form.closes_at.data, form.rule.data, form.tries_per_day.data)
        except GroupError as exc:
            failed(form, exc, "quiz")
            return _page(org, form, 422)
        flash("任务已布置。", "success")
        return redirect(url_for("dashboard.assignments", org_id=org.id), code=303)
    return _page(org, form)
