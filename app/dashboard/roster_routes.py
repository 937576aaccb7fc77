"""Staff rosters of hospital, agency and community groups: upload an .xlsx, download the template.

Never for school groups: students are minors and only ever appear by nickname."""

from __future__ import annotations

from flask import Response, flash, redirect, url_for
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response as BaseResponse

from app.auth.access import group_for, login_required
from app.dashboard import bp, services
from app.dashboard.forms import RosterSettingsForm, RosterUploadForm
from app.dashboard.pages import failed, group_page, me
from app.dashboard.roster_import import RosterFileError, parse_roster, template_xlsx
from app.dashboard.upload_quota import UploadQuotaUsed, count_upload
from app.extensions import db
from app.groups.errors import GroupError
from app.groups.models import Group, Organisation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _org(group: Group) -> Organisation:
    return services.organisation_of(group)


@bp.post("/groups/<int:group_id>/roster")
@login_required
def upload_roster(group_id: int) -> BaseResponse | tuple[str, int] | tuple[str, int, dict[str, str]]:
    found = group_for(me(), group_id)
    org = _org(found)
    services.refuse_school_roster(org)  # 422 with the reason, before the file is even read
    form = RosterUploadForm(prefix="roster")
    if form.validate_on_submit():
        upload = form.file.data
        try:
            if not isinstance(upload, FileStorage) or not upload.filename:
                raise RosterFileError(["请先选择名单文件（.xlsx）。"])
            count_upload(me())  # a file is on its way to be read: it counts against the account's quota
            counts = services.apply_roster(found, org, parse_roster(upload.stream))
        except UploadQuotaUsed as exc:
            form.file.errors = [exc.message]
            html, status = group_page(found, exc.status, upload=form)
            return html, status, exc.headers
        except RosterFileError as exc:
            db.session.rollback()
            form.file.errors = [exc.message]
            return group_page(found, 422, upload=form, problems=exc.problems)
        flash(f"名单已导入：新增 {counts.added} 人，更新 {counts.updated} 人，未变 {counts.unchanged} 人"
              + (f"；文件里没有的 {counts.kept} 人仍保留在名单中。" if counts.kept else "。"), "success")
        return redirect(url_for("dashboard.group", group_id=found.id, _anchor="roster"), code=303)
    return group_page(found, 422, upload=form)


@bp.post("/groups/<int:group_id>/roster/settings")
@login_required
def roster_settings(group_id: int) -> BaseResponse | tuple[str, int]:
    found = group_for(me(), group_id)
    org = _org(found)
    services.refuse_school_roster(org)
    form = RosterSettingsForm(prefix="rs")
    if form.validate_on_submit():
        try:
            services.set_roster_required(found, org, bool(form.required.data))
        except GroupError as exc:
            failed(form, exc, "required")
        else:
            return redirect(url_for("dashboard.group", group_id=found.id, _anchor="roster"), code=303)
    return group_page(found, 422, roster_settings=form)


@bp.get("/groups/<int:group_id>/roster.xlsx")
@login_required
def roster_template(group_id: int) -> Response:
    """The template (header row), with the current roster under it so it can be edited and re-imported."""
    found = group_for(me(), group_id)
    services.refuse_school_roster(_org(found))
    rows = [(e.name, e.staff_no, e.department) for e in services.roster_of(found)]
    return Response(template_xlsx(rows), mimetype=XLSX, headers={
        "Content-Disposition": "attachment; filename=roster.xlsx; filename*=UTF-8''%E5%90%8D%E5%8D%95.xlsx",
        "Cache-Control": "no-store",
    })
