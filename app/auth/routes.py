"""Sign-in pages for teachers, organisers and admins: log in, log out, change password, accounts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.auth import devices, services
from app.auth.access import current_user, login_required, roles_required, sign_in, sign_out
from app.auth.errors import AccountError, AccountLocked, LoginFailed
from app.auth.forms import LoginForm, LogoutForm, PasswordForm, UserForm
from app.auth.models import ROLE_LABELS, User
from app.auth.throttle import Client
from app.extensions import limiter
from app.ratelimit.keys import limit_setting, remote_address
from app.security import safe_next

bp = Blueprint("auth", __name__, url_prefix="/staff")

HOME = "/manage/"


def login_limit() -> str:
    return limit_setting("RATELIMIT_LOGIN_PER_IP")


def _me() -> User:
    """The signed-in account in a view behind login_required (which already sent everyone else away)."""
    user = current_user()
    if user is None:
        abort(401)
    return user


@bp.app_context_processor
def _staff() -> dict[str, Any]:
    """`staff_user` in every template: the signed-in account (None for learners: no query then)."""
    user = current_user()
    return {"staff_user": user, "logout_form": LogoutForm(formdata=None) if user is not None else None}


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, key_func=remote_address, methods=["POST"])
def login() -> Response | tuple[str, int]:
    form = LoginForm()
    target = safe_next(form.next.data if request.method == "POST" else request.args.get("next"))
    if target and target.startswith(request.path):
        target = None  # back to this page would loop
    if request.method == "GET":
        if current_user() is not None:
            return redirect(target or HOME, code=303)
        form.next.data = target or ""
        return render_template("auth/login.html", form=form, error=None), 200
    try:
        user = services.authenticate(form.email.data, form.password.data, _client())
    except (LoginFailed, AccountLocked) as exc:
        return render_template("auth/login.html", form=form, error=exc.message), exc.status
    # A fresh sign-in drops an earlier account's keys; the learner's keys (participant, nickname,
    # CSRF secret) stay, so a quiz open in another tab still takes its next answer (app.auth.access).
    sign_in(user)
    response = redirect(target or HOME, code=303)
    _remember_device(response, user)
    return response


def _secure() -> bool:
    return bool(current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def _client() -> Client:
    """This request's side of the sign-in throttle: its address and its device cookie."""
    return Client(remote_address(), request.cookies.get(devices.cookie_name(_secure())))


def _remember_device(response: Response, user: User) -> None:
    """This browser signed in to this account: later failures here are counted apart (app.auth.devices)."""
    secure = _secure()
    name = devices.cookie_name(secure)
    response.set_cookie(name, devices.issue(user.email, request.cookies.get(name)),
                        max_age=int(devices.MAX_AGE.total_seconds()), path="/", secure=secure, httponly=True,
                        samesite="Lax")


@bp.post("/logout")
def logout() -> Response:
    # CSRF was checked (as for every POST) before this view runs.
    user = current_user()
    if user is not None:
        services.end_sessions(user)
    sign_out()
    return redirect(url_for("auth.signed_out"), code=303)


@bp.get("/signed-out")
def signed_out() -> str:
    return render_template("auth/signed_out.html")


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> Response | tuple[str, int]:
    user = _me()
    form = PasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/password.html", form=form), 200
    try:
        services.change_password(user, form.current.data, form.new.data, form.confirm.data, _client())
    except (AccountError, AccountLocked) as exc:
        form[getattr(exc, "field", None) or "current"].errors.append(exc.message)
        return render_template("auth/password.html", form=form), exc.status
    sign_in(user)  # this browser goes on with the new session version; every other session ended
    return redirect(url_for("auth.password_changed"), code=303)


@bp.get("/password/changed")
@login_required
def password_changed() -> str:
    return render_template("auth/password_changed.html")


def _user_form(viewer: User) -> UserForm:
    roles, orgs = services.creatable(viewer)
    form = UserForm()
    # The everyday account first: a teacher; admins are rare.
    form.role.choices = [(role, ROLE_LABELS[role]) for role in sorted(roles, key=("teacher", "organiser", "admin").index)]
    none = [("", "不属于任何单位（只适用于管理员）")] if viewer.role == "admin" else []
    form.organisation.choices = none + [(str(org.id), f"{org.name}（编号 {org.id}）") for org in orgs]
    return form


@bp.route("/users", methods=["GET", "POST"])
@roles_required("admin", "organiser")
def users() -> Response | tuple[str, int]:
    viewer = _me()
    form = _user_form(viewer)
    status = 200
    if form.validate_on_submit():
        try:
            created = services.create_user(
                form.email.data, form.password.data, form.confirm.data, form.role.data,
                form.organisation.data, form.display_name.data, creator=viewer,
            )
        except AccountError as exc:  # NotAllowed is not caught: it is the 403 page
            form[exc.field or "email"].errors.append(exc.message)
            status = exc.status
        else:
            return redirect(url_for("auth.users", created=created.id), code=303)
    people = services.visible_users(viewer)
    created_id = request.args.get("created", type=int)
    just_created = next((p for p in people if p.id == created_id), None)
    orgs = {int(value): label for value, label, _selected, _attrs in form.organisation.iter_choices() if value}
    return render_template("auth/users.html", form=form, people=people, orgs=orgs, roles=ROLE_LABELS,
                           just_created=just_created), status
