"""Driving a live game through the JSON API in tests."""

from __future__ import annotations

import re
from typing import Any

from tests.helpers import bearer, sign_in

META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def open_api_game(app: Any, quiz_id: str = "student-basics", size: int = 40, **settings: Any) -> dict[str, Any]:
    """A class, its teacher and a game in its lobby; plain values."""
    from app.extensions import db
    from tests.live.builders import class_with_teacher, new_game

    with app.app_context():
        try:
            group, teacher = class_with_teacher(size=size)
            game = new_game(group, teacher, quiz_id, **settings)
            return {"game_id": game.id, "pin": game.pin, "teacher": teacher, "group_id": group.id,
                    "count": game.question_count}
        finally:
            db.session.remove()


def api_join(client: Any, pin: str, nickname: str = "小明", **extra: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/live/{pin}/players", json={"nickname": nickname, **extra})
    assert response.status_code in (200, 201), response.json
    return response.json


def host_client(app: Any, teacher: Any) -> tuple[Any, str]:
    """A test client signed in as the teacher, and the CSRF token its pages carry."""
    client = app.test_client()
    sign_in(client, teacher)
    page = client.get("/")
    return client, META_CSRF.search(page.text).group(1)


def host_act(client: Any, token: str, game_id: int, action: str, version: int) -> Any:
    return client.post(f"/api/v1/live/games/{game_id}/actions", json={"action": action, "version": version},
                       headers={"X-CSRFToken": token})


def state(client: Any, pin: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/live/{pin}")
    assert response.status_code == 200
    return response.json


def right_via_db(app: Any, game_id: int, n: int) -> list[str]:
    from app.extensions import db
    from app.live.games import fresh
    from tests.live.builders import right_labels

    with app.app_context():
        try:
            return right_labels(fresh(game_id), n)
        finally:
            db.session.remove()


__all__ = ["api_join", "bearer", "host_act", "host_client", "open_api_game", "right_via_db", "state"]
