"""The OpenAPI 3 document for /api. Tests check every route is described and every response fits."""

from __future__ import annotations

from typing import Any

from app.api.openapi_boards import paths as board_paths
from app.api.openapi_live import paths as live_paths
from app.bank.limits import MAX_QUESTIONS, MIN_QUESTIONS, PASS_MARK_MAX, PASS_MARK_MIN
from app.bank.taxonomy import AUDIENCES, KINDS
from app.config import Defaults
from app.errors import limits

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}

LABEL = {"type": "string", "pattern": "^[A-F]$"}
NULLABLE_URL = {"type": ["string", "null"], "pattern": "^/audio/[0-9a-f]{32}\\.mp3$"}
LANG = {"name": "lang", "in": "query", "required": False,
        "schema": {"type": "string", "enum": ["zh-CN", "yue"]}, "description": "朗读语言：普通话 zh-CN 或粤语 yue"}


def _obj(required: list[str], props: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": {**props, **(extra or {})}}


QUIZ = _obj(
    ["id", "title", "audience", "question_count", "pass_mark"],
    {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "audience": {"type": "string", "enum": list(AUDIENCES)},
        "question_count": {"type": "integer", "minimum": 1},
        "pass_mark": {"type": "integer", "minimum": PASS_MARK_MIN, "maximum": PASS_MARK_MAX, "description": "及格线（百分比）"},
        "description": {"type": "string"},
    },
)

START_REQUEST = _obj(
    ["quiz_id", "nickname"],
    {
        "quiz_id": {"type": "string"},
        "nickname": {"type": "string", "description": "1-20 characters after trimming and NFC normalisation"},
        "join_code": {"type": ["string", "null"], "maxLength": 16},
        "participant_token": {
            "type": ["string", "null"],
            "description": "returned by an earlier start; lets draws avoid items this player has seen",
        },
        "staff_no": {"type": ["string", "null"], "maxLength": 32,
                     "description": "工号, when the join code's unit keeps a staff roster"},
        "staff_name": {"type": ["string", "null"], "maxLength": 40, "description": "姓名 as on that roster"},
    },
)

STARTED = _obj(
    ["attempt_id", "token", "quiz_id", "question_count"],
    {
        "attempt_id": {"type": "string"},
        "token": {"type": "string"},
        "quiz_id": {"type": "string"},
        "question_count": {"type": "integer", "minimum": 1},
        "participant_token": {"type": "string"},
    },
)

COUNTING = {
    "counted": {"type": ["boolean", "null"],
                "description": "null: not played for a class or unit (or not finished); false: kept out of its "
                               "board and record (a retake beyond the rule, outside the window …)"},
    "count_note": {"type": ["string", "null"], "description": "why it does not count, in words for the learner"},
}

STATUS = _obj(
    ["status", "answered", "question_count", "score", "counted", "count_note"],
    {
        "status": {"type": "string", "enum": ["open", "finished"]},
        "answered": {"type": "integer", "minimum": 0},
        "question_count": {"type": "integer", "minimum": 1},
        "score": {"type": ["integer", "null"], "description": "null until the attempt is finished"},
        **COUNTING,
    },
)

QUESTION = _obj(
    ["n", "question_id", "kind", "scenario", "prompt", "options", "audio"],
    {
        "n": {"type": "integer", "minimum": 1},
        "total": {"type": "integer", "minimum": 1},
        "question_id": {"type": "string", "pattern": "^q[0-9a-f]{24}$",
                        "description": "opaque: the same for the same attempt and question, different in every "
                                       "attempt, and telling nothing about the question or its answer"},
        "kind": {"type": "string", "enum": list(KINDS)},
        "scenario": {"type": "string"},
        "prompt": {"type": "string"},
        "options": {
            "type": "array",
            "items": _obj(["key", "text"], {"key": LABEL, "text": {"type": "string"}}),
        },
        "case": {
            "type": ["object", "null"],
            "description": "set for a step of a multi-step scenario",
            "properties": {
                "title": {"type": ["string", "null"]},
                "step": {"type": "integer"},
                "steps": {"type": "integer"},
            },
        },
        "audio": _obj(
            ["prompt"],
            {
                "prompt": NULLABLE_URL,
                "scenario": NULLABLE_URL,
                "options": {
                    "type": "object",
                    "description": "per option label: the clip of 选项A… and of the option text",
                    "additionalProperties": _obj(["label", "text"], {"label": NULLABLE_URL, "text": NULLABLE_URL}),
                },
            },
        ),
    },
)
QUESTION["additionalProperties"] = False  # nothing that reveals the answer may slip in

ANSWER_REQUEST = _obj(["choices"], {"choices": {"type": "array", "items": LABEL, "minItems": 1, "maxItems": 6}})

FEEDBACK = _obj(
    ["correct", "correct_choices", "explanation", "rule", "audio"],
    {
        "correct": {"type": "boolean"},
        "correct_choices": {"type": "array", "items": LABEL},
        "your_choices": {"type": "array", "items": LABEL},
        "correct_texts": {"type": "array", "items": {"type": "string"}},
        "your_texts": {"type": "array", "items": {"type": "string"}},
        "explanation": {"type": "string"},
        "rule": {"type": "string"},
        "rule_wording": {"type": "string"},
        "action": {"type": "string"},
        "source": {"type": "string"},
        "audio": _obj(["explanation"], {"explanation": NULLABLE_URL}),
    },
)

SCORE = _obj(
    ["score", "total", "passed", "counted", "count_note"],
    {"score": {"type": "integer", "minimum": 0}, "total": {"type": "integer", "minimum": 1}, "passed": {"type": "boolean"},
     **COUNTING},
)


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    return {str(c): _json({"$ref": "#/components/schemas/Error"}, "error") for c in codes}


ATTEMPT_ID = {"name": "attempt_id", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 64}}
N = {"name": "n", "in": "path", "required": True, "schema": {"type": "integer", "minimum": MIN_QUESTIONS, "maximum": MAX_QUESTIONS}}
SECURED: list[dict[str, list[str]]] = [{"bearer": []}]  # the bearer token, no scopes


