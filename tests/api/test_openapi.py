"""/api/openapi.json describes every API route, and the app behaves as it says (schemathesis fuzzing)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.helpers import make_group, start_api_attempt
from tests.leaderboard.builders import play


def test_every_api_route_is_documented(app, client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} is not in /api/openapi.json"
    assert len(documented) >= 7


OPERATIONS = [
    ("GET", "/api/v1/quizzes"),
    ("POST", "/api/v1/attempts"),
    ("GET", "/api/v1/attempts/{attempt_id}"),
    ("GET", "/api/v1/attempts/{attempt_id}/questions/{n}"),
    ("POST", "/api/v1/attempts/{attempt_id}/questions/{n}/answer"),
    ("POST", "/api/v1/attempts/{attempt_id}/finish"),
    ("GET", "/api/v1/groups/{join_code}/leaderboard"),
    ("GET", "/api/v1/organisations/{org_id}/leaderboard"),
    ("GET", "/api/v1/campaigns/{campaign_id}/leaderboard"),
    ("POST", "/api/v1/live/{pin}/players"),
    ("GET", "/api/v1/live/{pin}"),
    ("GET", "/api/v1/live/{pin}/events"),
    ("GET", "/api/v1/live/{pin}/me"),
    ("POST", "/api/v1/live/{pin}/answer"),
    ("POST", "/api/v1/live/games/{game_id}/actions"),
]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_fuzzed_operations_cover_the_spec(client):
    spec = client.get("/api/openapi.json").json
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops if p != "/api/openapi.json"}
    assert documented == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_api_fuzz_never_500_and_matches_its_spec(app, method, path):
    """Random input to every operation: never a 500, and every response is declared and well-formed.

    For attempt operations half the cases use a real attempt and its token, so the fuzzer reaches
    the grading code and not only the 401/404 guards.
    """
    api = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operation = api[path][method]
    strategy = operation.as_strategy()
    real = {}
    if "leaderboard" in path:  # a real board with one counted result, so entries are checked too
        group = make_group(app, quiz_id="elder-listen")
        play(app, app.test_client(), "elder-listen", "小明", group["join_code"], right=5)
        real = {"join_code": group["join_code"], "org_id": group["org_id"]}
    if "/live/" in path:  # a real game with a player in its first question, so snapshots, answers and 409s are checked
        from tests.live.api_helpers import api_join, host_act, host_client, open_api_game

        app.config.update(LIVE_WAIT_SECONDS=0.05, LIVE_STREAM_SECONDS=0.05, LIVE_STREAM_STEP=0.05)
        game = open_api_game(app)
        player = api_join(app.test_client(), game["pin"])
        host, csrf = host_client(app, game["teacher"])
        host_act(host, csrf, game["game_id"], "start", player["version"])
        real = {"pin": game["pin"], "game_id": game["game_id"]}

    @given(data=st.data())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(data):
        case = data.draw(strategy)
        headers = {}
        if "attempt_id" in (case.path_parameters or {}) and data.draw(st.booleans()):
            started = start_api_attempt(app.test_client(), "elder-listen")
            case.path_parameters["attempt_id"] = started["attempt_id"]
            if "n" in case.path_parameters:
                case.path_parameters["n"] = data.draw(st.integers(1, started["question_count"]))
            headers["Authorization"] = f"Bearer {started['token']}"
        for name, value in real.items():
            if name in (case.path_parameters or {}) and data.draw(st.booleans()):
                case.path_parameters[name] = value
        if "/live/{pin}/" in path and real and data.draw(st.booleans()):
            headers["Authorization"] = f"Bearer {player['token']}"
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
