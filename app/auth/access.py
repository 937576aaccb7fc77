"""Who is signed in, and which organisations and groups they may see.

Every route that takes an id goes through `group_for` / `organisation_for`: anything the signed-in
person may not see is a 404, exactly like something that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, redirect, request, session, url_for
from sqlalchemy import Select, select

from app.auth.models import User
from app.database import row_id
from app.extensions import db
from app.groups.models import Group, Organisation

F = TypeVar("F", bound=Callable[..., Any])

# The only session keys a staff sign-in owns. Everything else in the cookie belongs to the person at
# this browser as a learner (participant "pid", "nickname", the CSRF secret "csrf_token") and stays
# through sign-in and sign-out, so a quiz open in another tab goes on with the token its page holds.
AUTH_KEYS = ("uid", "uv")


def current_user() -> User | None:
    """The signed-in account, or None. A session ends when the account's session_version moves
    (password change, sign-out) or the account is gone."""
    if "current_user" in g:
        remembered: User | None = g.current_user
        return remembered
    user = None
    uid, version = session.get("uid"), session.get("uv")
    if isinstance(uid, int) and isinstance(version, int):
        found = db.session.get(User, uid)
        if found is not None and found.session_version == version:
            user = found
    g.current_user = user
    return user


def sign_in(user: User) -> None:
    """This browser is `user` now: any earlier account's keys go, the learner's keys stay."""
    sign_out()
    session["uid"], session["uv"] = user.id, user.session_version
    g.current_user = user


def sign_out() -> None:
    for key in AUTH_KEYS:
        session.pop(key, None)
    g.current_user = None


def login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")), code=303)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]  # functools.wraps made it look like `view`


def roles_required(*roles: str) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @login_required
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None or user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]  # functools.wraps made it look like `view`

    return decorate


def visible_groups(user: User) -> Select[tuple[Group]]:
    stmt = select(Group)
    if user.role == "admin":
        return stmt
    if user.role == "organiser":
        return stmt.where(Group.organisation_id == user.organisation_id)
    return stmt.where(Group.teacher_id == user.id)


def visible_organisations(user: User) -> Select[tuple[Organisation]]:
    stmt = select(Organisation)
    if user.role == "admin":
        return stmt
    if user.role == "organiser":
        return stmt.where(Organisation.id == user.organisation_id)
    return stmt.where(Organisation.id.in_(select(Group.organisation_id).where(Group.teacher_id == user.id)))


def group_for(user: User, group_id: object) -> Group:
    """The group if this person may see it, else 404."""
    gid = row_id(group_id)
    group = db.session.scalar(visible_groups(user).where(Group.id == gid)) if gid else None
    if group is None:
        abort(404)
    return group


def organisation_for(user: User, org_id: object, manage: bool = False) -> Organisation:
    """The organisation if this person may see it (teachers see their groups' organisation); with
    manage=True only admins and its organisers pass. Else 404."""
    oid = row_id(org_id)
    org = db.session.scalar(visible_organisations(user).where(Organisation.id == oid)) if oid else None
    if org is None or (manage and user.role == "teacher"):
        abort(404)
    return org
