"""Teachers upload their own items (Excel or GIFT) as a private quiz for their groups.

Teachers of the organisation (through their groups), its organisers and admins may list and upload;
anyone else gets the 404 of app.auth.access.organisation_for. A quiz is retired by a teacher who
uploaded it, or by an organiser or admin (app.dashboard.quiz_owners); other teachers get a 403.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import flash, get_flashed_messages, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response

from app.auth.access import current_user, login_required, organisation_for
from app.auth.models import User
from app.bank.schema import Bank
from app.bank.taxonomy import AUDIENCES
from app.dashboard import bp, quiz_owners, uploads
from app.dashboard.pages import me
from app.dashboard.upload_forms import UploadForm
from app.dashboard.upload_quota import UploadQuotaUsed, count_upload
from app.groups.models import Organisation
from app.quiz.forms import EmptyForm
from app.timezones import local_text

# The multipart body around the file (boundaries, the other fields) is small; allow this much extra.
REQUEST_SLACK = 64 * 1024
UPLOAD_ENDPOINT = "dashboard.org_quizzes"
SAMPLES = {"xlsx": ("题库模板.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
           "gift": ("题库示例.gift", "text/plain; charset=utf-8")}


@bp.url_value_preprocessor
def _allow_upload_size(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """The upload is the one form bigger than MAX_CONTENT_LENGTH. URL preprocessors run before the
    CSRF check reads the body, so the file's own limit (checked again by the service) applies here."""
    if endpoint == UPLOAD_ENDPOINT and request.method == "POST":
        request.max_content_length = uploads.MAX_UPLOAD_BYTES + REQUEST_SLACK


def _org(org_id: int) -> Organisation:
    user = current_user()
    assert user is not None  # noqa: S101 - behind login_required
    return organisation_for(user, org_id)


def _day(when: datetime | None) -> str:
    return local_text(when, "%Y-%m-%d", "—")


def _signed_in() -> User:
    user = current_user()
    assert user is not None  # noqa: S101 - behind login_required
    return user


def _page(org: Organisation, form: UploadForm, problems: list[str] | None = None) -> str:
    quizzes = uploads.own_quizzes(org)
    return render_template(
        "dashboard/upload.html", org=org, words=org.words, form=form, problems=problems or [], quizzes=quizzes,
        retirable=quiz_owners.retirable(_signed_in(), [own.quiz for own in quizzes]), retire_form=EmptyForm(),
        notices=get_flashed_messages(with_categories=True), day=_day,
        audiences=AUDIENCES, max_mb=uploads.MAX_UPLOAD_BYTES // 1024 // 1024,
    )


@bp.route("/organisations/<int:org_id>/quizzes", methods=["GET", "POST"])
@login_required
def org_quizzes(org_id: int) -> Response | tuple[str, int] | tuple[str, int, dict[str, str]] | str:
    org = _org(org_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return (_page(org, form), 422) if form.is_submitted() else _page(org, form)
    try:
        count_upload(me())  # the file is about to be read: it counts against the account's quota
    except UploadQuotaUsed as exc:
        form.file.errors = [exc.message]
        return _page(org, form), exc.status, exc.headers
    upload = form.file.data
    data = upload.stream.read(uploads.MAX_UPLOAD_BYTES + 1)
    options = uploads.UploadOptions(pass_mark=form.pass_mark.number(), audience=form.audience.data or None,
                                    count=form.count.number())
    try:
        report = uploads.import_upload(org, upload.filename, data, form.title.data or "", options)
    except uploads.UploadRejected as exc:
        return _page(org, form, exc.problems), 422
    quiz_owners.record_uploader(_signed_in(), [quiz_id for quiz_id, _title in report.quizzes])
    flash(report.summary(), "success")
    return redirect(url_for(UPLOAD_ENDPOINT, org_id=org.id), code=303)


@bp.post("/organisations/<int:org_id>/quizzes/<quiz_id>/retire")
@login_required
def retire_quiz(org_id: int, quiz_id: str) -> Response:
    org = _org(org_id)
    EmptyForm()  # CSRF is checked for every POST by the global CSRFProtect
    uploads.own_quiz(org, quiz_id)  # 404 before 403: another organisation's quiz is not there at all
    quiz_owners.check_may_retire(_signed_in(), quiz_id)
    try:
        quiz = uploads.retire_quiz(org, quiz_id)
    except uploads.QuizInUse as exc:
        flash(exc.message, "error")
    else:
        flash(f"已下架《{quiz.title}》。答题记录都保留；再次上传同一份文件可以重新上架。", "success")
    return redirect(url_for(UPLOAD_ENDPOINT, org_id=org.id), code=303)


@bp.get("/quizzes/template.<any(xlsx, gift):fmt>")
@login_required
def quiz_template(fmt: str) -> Response:
    """The bank's own Excel template (or the same example as GIFT), without its example quiz row:
    an upload without a 测验 sheet becomes one quiz named on the form."""
    from app.bank.gift_format import write_gift
    from app.bank.xlsx_format import template_bank, write_xlsx

    bank = Bank(template_bank().questions, ())
    name, mimetype = SAMPLES[fmt]
    with tempfile.TemporaryDirectory(prefix="fzkt-template-") as folder:
        path = Path(folder) / f"template.{fmt}"
        (write_xlsx if fmt == "xlsx" else write_gift)(bank, path)
        data = path.read_bytes()
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
