"""One group's management page: join code, share link, QR, projector view, name and size, board display."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from app.auth.access import group_for, login_required
from app.dashboard import services
from app.dashboard.forms import BoardForm, GroupEditForm, RosterSettingsForm, RosterUploadForm
from app.dashboard.routes import bp, failed, me
from app.extensions import db
from app.groups.codes import display
from app.groups.errors import GroupError
from app.groups.models import BOARD_MODES, Group, Organisation
from app.groups.qr import qr_svg


def share_url(group: Group) -> str:
    """The absolute link learners open (the class page /g/<code>), as put in the QR code."""
    return f"{request.host_url.rstrip('/')}/g/{group.join_code}"


def group_page(group: Group, status: int = 200, **forms: object) -> tuple[str, int]:
    """The manage page; a failed POST passes its own form (with errors) and gets 422."""
    org = db.session.get(Organisation, group.organisation_id)
    edit = forms.get("edit") or GroupEditForm(formdata=None, prefix="edit", name=group.name, size=str(group.size))
    board = forms.get("board") or BoardForm(formdata=None, prefix="board", mode=group.board_mode,
                                             top_n=str(group.board_top_n))
    roster_ok = org is not None and services.roster_allowed(org)
    context = {
        "group": group, "org": org, "words": org.words, "code": display(group.join_code), "share_url": share_url(group),
        "participants": services.current_participants([group])[group.id],
        "edit": edit, "board": board, "modes": BOARD_MODES, "roster_allowed": roster_ok,
        "roster": services.roster_of(group) if roster_ok else [],
        "upload": forms.get("upload") or RosterUploadForm(formdata=None, prefix="roster"),
        "roster_settings": forms.get("roster_settings")
        or RosterSettingsForm(formdata=None, prefix="rs", required=group.roster_required),
        "upload_problems": forms.get("problems") or [],
    }
    return render_template("dashboard/group.html", **context), status


@bp.get("/groups/<int:group_id>")
@login_required
def group(group_id: int) -> tuple[str, int]:
    return group_page(group_for(me(), group_id))


@bp.post("/groups/<int:group_id>/edit")
@login_required
def edit_group(group_id: int) -> BaseResponse | tuple[str, int]:
    found = group_for(me(), group_id)
    form = GroupEditForm(prefix="edit")
    if form.validate_on_submit():
        try:
            services.update_group(found, form.name.data, form.size.data)
        except GroupError as exc:
            failed(form, exc, "name", {"应到人数": "size"})
        else:
            return redirect(url_for("dashboard.group", group_id=found.id, _anchor="settings"), code=303)
    return group_page(found, 422, edit=form)


@bp.post("/groups/<int:group_id>/board")
@login_required
def board_settings(group_id: int) -> BaseResponse | tuple[str, int]:
    found = group_for(me(), group_id)
    form = BoardForm(prefix="board")
    if form.validate_on_submit():
        try:
            services.update_board(found, form.mode.data, form.top_n.data)
        except GroupError as exc:
            failed(form, exc, "top_n", {"显示方式": "mode"})
        else:
            return redirect(url_for("dashboard.group", group_id=found.id, _anchor="board"), code=303)
    return group_page(found, 422, board=form)


@bp.get("/groups/<int:group_id>/qr.svg")
@login_required
def group_qr(group_id: int) -> Response:
    found = group_for(me(), group_id)
    svg = qr_svg(share_url(found), title=f"扫码加入 {found.name}")
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


@bp.get("/groups/<int:group_id>/project")
@login_required
def project(group_id: int) -> str:
    found = group_for(me(), group_id)
    org = db.session.get(Organisation, found.organisation_id)
    return render_template("dashboard/project.html", group=found, org=org, words=org.words, code=display(found.join_code),
                           share_url=share_url(found))
