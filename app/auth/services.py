"""Staff accounts: signing in (throttled per address and client, app.auth.throttle), ending sessions,
changing passwords, creating accounts (with who-may-create-whom)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.auth import throttle
from app.auth.errors import AccountError, DuplicateEmail, LoginFailed, NotAllowed, WrongPassword
from app.auth.models import ROLES, User
from app.auth.passwords import check_password, hash_password, needs_rehash, password_problem
from app.auth.throttle import Client
from app.database import row_id, utcnow
from app.extensions import db
from app.groups.models import Organisation

# No spaces or control characters (a NUL would not even reach PostgreSQL), one @, a dot after it.
EMAIL_RE = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")
NAME_LIMIT = 40


def normalise_email(raw: object) -> str:
    """The stored form of an email: trimmed, NFC, lower case (so sign-in ignores case)."""
    if not isinstance(raw, str):
        return ""
    return unicodedata.normalize("NFC", raw).strip().lower()


def find_by_email(email: str) -> User | None:
    if not email:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email))


def _checked(email: str, stored: str | None, password: str, client: Client, now: datetime) -> bool:
    """Whether the password is right, through the throttle of this address and client: raises
    AccountLocked while they wait (nothing is checked); a wrong password counts a failure (and may
    lock), a right one clears the count. With no stored hash (no such account) or no password, a
    dummy hash is checked instead: as slow, and as wrong."""
    key = throttle.key_of(email, client)
    throttle.check(key, now)
    if not check_password(stored if password else None, password):
        throttle.record_failure(key, now)
        return False
    throttle.clear(key)
    return True


def verify_password(user: User, password: str, client: Client, now: datetime | None = None) -> bool:
    """Check a signed-in or signing-in account's password through the throttle; a right one that was
    hashed with an older or weaker method is hashed again."""
    if not _checked(user.email, user.password_hash, password, client, now or utcnow()):
        return False
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.commit()
    return True


def authenticate(email: object, password: object, client: Client, now: datetime | None = None) -> User:
    """The account for this email and password, or LoginFailed, or AccountLocked. An unknown email
    gets exactly what a wrong password gets: the same message, as slow (a dummy hash is checked), and
    the same throttle (counted and locked per address and client), so nothing tells which exist."""
    now = now or utcnow()
    address = normalise_email(email)
    secret = password if isinstance(password, str) else ""
    user = find_by_email(address) if len(address) <= 254 and EMAIL_RE.match(address) else None
    if user is None:
        _checked(address, None, secret, client, now)
        raise LoginFailed()
    if not verify_password(user, secret, client, now):
        raise LoginFailed()
    return user


def end_sessions(user: User) -> None:
    """Every session of this account ends (all devices): the session version moves on."""
    db.session.execute(
        update(User).where(User.id == user.id).values(session_version=User.session_version + 1)
    )
    db.session.commit()
    db.session.refresh(user)


def change_password(user: User, current: object, new: object, confirm: object, client: Client) -> None:
    """Check the current password (throttled like sign-in), the new one's rules, and store it; every
    session of the account ends (the caller signs this browser in again)."""
    if not isinstance(current, str) or not current or not verify_password(user, current, client):
        raise WrongPassword()
    new_password = _new_password(new, confirm, user.email)
    if check_password(user.password_hash, new_password):
        raise AccountError("新密码不能和当前密码一样。", "new")
    user.password_hash = hash_password(new_password)
    end_sessions(user)  # commits the new hash together with the new session version


def _new_password(new: object, confirm: object, email: str, field: str = "new") -> str:
    if not isinstance(new, str) or not new:
        raise AccountError("请填写密码。", field)
    problem = password_problem(new, email)
    if problem:
        raise AccountError(problem, field)
    if new != confirm:
        raise AccountError("两次输入的密码不一样，请重新输入。", "confirm")
    return new


def clean_display_name(raw: object) -> str:
    name = unicodedata.normalize("NFC", raw).strip() if isinstance(raw, str) else ""
    if any(unicodedata.category(ch).startswith("C") for ch in name) or "<" in name or ">" in name:
        raise AccountError("姓名不能含有尖括号或控制字符。", "display_name")
    if len(name) > NAME_LIMIT:
        raise AccountError(f"姓名最多 {NAME_LIMIT} 个字。", "display_name")
    return name


def _organisation(raw: object) -> Organisation | None:
    if raw is None or raw == "":
        return None
    try:
        org_id = int(str(raw).strip())
    except ValueError:
        raise AccountError("单位编号要填一个整数。", "organisation") from None
    org = db.session.get(Organisation, org_id) if row_id(org_id) else None
    if org is None:
        raise AccountError(f"没有编号为 {org_id} 的单位（unknown organisation）。", "organisation")
    return org


def may_create(creator: User | None, role: str, org: Organisation | None) -> bool:
    """Admins (and the command line, creator None) create anything; organisers create teachers of
    their own organisation; teachers create nobody."""
    if creator is None or creator.role == "admin":
        return True
    return (creator.role == "organiser" and role == "teacher" and org is not None
            and creator.organisation_id is not None and org.id == creator.organisation_id)


def check_account(email: object, role: object, organisation_id: object = None,
                  creator: User | None = None) -> tuple[str, Organisation | None]:
    """Everything about a new account but its password (the command line checks this before asking
    for one): the normalised email and the organisation. Raises AccountError or NotAllowed."""
    if role not in ROLES:
        raise AccountError("角色只能是 管理员、组织者 或 老师/负责人（admin / organiser / teacher）。", "role")
    if creator is not None and creator.role not in ("admin", "organiser"):
        raise NotAllowed("你没有权限创建账号。")
    org = _organisation(organisation_id)
    if role in ("teacher", "organiser") and org is None:
        raise AccountError("老师/负责人和组织者账号要选所属单位（--org）。", "organisation")
    if not may_create(creator, str(role), org):
        raise NotAllowed()
    address = normalise_email(email)
    if (len(address) > 254 or not EMAIL_RE.match(address)
            or any(unicodedata.category(ch).startswith("C") for ch in address)):
        raise AccountError("请填写正确的邮箱，例如 teacher@example.cn。", "email")
    if find_by_email(address) is not None:
        raise DuplicateEmail()
    return address, org


def create_user(email: object, password: object, confirm: object, role: object, organisation_id: object = None,
                display_name: object = "", creator: User | None = None) -> User:
    address, org = check_account(email, role, organisation_id, creator)
    name = clean_display_name(display_name)
    password_text = _new_password(password, confirm, address, "password")
    user = User(email=address, display_name=name, password_hash=hash_password(password_text), role=str(role),
                organisation_id=org.id if org else None, session_version=1)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # the same email created at the same moment elsewhere
        db.session.rollback()
        raise DuplicateEmail() from None
    return user


def visible_users(viewer: User) -> Sequence[User]:
    """Accounts a person may list: admins all, organisers their organisation's, teachers none."""
    stmt = select(User).order_by(User.organisation_id, User.role, User.email)
    if viewer.role == "organiser":
        stmt = stmt.where(User.organisation_id == viewer.organisation_id)
    elif viewer.role != "admin":
        return []
    return db.session.scalars(stmt).all()


def creatable(viewer: User) -> tuple[list[str], list[Organisation]]:
    """The roles and organisations this person may pick when creating an account."""
    if viewer.role == "admin":
        return list(ROLES), list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    if viewer.role == "organiser" and viewer.organisation_id is not None:
        org = db.session.get(Organisation, viewer.organisation_id)
        return ["teacher"], [org] if org else []
    return [], []
