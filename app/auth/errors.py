"""Domain errors of staff accounts (app.errors.DomainError: slug, Chinese message, status, field)."""

from __future__ import annotations

from datetime import UTC, datetime

from app.errors import DomainError
from app.timezones import local_text, zone_label


class AccountError(DomainError):
    """A form value that cannot be used (the page says which and why)."""

    status = 422
    code = "invalid_account"
    message = "提交的内容有误，请检查后再试。"


class LoginFailed(DomainError):
    """Wrong email or wrong password: one message for both, so it never tells whether an account exists."""

    status = 401
    code = "login_failed"
    message = "邮箱或密码不对，请检查后再试。忘记密码请联系本单位的管理员。"


class AccountLocked(DomainError):
    """Too many failures for this email address from this browser or network (app.auth.throttle): said
    the same way whether or not an account has the address."""

    status = 429
    code = "account_locked"

    def __init__(self, until: datetime, now: datetime | None = None):
        self.until = until
        now = now or datetime.now(UTC)
        minutes = max(1, -(-int((until - now).total_seconds()) // 60))  # rounded up
        at = local_text(until, "%H:%M")
        super().__init__(
            f"这个邮箱在这里登录失败的次数太多，为了安全暂时锁定了。请在{zone_label()} {at} 之后（大约 {minutes} 分钟后）再试；"
            "在你以前登录过的手机或电脑上可以照常登录。忘记密码请联系本单位的管理员。"
        )


class WrongPassword(AccountError):
    code = "wrong_password"
    message = "当前密码不对，请重新输入。"
    field = "current"


class DuplicateEmail(AccountError):
    status = 409
    code = "duplicate_email"
    message = "这个邮箱已经有账号了，请换一个邮箱。"
    field = "email"


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"
    message = "你没有权限创建这种账号：组织者只能为本单位创建老师/负责人账号。"
