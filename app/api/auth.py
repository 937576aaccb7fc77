"""Bearer-token authentication of an attempt."""

from __future__ import annotations

from flask import request

from app.errors import DomainError
from app.quiz import services
from app.quiz.errors import NotYours
from app.quiz.lookup import Lookup, slot_by_token
from app.quiz.models import Attempt


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
    message = "缺少答题凭证：请在请求头里带上 Authorization: Bearer <token>（开始答题时返回的 token）。"


def _token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        raise Unauthorized()
    return token


def bearer_slot(attempt_id: str, n: int) -> Lookup:
    """The attempt this token opens, its question n, whether that is answered and whether the one
    before is: one query when all is well; otherwise the slower checks below say exactly what is
    wrong (401, 403, 404)."""
    found = slot_by_token(_token(), attempt_id, n)
    if found is not None:
        return found
    attempt = bearer_attempt(attempt_id)
    raise services.range_error(attempt.question_count)  # the token is right: question n is not in it


def bearer_attempt(attempt_id: str) -> Attempt:
    token = _token()
    owner = services.attempt_by_token(token)
    if owner is not None and owner.id == attempt_id:
        return owner
    services.get_attempt(attempt_id)  # unknown attempt: 404
    if owner is None:
        raise Unauthorized("答题凭证无效或已失效，请重新开始答题。")
    raise NotYours("这个答题凭证不属于这份答题记录。")
