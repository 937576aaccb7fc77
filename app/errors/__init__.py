"""The one root of every domain error, and the error pages and JSON errors built from it.

A domain error carries what a person needs: a slug (`code`), an HTTP status, a message in plain
Chinese and, where the message belongs to one form field, that field's name. Views put the message
beside the field it names; the API returns `{"error": {"code", "message"}}`;
commands print the message as one line.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"
    message = "请求有误，请返回重试。"
    field: str | None = None  # the form field (or JSON key) the message is about

    def __init__(self, message: str | None = None, field: str | None = None) -> None:
        if message:
            self.message = message
        if field:
            self.field = field
        super().__init__(self.message)


class NotFoundError(DomainError):
    status = 404
    code = "not_found"
    message = "没有找到，请回到首页重新选择。"


class ConflictError(DomainError):
    status = 409
    code = "conflict"
    message = "这个操作已经做过了，不需要重复提交。"


class InvalidValue(DomainError):
    status = 422
    code = "unprocessable"
    message = "提交的内容有误，请检查后再试。"


def show_on_form(form: Any, exc: DomainError, fallback: str | None = None) -> bool:
    """Put a domain error's message beside the form field it names (or `fallback` when the form has
    no such field). False when neither is on the form: the caller lets the error through."""
    for name in (exc.field, fallback):
        target = getattr(form, name, None) if name else None
        if target is not None and hasattr(target, "errors"):
            target.errors = [exc.message]
            return True
    return False

