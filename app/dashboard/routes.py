"""Group and organisation management pages: thin views over app.dashboard.services, PRG throughout.

Every view needs a signed-in account, and every id goes through app.auth.access (or the same rule
in services): another teacher's group or another organisation is a 404, like one that does not exist.
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs are 3.2's

from app.auth.access import login_required, roles_required
from app.dashboard import bp, services
from app.dashboard.forms import CampaignForm, GroupForm, OrganisationForm
from app.dashboard.pages import failed, me
from app.groups import services as groups
from app.groups.codes import display
from app.groups.errors import GroupError


@bp.context_processor
def _navigation() -> dict[str, object]:
    """Shared by the management pages: join codes as ABC-DEF; the quiz upload page once it exists."""
    return {"show_code": display, "has_uploads": "dashboard.org_quizzes" in current_app.view_functions}


@bp.get("/")
@login_required
def home() -> str:
    user = me()
    sections = services.overview(user)
    return render_template("dashboard/home.html", user=user, sections=sections, words=services.one_kind(sections))


@bp.route("/organisations/new", methods=["GET", "POST"])
@roles_required("admin")
def new_organisation() -> Response | tuple[str, int] | str:
    form = OrganisationForm()
    campaigns = services.campaigns()
    form.campaign.choices = [SelectChoice("", "不属于任何活动"), *[SelectChoice(str(c.id), c.name) for c in campaigns]]
    if form.validate_on_submit():
        picked = form.campaign.data or ""
        try:
            if picked and picked not in {str(c.id) for c in campaigns}:
                raise GroupError("请从列表中选择一个活动。", field="campaign")
            org = groups.create_organisation(form.name.data, form.kind.data, int(picked) if picked else None)
        except GroupError as exc:
            failed(form, exc, "name")
        else:
            return redirect(url_for("dashboard.new_group", org_id=org.id), code=303)
        return render_template("dashboard/new_organisation.html", form=form), 422
    return render_template("dashboard/new_organisation.html", form=form)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@roles_required("admin")
def new_campaign() -> Response | tuple[str, int] | str:
    form = CampaignForm()
    if form.validate_on_submit():
        try:
            groups.create_campaign(form.name.data)
        except GroupError as exc:
            failed(form, exc, "name")
        else:
            return redirect(url_for("dashboard.new_organisation"), code=303)
        return render_template("dashboard/new_campaign.html", form=form), 422
    return render_template("dashboard/new_campaign.html", form=form)


@bp.route("/organisations/<int:org_id>/groups/new", methods=["GET", "POST"])
@login_required
def new_group(org_id: int) -> Response | tuple[str, int] | str:
    user = me()
    org = services.organisation_for_new_group(user, org_id)
    form = GroupForm()
    form.quiz.choices = services.quiz_choices(org)
    form.teacher.choices = services.teacher_choices(org)
    if not form.is_submitted():
        form.quiz.data = org.words.default_quiz
    if form.validate_on_submit():
        try:
            group = services.new_group(user, org, form.name.data, form.size.data, form.quiz.data, form.teacher.data)
        except GroupError as exc:
            failed(form, exc, "name")
        else:
            return redirect(url_for("dashboard.group", group_id=group.id), code=303)
        return render_template("dashboard/new_group.html", form=form, org=org, words=org.words, user=user), 422
    return render_template("dashboard/new_group.html", form=form, org=org, words=org.words, user=user)