def _n(number: int) -> str:
    return f"{number:,}".replace(",", " ")


DESCRIPTION = f"""见 shared/contract.md.

Bodies are read only when sent as JSON: `Content-Type: application/json` (or `application/*+json`), UTF-8.
A body sent as `text/plain`, as a form or without a Content-Type is refused with 415
`unsupported_media_type`; a body that is not one JSON object (unreadable, or nested too deep) with 400
`invalid_body`; a body over {Defaults.MAX_CONTENT_LENGTH // 1024} KB with 413 `too_large`.

Request limits, answered by the app in the error shape below: a URL (path and query) over
{_n(limits.MAX_URL_BYTES)} bytes is 414 `uri_too_long`; more than {limits.MAX_HEADER_FIELDS} header fields, or a Cookie header over
{_n(limits.MAX_COOKIE_BYTES)} bytes, is 431 `headers_too_large`. Beyond the server's own limits (gunicorn: a request
line over {_n(limits.GUNICORN_REQUEST_LINE)} bytes, more than {limits.GUNICORN_HEADER_FIELDS} header fields or one over
{_n(limits.GUNICORN_HEADER_FIELD_BYTES)} bytes) and for malformed HTTP, gunicorn answers 400, 414 or 431 itself, as HTML,
before the app sees the request."""


def _with_request_limits(paths: dict[str, Any]) -> dict[str, Any]:
    """Any operation may meet the URL and header limits."""
    for operations in paths.values():
        for operation in operations.values():
            operation["responses"] = {**operation["responses"], **_errors(414, 431)}
    return paths


def spec() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "反诈课堂 API", "version": "1.0.0", "description": DESCRIPTION},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                "hostSession": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                                                "description": "a signed-in teacher's session cookie and its CSRF token"}},
            "schemas": {"Error": ERROR},
        },
        "paths": _with_request_limits({
            "/api/v1/quizzes": {
                "get": {
                    "operationId": "listQuizzes",
                    "responses": {"200": _json(_obj(["quizzes"], {"quizzes": {"type": "array", "items": QUIZ}}), "quizzes"), **_errors(429)},
                }
            },
            "/api/v1/attempts": {
                "post": {
                    "operationId": "startAttempt",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": START_REQUEST}}},
                    "responses": {"201": _json(STARTED, "attempt started"), **_errors(400, 404, 413, 415, 422, 429)},
                }
            },
            "/api/v1/attempts/{attempt_id}": {
                "get": {
                    "operationId": "getAttempt",
                    "security": SECURED,
                    "parameters": [ATTEMPT_ID],
                    "responses": {"200": _json(STATUS, "attempt status"), **_errors(401, 403, 404, 429)},
                }
            },
            "/api/v1/attempts/{attempt_id}/questions/{n}": {
                "get": {
                    "operationId": "getQuestion",
                    "security": SECURED,
                    "parameters": [ATTEMPT_ID, N, LANG],
                    "responses": {"200": _json(QUESTION, "the question, without its answer"), **_errors(401, 403, 404, 409, 429)},
                }
            },
            "/api/v1/attempts/{attempt_id}/questions/{n}/answer": {
                "post": {
                    "operationId": "answerQuestion",
                    "security": SECURED,
                    "parameters": [ATTEMPT_ID, N, LANG],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": ANSWER_REQUEST}}},
                    "responses": {"200": _json(FEEDBACK, "graded answer"),
                                  **_errors(400, 401, 403, 404, 409, 413, 415, 422, 429)},
                }
            },
            "/api/v1/attempts/{attempt_id}/finish": {
                "post": {
                    "operationId": "finishAttempt",
                    "security": SECURED,
                    "parameters": [ATTEMPT_ID],
                    "responses": {"200": _json(SCORE, "final score"), **_errors(401, 403, 404, 429)},
                }
            },
            "/api/openapi.json": {
                "get": {"operationId": "openapi", "responses": {"200": {"description": "this document"}}}
            },
            **board_paths(_json, _errors),
            **live_paths(_json, _errors),
        }),
    }
