"""OpenAPI paths of the live game (merged into app.api.openapi.spec). The snapshot schema forbids
extra keys in its question block, so nothing that reveals the answer can slip in before the reveal."""

from __future__ import annotations

from typing import Any

from app.bank.taxonomy import KINDS
from app.database import MAX_ROW_ID
from app.live.machine import ACTIONS
from app.live.models import STATES

LABEL = {"type": "string", "pattern": "^[A-F]$"}
LABELS = {"type": "array", "items": LABEL}
PIN = {"name": "pin", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 12},
       "description": "本场的 6 位数字（投屏上读出的那个）"}
VERSION = {"type": "integer", "minimum": 1}
NULLABLE_INT = {"type": ["integer", "null"], "minimum": 1}


def _obj(required: list[str], props: dict[str, Any], closed: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "required": required, "properties": props}
    if closed:
        schema["additionalProperties"] = False
    return schema


OPTION = _obj(["key", "text", "shape"], {
    "key": LABEL, "text": {"type": "string"},
    "shape": _obj(["symbol", "name", "colour"], {"symbol": {"type": "string"}, "name": {"type": "string"},
                                                  "colour": {"type": "string"}}, closed=True),
}, closed=True)

QUESTION = _obj(["n", "total", "kind", "scenario", "prompt", "options"], {
    "n": {"type": "integer", "minimum": 1}, "total": {"type": "integer", "minimum": 1},
    "kind": {"type": "string", "enum": list(KINDS)}, "kind_label": {"type": "string"},
    "scenario": {"type": "string"}, "prompt": {"type": "string"},
    "options": {"type": "array", "items": OPTION},
    "case": {"type": ["object", "null"]},
}, closed=True)

REVEAL = _obj(["correct_choices", "counts", "answered", "right", "explanation", "rule", "action"], {
    "correct_choices": LABELS,
    "counts": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0},
               "description": "players who picked each option"},
    "answered": {"type": "integer", "minimum": 0}, "right": {"type": "integer", "minimum": 0},
    "explanation": {"type": "string"}, "rule": {"type": "string"}, "rule_wording": {"type": "string"},
    "action": {"type": "string"}, "source": {"type": "string"},
})

PLACE = _obj(["place", "nickname", "score"], {
    "place": {"type": "integer", "minimum": 1, "description": "equal players share a place (1, 1, 3)"},
    "nickname": {"type": "string", "description": "masked (小**) when the class board is masked"},
    "score": {"type": "integer", "minimum": 0, "description": "items right"},
    "points": {"type": ["integer", "null"], "description": "speed points (speed scoring only)"},
})

SNAPSHOT = _obj(
    ["version", "state", "paused", "n", "total", "game", "players", "answered", "question", "reveal", "ranking",
     "podium", "poll_ms"],
    {
        "version": VERSION,
        "state": {"type": "string", "enum": list(STATES)},
        "paused": {"type": "boolean"},
        "n": {**NULLABLE_INT, "description": "the question shown (null in the lobby)"},
        "total": {"type": "integer", "minimum": 1},
        "game": _obj(["pin", "group", "code", "quiz", "scoring", "timer", "locked"], {
            "pin": {"type": ["string", "null"]}, "group": {"type": "string"}, "code": {"type": "string"},
            "quiz": {"type": "string"}, "scoring": {"type": "string", "enum": ["accuracy", "speed"]},
            "timer": {"type": ["integer", "null"]}, "locked": {"type": "boolean"}, "top_n": {"type": "integer"},
        }),
        "players": _obj(["count", "names"], {"count": {"type": "integer", "minimum": 0},
                                             "names": {"type": "array", "items": {"type": "string"}}}),
        "answered": {"type": "integer", "minimum": 0, "description": "已答 n/N: answers to the open question"},
        "deadline": {"type": ["string", "null"], "format": "date-time"},
        "question": {"oneOf": [{"type": "null"}, QUESTION], "description": "never holds its answer"},
        "reveal": {"oneOf": [{"type": "null"}, REVEAL], "description": "only after the host reveals"},
        "ranking": {"type": ["array", "null"], "items": PLACE},
        "podium": {"type": ["array", "null"], "items": PLACE},
        "poll_ms": {"type": "integer", "minimum": 100, "description": "how often a polling client should ask"},
    },
)

EVENT = _obj(["data"], {"id": {"type": "string", "pattern": "^[0-9]+$", "description": "the snapshot's version"},
                        "event": {"type": "string", "enum": ["snapshot"]},
                        "data": {"type": "string", "contentMediaType": "application/json",
                                 "description": "the snapshot, as GET /api/v1/live/{pin} gives it"}})

