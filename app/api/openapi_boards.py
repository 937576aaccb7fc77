"""OpenAPI paths of the leaderboards (merged into app.api.openapi.spec)."""

from __future__ import annotations

from typing import Any

from app.database import MAX_ROW_ID

TIME = {"type": ["string", "null"], "format": "date-time"}

PERSON = {
    "type": "object",
    "required": ["rank", "nickname", "score", "finished_at"],
    "properties": {
        "rank": {"type": "integer", "minimum": 1, "description": "equal scores share a rank (1, 1, 3)"},
        "nickname": {"type": "string", "description": "masked (小**) when the teacher chose so"},
        "score": {"type": "integer", "minimum": 0, "description": "items right"},
        "total": {"type": "integer", "minimum": 1},
        "finished_at": TIME,
        "seconds": {"type": "integer", "minimum": 0},
    },
    "additionalProperties": False,
}

UNIT_PROPS = {
    "rank": {"type": "integer", "minimum": 1},
    "id": {"type": "integer"},
    "name": {"type": "string"},
    "size": {"type": "integer", "minimum": 0},
    "participants": {"type": "integer", "minimum": 0},
    "participation_rate": {"type": "number", "minimum": 0, "maximum": 1,
                           "description": "counted participants ÷ size, each group capped at its size"},
    "average_score": {"type": "number", "minimum": 0, "maximum": 100, "description": "mean counted score, 0–100"},
    "completed_at": TIME,
    "pledges": {"type": "integer", "minimum": 0, "description": "people who signed the 承诺书"},
    "pledge_rate": {"type": "number", "minimum": 0, "maximum": 1,
                    "description": "signed ÷ size, each group capped at its size; shown, never ranked"},
}

GROUP_BOARD = {
    "type": "object",
    "required": ["group", "entries"],
    "properties": {
        "group": {
            "type": "object",
            "required": ["name", "organisation"],
            "properties": {
                "name": {"type": "string"}, "organisation": {"type": "string"}, "size": {"type": "integer"},
                "participants": {"type": "integer"}, "families": {"type": "integer"}, "pledges": {"type": "integer"},
            },
        },
        "entries": {"type": "array", "items": PERSON},
    },
}


def _units(extra: str) -> dict[str, Any]:
    required = ["rank", "size", "participants", "participation_rate", "average_score"]
    return {
        "type": "array",
        "items": {"type": "object", "required": [*required, extra],
                  "properties": {**UNIT_PROPS, extra: {"type": "string"}}},
    }


ORG_BOARD = {"type": "object", "required": ["entries"],
             "properties": {"organisation": {"type": "object"}, "entries": _units("group")}}
CAMPAIGN_BOARD = {"type": "object", "required": ["entries"],
                  "properties": {"campaign": {"type": "object"}, "entries": _units("organisation")}}


def paths(json: Any, errors: Any) -> dict[str, Any]:
    code = {"name": "join_code", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 20}}

    def int_id(name: str) -> dict[str, Any]:
        return {"name": name, "in": "path", "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID}}

    return {
        "/api/v1/groups/{join_code}/leaderboard": {"get": {
            "operationId": "groupLeaderboard", "parameters": [code],
            "responses": {"200": json(GROUP_BOARD, "the class board, ranked"), **errors(404, 429)}}},
        "/api/v1/organisations/{org_id}/leaderboard": {"get": {
            "operationId": "organisationLeaderboard", "parameters": [int_id("org_id")],
            "responses": {"200": json(ORG_BOARD, "groups ranked by participation, then average, then completion"),
                          **errors(404, 429)}}},
        "/api/v1/campaigns/{campaign_id}/leaderboard": {"get": {
            "operationId": "campaignLeaderboard", "parameters": [int_id("campaign_id")],
            "responses": {"200": json(CAMPAIGN_BOARD, "organisations ranked by the same rules"), **errors(404, 429)}}},
    }
