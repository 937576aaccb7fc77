"""One group's management page: join code, share link, QR, projector view, name and size, board display."""

from __future__ import annotations

from flask import Response, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from app.auth.access import group_for, login_required
from app.dashboard import bp, services
from app.dashboard.forms import BoardForm, GroupEditForm
from app.dashboard.pages import failed, group_page, me, share_url
from app.groups.codes import display
from app.groups.errors import GroupError
from app.groups.qr import qr_svg


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
            failed(form, exc, "name")
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
            failed(form, exc, "top_n")
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
    org = services.organisation_of(found)
    return render_template("dashboard/project.html", group=found, org=org, words=org.words, code=display(found.join_code),
                           share_url=share_url(found))
