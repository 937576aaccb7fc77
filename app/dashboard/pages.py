"""What the management views share: the signed-in account, a service error shown on its form
field, and the group page (rendered by the group, roster and board views alike)."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_wtf import FlaskForm

from app.auth.access import current_user
from app.auth.models import User
from app.dashboard import services
from app.dashboard.forms import BoardForm, GroupEditForm, RosterSettingsForm, RosterUploadForm
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.groups.codes import display
from app.groups.models import BOARD_MODES, Group


def me() -> User:
    """The signed-in account (the views are all behind login_required)."""
    user = current_user()
    if user is None:
        abort(401)
    return user


def failed(form: FlaskForm, exc: DomainError, default: str) -> None:
    """Show a service's message under the field it names (`exc.field`), else under `default`."""
    db.session.rollback()
    if not show_on_form(form, exc, fallback=default):
        raise exc


def share_url(group: Group) -> str:
    """The absolute link learners open (the class page /g/<code>), as put in the QR code."""
    return f"{request.host_url.rstrip('/')}/g/{group.join_code}"


def group_page(group: Group, status: int = 200, **forms: object) -> tuple[str, int]:
    """The manage page; a failed POST passes its own form (with errors) and gets 422."""
    org = services.organisation_of(group)
    edit = forms.get("edit") or GroupEditForm(formdata=None, prefix="edit", name=group.name, size=str(group.size))
    board = forms.get("board") or BoardForm(formdata=None, prefix="board", mode=group.board_mode,
                                             top_n=str(group.board_top_n))
    roster_ok = services.roster_allowed(org)
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
