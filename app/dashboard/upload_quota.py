"""Each signed-in account's quota of uploaded files (quiz files and rosters together).

Reading a file is the most expensive thing a page does, and every reader is capped
(app.bank.safe_files); the quota bounds how often one account may ask for it. It uses the app's own
limiter (app.ratelimit) keyed on the account, never on the address: a whole school shares one IP.
A file is counted once the form is valid, just before it is read."""

from __future__ import annotations

import math

from app.auth.models import User
from app.errors import DomainError
from app.extensions import limiter
from app.ratelimit.keys import limit_setting
from app.ratelimit.limiter import RateLimited

SCOPE = "dashboard.uploads"  # one counter for both upload forms


class UploadQuotaUsed(DomainError):
    status = 429
    code = "upload_quota"

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        minutes = max(1, math.ceil(seconds / 60))
        super().__init__(f"上传得太频繁了：每个账号每小时能上传的文件有限（防止大文件拖慢服务器），请 {minutes} 分钟后再试。")

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.seconds)}


def count_upload(user: User) -> None:
    """Count one file against the account's quota (RATELIMIT_UPLOAD); UploadQuotaUsed when it is spent."""
    try:
        limiter.hit(limit_setting("RATELIMIT_UPLOAD"), f"user:{user.id}", SCOPE)
    except RateLimited as exc:
        raise UploadQuotaUsed(exc.seconds) from None
