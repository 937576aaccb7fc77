"""A learner playing through the JSON API over real HTTP, on whichever host each step is sent to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.deploy.conftest import call


def bearer(started: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {started['token']}"}


def start(port: int, quiz_id: str, nickname: str, join_code: str | None = None,
          headers: dict[str, str] | None = None) -> dict[str, Any]:
    body = {"quiz_id": quiz_id, "nickname": nickname, **({"join_code": join_code} if join_code else {})}
    reply = call(port, "POST", "/api/v1/attempts", body=body, headers=headers)
    assert reply.status == 201, (reply.status, reply.body[:500])
    return dict(reply.json)


def question(port: int, started: dict[str, Any], n: int) -> dict[str, Any]:
    reply = call(port, "GET", f"/api/v1/attempts/{started['attempt_id']}/questions/{n}", headers=bearer(started))
    assert reply.status == 200, (reply.status, reply.body[:500])
    return dict(reply.json)


def answer(port: int, started: dict[str, Any], n: int, choices: list[str]) -> tuple[int, Any]:
    reply = call(port, "POST", f"/api/v1/attempts/{started['attempt_id']}/questions/{n}/answer",
                 body={"choices": choices}, headers=bearer(started))
    return reply.status, reply.json


def answer_all(started: dict[str, Any], port_for: Callable[[int], int],
               also: Callable[[int], int] | None = None) -> None:
    """Answer every question with its first option, question n on host port_for(n); with `also`,
    the same tap again on host also(n), which must be refused (409) and change nothing."""
    for n in range(1, started["question_count"] + 1):
        shown = question(port_for(n), started, n)
        choices = [shown["options"][0]["key"]]
        status, body = answer(port_for(n), started, n, choices)
        assert status == 200, (n, status, body)
        if also is not None:
            status, body = answer(also(n), started, n, choices)
            assert status == 409, (n, status, body)


def finish(port: int, started: dict[str, Any]) -> dict[str, Any]:
    reply = call(port, "POST", f"/api/v1/attempts/{started['attempt_id']}/finish", headers=bearer(started))
    assert reply.status == 200, (reply.status, reply.body[:500])
    return dict(reply.json)


def board(port: int, join_code: str) -> list[dict[str, Any]]:
    reply = call(port, "GET", f"/api/v1/groups/{join_code}/leaderboard")
    assert reply.status == 200, (reply.status, reply.body[:500])
    return list(reply.json["entries"])
