"""The live game's JSON API: join by PIN, the versioned snapshot (ETag, 304, waiting for a newer
version), Server-Sent Events, answering once, host actions as compare-and-set; every response
checked against /api/openapi.json."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.factories import UserFactory
from tests.helpers import bearer
from tests.live.api_helpers import api_join, host_act, host_client, open_api_game, right_via_db, state


@pytest.fixture()
def spec(client):
    return client.get("/api/openapi.json").json


def _check(spec, path, method, response):
    """The response's JSON fits the schema the spec gives for its status."""
    declared = spec["paths"][path][method]["responses"][str(response.status_code)]
    schema = declared["content"]["application/json"]["schema"]
    document = {**schema, "components": spec["components"]}
    if "$ref" in schema:
        document = {"$ref": schema["$ref"], "components": spec["components"]}
    jsonschema.validate(response.json, document, cls=jsonschema.Draft202012Validator)


def test_a_whole_game_through_the_api(app, client, spec):
    game = open_api_game(app)
    pin = game["pin"]
    joined = client.post(f"/api/v1/live/{pin}/players", json={"nickname": "小明"})
    assert joined.status_code == 201
    _check(spec, "/api/v1/live/{pin}/players", "post", joined)
    token = joined.json["token"]
    again = client.post(f"/api/v1/live/{pin}/players",
                        json={"nickname": "别名", "participant_token": joined.json["participant_token"]})
    assert again.status_code == 200 and again.json["player_id"] == joined.json["player_id"]
    assert again.json["token"] != token  # a new token; the old one stops working
    assert client.get(f"/api/v1/live/{pin}/me", headers=bearer(token)).status_code == 401
    token = again.json["token"]

    lobby = client.get(f"/api/v1/live/{pin}")
    _check(spec, "/api/v1/live/{pin}", "get", lobby)
    assert lobby.json["state"] == "lobby" and lobby.json["players"]["names"] == ["小明"]
    assert lobby.headers["ETag"] == f'"{lobby.json["version"]}"'
    same = client.get(f"/api/v1/live/{pin}", headers={"If-None-Match": lobby.headers["ETag"]})
    assert same.status_code == 304 and not same.data

    host, csrf = host_client(app, game["teacher"])
    moved = host_act(host, csrf, game["game_id"], "start", lobby.json["version"])
    assert moved.status_code == 200, moved.json
    _check(spec, "/api/v1/live/games/{game_id}/actions", "post", moved)
    stale = host_act(host, csrf, game["game_id"], "start", lobby.json["version"])
    assert stale.status_code == 409 and stale.json["error"]["code"] == "version_moved"

    question = state(client, pin)
    _check(spec, "/api/v1/live/{pin}", "get", client.get(f"/api/v1/live/{pin}"))
    assert question["state"] == "question" and question["reveal"] is None
    right = right_via_db(app, game["game_id"], 1)
    answered = client.post(f"/api/v1/live/{pin}/answer", json={"n": 1, "choices": right}, headers=bearer(token))
    assert answered.status_code == 200 and answered.json["choices"] == right
    _check(spec, "/api/v1/live/{pin}/answer", "post", answered)
    assert "correct" not in answered.json
    repeat = client.post(f"/api/v1/live/{pin}/answer", json={"n": 1, "choices": ["A"]}, headers=bearer(token))
    assert repeat.status_code == 409 and repeat.json["choices"] == right
    _check(spec, "/api/v1/live/{pin}/answer", "post", repeat)
    me = client.get(f"/api/v1/live/{pin}/me", headers=bearer(token))
    _check(spec, "/api/v1/live/{pin}/me", "get", me)
    assert me.json["answers"] == [{"n": 1, "choices": right, "correct": None}]  # right or wrong: after the reveal

    version = state(client, pin)["version"]
    assert host_act(host, csrf, game["game_id"], "reveal", question["version"]).status_code == 200  # answers never make it stale
    assert version > question["version"]
    revealed = client.get(f"/api/v1/live/{pin}")
    _check(spec, "/api/v1/live/{pin}", "get", revealed)
    assert revealed.json["reveal"]["correct_choices"] == right
    assert sum(revealed.json["reveal"]["counts"].values()) >= 1
    assert client.get(f"/api/v1/live/{pin}/me", headers=bearer(token)).json["answers"][0]["correct"] is True
    late = client.post(f"/api/v1/live/{pin}/answer", json={"n": 2, "choices": ["A"]}, headers=bearer(token))
    assert late.status_code == 409 and late.json["error"]["code"] == "question_closed"

    end = host_act(host, csrf, game["game_id"], "end", revealed.json["version"])
    assert end.status_code == 200 and end.json["state"] == "ended"
    final = client.get(f"/api/v1/live/{pin}")
    _check(spec, "/api/v1/live/{pin}", "get", final)
    assert final.json["podium"][0]["nickname"] == "小明"
    done = client.get(f"/api/v1/live/{pin}/me", headers=bearer(token)).json
    assert done["finished"] and done["score"] == 1 and done["counted"] is True