JOIN_REQUEST = _obj(["nickname"], {
    "nickname": {"type": "string"},
    "participant_token": {"type": ["string", "null"], "description": "from an earlier join: the same phone is the same player"},
    "staff_no": {"type": ["string", "null"], "maxLength": 32}, "staff_name": {"type": ["string", "null"], "maxLength": 40},
})
JOINED = _obj(["player_id", "token", "attempt_id", "nickname", "rejoined", "version"], {
    "player_id": {"type": "integer"}, "token": {"type": "string", "description": "Authorization: Bearer <token>"},
    "attempt_id": {"type": "string"}, "nickname": {"type": "string"}, "rejoined": {"type": "boolean"},
    "version": VERSION, "participant_token": {"type": "string"},
})
ME = _obj(["player_id", "nickname", "attempt_id", "removed", "score", "answers", "finished", "counted"], {
    "player_id": {"type": "integer"}, "nickname": {"type": "string"}, "attempt_id": {"type": "string"},
    "removed": {"type": "boolean"}, "points": {"type": "integer"}, "score": {"type": "integer", "minimum": 0},
    "finished": {"type": "boolean"}, "counted": {"type": ["boolean", "null"]},
    "count_note": {"type": ["string", "null"]},
    "answers": {"type": "array", "items": _obj(["n", "choices", "correct"], {
        "n": {"type": "integer"}, "choices": LABELS,
        "correct": {"type": ["boolean", "null"], "description": "null until the question is revealed"}})},
})
ANSWER_REQUEST = _obj(["n", "choices"], {"n": {"type": "integer", "minimum": 1},
                                         "choices": {**LABELS, "minItems": 1, "maxItems": 6}})
ANSWERED = _obj(["n", "choices", "version"], {"n": {"type": "integer"}, "choices": LABELS, "version": VERSION},
                closed=True)  # no key and no right/wrong before the reveal
ANSWER_CONFLICT = {"type": "object", "required": ["error"], "properties": {
    "error": _obj(["code", "message"], {"code": {"type": "string"}, "message": {"type": "string"}}),
    "n": {}, "choices": {**LABELS, "description": "the stored choice, when this is a repeated answer"}}}
ACTION_REQUEST = _obj(["action", "version"], {"action": {"type": "string", "enum": list(ACTIONS)},
                                              "version": {**VERSION, "description": "the version the host saw"}})
ACTED = _obj(["state", "n", "paused", "version"], {"state": {"type": "string", "enum": list(STATES)},
                                                   "n": NULLABLE_INT, "paused": {"type": "boolean"},
                                                   "version": VERSION})


def paths(json: Any, errors: Any) -> dict[str, Any]:
    player: list[dict[str, list[str]]] = [{"bearer": []}]
    game_id = {"name": "game_id", "in": "path", "required": True,
               "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID}}
    return {
        "/api/v1/live/{pin}/players": {"post": {
            "operationId": "joinLiveGame", "parameters": [PIN],
            "description": "Join by PIN (201), or come back as the same player with the same participant_token (200, a new token).",
            "requestBody": {"required": True, "content": {"application/json": {"schema": JOIN_REQUEST}}},
            "responses": {"201": json(JOINED, "joined"), "200": json(JOINED, "the same player again"),
                          **errors(400, 403, 404, 409, 413, 415, 422, 429)},
        }},
        "/api/v1/live/{pin}": {"get": {
            "operationId": "getLiveGame",
            "description": "The game as one versioned snapshot. `version` is also the ETag: If-None-Match with it "
                           "answers 304. With `since`, waits up to `wait` seconds (at most 25) for a newer version.",
            "parameters": [PIN,
                           {"name": "since", "in": "query", "required": False, "schema": {"type": "integer"}},
                           {"name": "wait", "in": "query", "required": False,
                            "schema": {"type": "number", "minimum": 0, "maximum": 25}},
                           {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}],
            "responses": {"200": json(SNAPSHOT, "the snapshot"), "304": {"description": "not changed"},
                          **errors(404, 429)},
        }},
        "/api/v1/live/{pin}/events": {"get": {
            "operationId": "streamLiveGame",
            "description": "The same snapshots as Server-Sent Events: `retry`, then one `snapshot` event per version "
                           "(its `id` is the version, its data the snapshot JSON), comment heartbeats; the stream ends "
                           "after a short while and EventSource reconnects with Last-Event-ID.",
            "parameters": [PIN, {"name": "Last-Event-ID", "in": "header", "required": False, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "event stream", "content": {"text/event-stream": {"schema": EVENT}}},
                          **errors(404, 429)},
        }},
        "/api/v1/live/{pin}/me": {"get": {
            "operationId": "getLivePlayer", "security": player, "parameters": [PIN],
            "responses": {"200": json(ME, "this player's own status"), **errors(401, 404, 429)},
        }},
        "/api/v1/live/{pin}/answer": {"post": {
            "operationId": "answerLiveQuestion", "security": player, "parameters": [PIN],
            "description": "Answer the open question n: 200 once; a repeat is 409 with the stored choice; after the "
                           "question closed (revealed, paused, timed out) 409 question_closed.",
            "requestBody": {"required": True, "content": {"application/json": {"schema": ANSWER_REQUEST}}},
            "responses": {"200": json(ANSWERED, "recorded"), "409": json(ANSWER_CONFLICT, "not recorded"),
                          **errors(400, 401, 403, 404, 413, 415, 422, 429)},
        }},
        "/api/v1/live/games/{game_id}/actions": {"post": {
            "operationId": "actOnLiveGame", "parameters": [game_id],
            "security": [{"hostSession": []}],
            "description": "A host action (start, reveal, rank, next, pause, resume, end) as compare-and-set: it applies "
                           "only if no other host action happened after `version` (answers and joins do not count), "
                           "else 409 and nothing changes. The host's signed-in session cookie and X-CSRFToken.",
            "requestBody": {"required": True, "content": {"application/json": {"schema": ACTION_REQUEST}}},
            "responses": {"200": json(ACTED, "moved on"), **errors(400, 401, 404, 409, 413, 415, 429)},
        }},
    }
