"""Racing taps and racing hosts, for real (each thread its own connection, real commits): one
answer stored however many taps race; one host action wins however many clicks race; an answer
racing the reveal is either stored and counted in the reveal, or refused."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.live.models import LiveGame, LivePlayer
from app.quiz.models import Answer
from tests.helpers import bearer
from tests.live.api_helpers import api_join, host_act, host_client, open_api_game, right_via_db, state

pytestmark = pytest.mark.commits
RACERS = 12


def _race(calls: list[Callable[[], int]]) -> list[int]:
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = []
    lock = threading.Lock()

    def run(call: Callable[[], int]) -> None:
        barrier.wait()
        status = call()
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def _count(app, *where) -> int:
    with app.app_context():
        try:
            return db.session.scalar(select(func.count()).select_from(Answer)
                                     .join(LivePlayer, LivePlayer.attempt_id == Answer.attempt_id).where(*where))
        finally:
            db.session.remove()


def _started(app, client, players: int) -> tuple[dict, list[str], object, str]:
    game = open_api_game(app)
    tokens = [api_join(client, game["pin"], f"同学{i}")["token"] for i in range(players)]
    host, csrf = host_client(app, game["teacher"])
    assert host_act(host, csrf, game["game_id"], "start", state(client, game["pin"])["version"]).status_code == 200
    return game, tokens, host, csrf


def test_racing_taps_store_one_answer(app, client):
    game, (token,), _host, _csrf = _started(app, client, 1)
    right = right_via_db(app, game["game_id"], 1)
    url = f"/api/v1/live/{game['pin']}/answer"

    def tap() -> int:
        return app.test_client().post(url, json={"n": 1, "choices": right}, headers=bearer(token)).status_code

    assert sorted(_race([tap] * RACERS)) == [200] + [409] * (RACERS - 1)
    assert _count(app, LivePlayer.game_id == game["game_id"]) == 1
    assert state(client, game["pin"])["answered"] == 1


def test_racing_hosts_move_the_game_once(app, client):
    game, _tokens, host, csrf = _started(app, client, 1)
    seen = state(client, game["pin"])["version"]

    def click() -> int:
        return host_act(host, csrf, game["game_id"], "reveal", seen).status_code

    def next_click() -> int:
        return host_act(host, csrf, game["game_id"], "next", seen + 1).status_code

    assert sorted(_race([click] * 8)) == [200] + [409] * 7
    assert sorted(_race([next_click] * 8)) == [200] + [409] * 7
    after = state(client, game["pin"])
    assert (after["state"], after["n"]) == ("question", 2)  # never skipped to 3


def test_answers_racing_the_reveal_are_stored_and_counted_or_refused(app, client):
    game, tokens, host, csrf = _started(app, client, RACERS)
    right = right_via_db(app, game["game_id"], 1)
    seen = state(client, game["pin"])["version"]
    url = f"/api/v1/live/{game['pin']}/answer"

    def answer(token: str) -> Callable[[], int]:
        return lambda: app.test_client().post(url, json={"n": 1, "choices": right}, headers=bearer(token)).status_code

    def reveal() -> int:
        return host_act(host, csrf, game["game_id"], "reveal", seen).status_code

    statuses = _race([answer(t) for t in tokens] + [reveal])
    accepted = statuses.count(200) - 1  # the reveal's own 200
    assert statuses.count(200) - accepted == 1 and len(statuses) == RACERS + 1
    assert set(statuses) <= {200, 409}
    stored = _count(app, LivePlayer.game_id == game["game_id"], Answer.position == 1)
    shown = state(client, game["pin"])
    assert shown["state"] == "reveal"
    assert stored == accepted == shown["reveal"]["answered"] == shown["answered"]
    with app.app_context():
        try:
            assert db.session.get(LiveGame, game["game_id"]).answered == stored
        finally:
            db.session.remove()