def test_waiting_for_a_newer_version(app, client):
    app.config["LIVE_WAIT_SECONDS"] = 0.3
    game = open_api_game(app)
    version = state(client, game["pin"])["version"]
    newer_known = client.get(f"/api/v1/live/{game['pin']}?since={version - 1}&wait=20")
    assert newer_known.status_code == 200 and newer_known.json["version"] == version
    timed_out = client.get(f"/api/v1/live/{game['pin']}?since={version}&wait=20")
    assert timed_out.status_code == 200 and timed_out.json["version"] == version
    assert client.get(f"/api/v1/live/{game['pin']}?since={version}&wait=1",
                      headers={"If-None-Match": f'"{version}"'}).status_code == 304


def test_events_are_server_sent_snapshots(app, client):
    app.config["LIVE_STREAM_SECONDS"] = 0.3
    app.config["LIVE_STREAM_STEP"] = 0.1
    game = open_api_game(app)
    api_join(client, game["pin"])
    response = client.get(f"/api/v1/live/{game['pin']}/events")
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    assert response.headers["X-Accel-Buffering"] == "no" and response.headers["Cache-Control"] == "no-cache"
    text = response.get_data(as_text=True)
    assert text.startswith("retry: ")
    event = next(block for block in text.split("\n\n") if block.startswith("id: "))
    lines = dict(line.split(": ", 1) for line in event.splitlines())
    snapshot = json.loads(lines["data"])
    assert lines["event"] == "snapshot" and int(lines["id"]) == snapshot["version"]
    assert snapshot == state(client, game["pin"])
    resumed = client.get(f"/api/v1/live/{game['pin']}/events", headers={"Last-Event-ID": lines["id"]})
    assert "id: " not in resumed.get_data(as_text=True)  # nothing newer than what it has
    assert client.get("/api/v1/live/000000/events").status_code == 404


def test_errors_have_the_contract_shape(app, client):
    game = open_api_game(app)
    unknown = client.post("/api/v1/live/999999/players", json={"nickname": "小明"})
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "game_not_found"
    assert client.post(f"/api/v1/live/{game['pin']}/players", data="x", content_type="text/plain").status_code == 415
    assert client.post(f"/api/v1/live/{game['pin']}/players", json={"nickname": ""}).status_code == 422
    assert client.post(f"/api/v1/live/{game['pin']}/answer", json={"n": 1, "choices": ["A"]}).status_code == 401
    assert client.get(f"/api/v1/live/{game['pin']}/me", headers=bearer("nope")).status_code == 401
    action = client.post(f"/api/v1/live/games/{game['game_id']}/actions", json={"action": "start", "version": 1})
    assert action.status_code == 401 and action.json["error"]["code"] == "unauthorized"
    other, csrf = host_client(app, UserFactory(role="teacher"))
    assert host_act(other, csrf, game["game_id"], "start", 1).status_code == 404  # another teacher's class
    host, csrf = host_client(app, game["teacher"])
    no_players = host_act(host, csrf, game["game_id"], "start", 1)
    assert no_players.status_code == 409 and no_players.json["error"]["code"] == "not_allowed_now"
    no_csrf = host.post(f"/api/v1/live/games/{game['game_id']}/actions", json={"action": "start", "version": 1})
    assert no_csrf.status_code == 401
