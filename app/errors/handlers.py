"""One place that turns every error into a friendly page or a contract-shaped JSON error."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.errors import DomainError
from app.errors.limits import refuse_oversize
from app.extensions import db
from app.ratelimit.limiter import RateLimited

MESSAGES: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "请求有误", "提交的内容不完整或格式不对。请返回上一页重新操作。"),
    401: ("unauthorized", "需要登录凭证", "缺少或无效的答题凭证，请重新开始答题。"),
    403: ("forbidden", "无权访问", "你没有权限查看这个页面。"),
    404: ("not_found", "页面不存在", "没有找到这个页面，可能链接有误或已经过期。请回到首页重新选择。"),
    405: ("method_not_allowed", "操作方式不对", "这个页面不支持这样的操作。请回到首页重新开始。"),
    409: ("conflict", "操作冲突", "这个操作已经做过了，不需要重复提交。"),
    413: ("too_large", "内容太大", "提交的内容太大了，请减少一些再试。"),
    414: ("uri_too_long", "网址太长", "网址太长了，可能复制时多带了内容。请回到首页重新打开。"),
    415: ("unsupported_media_type", "格式不支持", "请用 JSON 格式提交（Content-Type: application/json）。"),
    422: ("unprocessable", "内容有误", "提交的内容有误，请检查后再试。"),
    429: ("rate_limited", "操作太频繁", "操作太快了，请稍等一分钟再试。"),
    431: ("headers_too_large", "请求头太大", "请求头太大，可能是浏览器存了太多本站的 Cookie。请清除本站的 Cookie 后再试。"),
    500: ("server_error", "服务器出错了", "服务器暂时出了点问题，你的答题记录不会丢失。请稍后刷新页面再试。"),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str | None = None, message: str | None = None) -> tuple[Response | str, int]:
    db.session.rollback()  # an error never leaves a half-written row behind
    default_code, title, default_message = MESSAGES.get(status, MESSAGES[400] if status < 500 else MESSAGES[500])
    code = code or default_code
    message = message or default_message
    if wants_json():
        return jsonify(error={"code": code, "message": message}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _http(exc: HTTPException) -> Response | tuple[Response | str, int]:
    status = exc.code or 500
    if status == 429:
        response = make_response(error_response(429))
        if isinstance(exc, RateLimited):
            response.headers["Retry-After"] = str(exc.seconds)
        return response
    return error_response(status)


def _csrf(exc: CSRFError) -> tuple[Response | str, int]:
    return error_response(
        400,
        "csrf_failed",
        "页面已过期或来源不对，为了安全没有提交。请返回上一页刷新后再点一次，你之前的答题记录都还在。",
    )


def _quiz(exc: DomainError) -> tuple[Response | str, int]:
    return error_response(exc.status, exc.code, exc.message)


def _unexpected(exc: Exception) -> tuple[Response | str, int]:
    cause: BaseException = exc
    if isinstance(exc, InternalServerError) and exc.original_exception is not None:
        cause = exc.original_exception
    logging.getLogger("app").exception("unhandled error on %s %s", request.method, request.path, exc_info=cause)
    return error_response(500)


def install(app: Flask) -> None:
    app.before_request(refuse_oversize)
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(DomainError, _quiz)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _unexpected)
