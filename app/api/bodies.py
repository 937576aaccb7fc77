"""Reading a JSON request body for the API: one reader for every endpoint that takes a body.

Only JSON media types are read (application/json or application/*+json). A text/plain body, a form or
a body without a Content-Type is 415: a plain HTML form or a cross-site "simple" request (which a
browser sends without asking) can then never act from a visitor's browser, at a school's shared IP.
A body that is not one JSON object is 400 `invalid_body`, also when it is nested deeper than the
parser's stack (Werkzeug's get_json only catches ValueError, so the RecursionError is caught here)
or holds half of a surrogate pair, which no database and no hash can take as text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import request

from app.errors import DomainError

SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")  # an escaped surrogate, \ud800 to \udfff: half a pair, or a pair


class BadBody(DomainError):
    status = 400
    code = "invalid_body"
    message = "请求体应当是一个 JSON 对象。"


class NotJson(DomainError):
    status = 415
    code = "unsupported_media_type"
    message = "请求体应当是 JSON：请加上请求头 Content-Type: application/json。"


def json_body() -> dict[str, Any]:
    """The request's JSON object, or BadBody / NotJson."""
    if not request.is_json:
        raise NotJson()
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        raise BadBody("请求体嵌套太深，应当是一个简单的 JSON 对象。") from None
    if not isinstance(data, dict):
        raise BadBody()
    if SURROGATE_ESCAPE.search(request.get_data()) and not _encodable(data):
        raise BadBody("请求体里有无法识别的文字（不成对的代理字符），请用 UTF-8 文字重新提交。")
    return data


def _encodable(data: dict[str, Any]) -> bool:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        return False
    return True
