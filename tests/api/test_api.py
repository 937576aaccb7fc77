"""The JSON API as the contract fixes it; every response is checked against /api/openapi.json."""

from __future__ import annotations

import jsonschema
import pytest

from app.quiz.models import Answer, Attempt, Participant
from tests.helpers import bearer, correct_labels_via_db, count_rows, start_api_attempt, wrong_choice


def conforms(client, path_template: str, method: str, response) -> None:
    spec = client.get("/api/openapi.json").json
    op = spec["paths"][path_template][method]
    declared = op["responses"].get(str(response.status_code))
    assert declared, f"{response.status_code} is not declared for {method.upper()} {path_template}"
    schema = declared["content"]["application/json"]["schema"]
    resolver_schema = {**schema, "components": spec["components"]} if "$ref" in schema else schema
    if "$ref" in schema:
        resolver_schema = {"$ref": schema["$ref"], "components": spec["components"]}
    jsonschema.validate(response.json, resolver_schema)


def test_list_quizzes(client):
    response = client.get("/api/v1/quizzes")
    assert response.status_code == 200
    conforms(client, "/api/v1/quizzes", "get", response)
    ids = {q["id"] for q in response.json["quizzes"]}
    assert {"student-basics", "elder-listen", "staff-training"} <= ids
    assert {q["audience"] for q in response.json["quizzes"]} == {"student", "elder", "staff"}


def test_full_attempt_through_the_api(app, client):
    started = client.post("/api/v1/attempts", json={"quiz_id": "staff-training", "nickname": " 护士小张 "})
    assert started.status_code == 201
    conforms(client, "/api/v1/attempts", "post", started)
    body = started.json
    aid, auth = body["attempt_id"], bearer(body["token"])
    total = body["question_count"]
    for n in range(1, total + 1):
        q = client.get(f"/api/v1/attempts/{aid}/questions/{n}", headers=auth)
        assert q.status_code == 200
        conforms(client, "/api/v1/attempts/{attempt_id}/questions/{n}", "get", q)
        assert q.json["n"] == n
        right = correct_labels_via_db(app, aid, n)
        choice = right if n % 2 else wrong_choice([o["key"] for o in q.json["options"]], right)
        a = client.post(f"/api/v1/attempts/{aid}/questions/{n}/answer", headers=auth, json={"choices": choice})
        assert a.status_code == 200, a.json
        conforms(client, "/api/v1/attempts/{attempt_id}/questions/{n}/answer", "post", a)
        assert a.json["correct"] is (n % 2 == 1)
        assert a.json["correct_choices"] == sorted(right)
        assert len(a.json["explanation"]) >= 30 and a.json["rule"]
    status = client.get(f"/api/v1/attempts/{aid}", headers=auth)
    conforms(client, "/api/v1/attempts/{attempt_id}", "get", status)
    assert status.json == {"status": "open", "answered": total, "question_count": total, "score": None,
                           "counted": None, "count_note": None}
    done = client.post(f"/api/v1/attempts/{aid}/finish", headers=auth)
    conforms(client, "/api/v1/attempts/{attempt_id}/finish", "post", done)
    expected = (total + 1) // 2
    assert done.json == {"score": expected, "total": total, "passed": expected * 100 >= 80 * total, "counted": None,
                         "count_note": None}
    again = client.post(f"/api/v1/attempts/{aid}/finish", headers=auth)
    assert again.json == done.json
    assert client.get(f"/api/v1/attempts/{aid}", headers=auth).json["status"] == "finished"


def test_question_json_never_reveals_the_answer(app, client):
    body = start_api_attempt(client, "student-basics")
    for n in range(1, body["question_count"] + 1):
        q = client.get(f"/api/v1/attempts/{body['attempt_id']}/questions/{n}", headers=bearer(body["token"]))
        if q.status_code == 409:  # a later scenario step stays locked until the earlier one is answered
            client.post(f"/api/v1/attempts/{body['attempt_id']}/questions/{n - 1}/answer",
                        headers=bearer(body["token"]), json={"choices": ["A"]})
            q = client.get(f"/api/v1/attempts/{body['attempt_id']}/questions/{n}", headers=bearer(body["token"]))
        assert set(q.json) <= {"n", "total", "question_id", "kind", "scenario", "prompt", "options", "case", "audio"}
        with app.app_context():
            from app.quiz import services

            question = services.question_of(services.slot_of(body["attempt_id"], n).slot)
            assert question.body["explanation"] not in q.text
            assert question.body["action"] not in q.text
        assert "correct" not in q.text and "answer" not in q.text


def test_second_answer_is_409_and_changes_nothing(app, client):
    body = start_api_attempt(client, "elder-listen")
    aid, auth = body["attempt_id"], bearer(body["token"])
    right = correct_labels_via_db(app, aid, 1)
    first = client.post(f"/api/v1/attempts/{aid}/questions/1/answer", headers=auth, json={"choices": right})
    assert first.json["correct"] is True
    q = client.get(f"/api/v1/attempts/{aid}/questions/1", headers=auth).json
    wrong = wrong_choice([o["key"] for o in q["options"]], right)
    second = client.post(f"/api/v1/attempts/{aid}/questions/1/answer", headers=auth, json={"choices": wrong})
    assert second.status_code == 409
    assert second.json["error"]["code"] == "already_answered"
    conforms(client, "/api/v1/attempts/{attempt_id}/questions/{n}/answer", "post", second)
    assert count_rows(app, Answer, Answer.attempt_id == aid) == 1
    assert client.post(f"/api/v1/attempts/{aid}/finish", headers=auth).json["score"] == 1


def test_answers_after_finishing_are_refused(client):
    body = start_api_attempt(client, "elder-listen")
    aid, auth = body["attempt_id"], bearer(body["token"])
    assert client.post(f"/api/v1/attempts/{aid}/finish", headers=auth).json["score"] == 0
    late = client.post(f"/api/v1/attempts/{aid}/questions/1/answer", headers=auth, json={"choices": ["A"]})
    assert late.status_code == 409 and late.json["error"]["code"] == "attempt_finished"
    assert client.post(f"/api/v1/attempts/{aid}/finish", headers=auth).json["score"] == 0


def test_tokens_guard_attempts(client):
    one = start_api_attempt(client, "elder-listen")
    two = start_api_attempt(client, "elder-listen")
    url = f"/api/v1/attempts/{one['attempt_id']}"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer nonsense-token"}).status_code == 401
    assert client.get(url, headers={"Authorization": "Basic abc"}).status_code == 401
    other = client.get(url, headers=bearer(two["token"]))
    assert other.status_code == 403 and other.json["error"]["code"] == "forbidden"
    assert client.get("/api/v1/attempts/nope", headers=bearer(one["token"])).status_code == 404
    assert client.get(url, headers=bearer(one["token"])).status_code == 200


def test_participant_token_lets_later_draws_avoid_seen_items(app, client):
    first = start_api_attempt(client, "elder-listen")
    token = first["participant_token"]
    seen = set()
    for body in [first, start_api_attempt(client, "elder-listen", participant_token=token)]:
        with app.app_context():  # question_id is opaque (per attempt): the bank's item ids come from the database
            from app.quiz import services

            ids = {slot.question.item_id for slot in services.slots(services.get_attempt(body["attempt_id"]))}
        assert not ids & seen
        seen |= ids


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"quiz_id": "elder-listen", "nickname": ""}, 422, "invalid_nickname"),
        ({"quiz_id": "elder-listen", "nickname": "x" * 10_000}, 422, "invalid_nickname"),
        ({"quiz_id": "elder-listen", "nickname": "a\x00b"}, 422, "invalid_nickname"),
        ({"quiz_id": "elder-listen", "nickname": 12}, 422, "invalid_nickname"),
        ({"quiz_id": "elder-listen", "nickname": None}, 422, "invalid_nickname"),
        ({"quiz_id": "no-such-quiz", "nickname": "小明"}, 404, "quiz_not_found"),
        ({"quiz_id": 5, "nickname": "小明"}, 400, "invalid_body"),
        ({"quiz_id": ["elder-listen"], "nickname": "小明"}, 400, "invalid_body"),
        ({"quiz_id": "elder-listen", "nickname": "小明", "join_code": 7}, 422, "invalid_join_code"),
        ({"quiz_id": "elder-listen", "nickname": "小明", "join_code": "A" * 500}, 422, "invalid_join_code"),
        ({"quiz_id": "elder-listen", "nickname": "小明", "join_code": "AB\x00CD"}, 422, "invalid_join_code"),
        ({"quiz_id": "elder\x00-listen", "nickname": "小明"}, 404, "quiz_not_found"),
        ([1, 2, 3], 400, "invalid_body"),
        ("just a string", 400, "invalid_body"),
    ],
)
def test_bad_start_input_gets_a_clear_4xx_and_writes_nothing(app, client, payload, status, code):
    response = client.post("/api/v1/attempts", json=payload)
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    conforms(client, "/api/v1/attempts", "post", response)
    assert count_rows(app, Attempt) == 0
    assert count_rows(app, Participant) == 0


def test_malformed_json_body(client):
    response = client.post("/api/v1/attempts", data=b"{not json", content_type="application/json")
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_body"


@pytest.mark.parametrize(
    ("choices", "status"),
    [(None, 422), ([], 422), ("A", 422), ([1], 422), (["Z"], 422), (["A", "A"], 422), (["a"], 422), ([None], 422),
     (["A" * 100_000], 422), ([{"x": 1}], 422)],
)
def test_bad_choices_are_422_and_record_nothing(app, client, choices, status):
    body = start_api_attempt(client, "elder-listen")
    url = f"/api/v1/attempts/{body['attempt_id']}/questions/1/answer"
    response = client.post(url, headers=bearer(body["token"]), json={"choices": choices})
    assert response.status_code == status
    assert response.json["error"]["code"] == "invalid_choice"
    assert count_rows(app, Answer) == 0


@pytest.mark.parametrize("n", [0, 99, 10**30])
def test_out_of_range_question_numbers(client, n):
    body = start_api_attempt(client, "elder-listen")
    response = client.get(f"/api/v1/attempts/{body['attempt_id']}/questions/{n}", headers=bearer(body["token"]))
    assert response.status_code == 404
    assert "请从第 1 题到第" in response.json["error"]["message"] or response.json["error"]["code"] == "not_found"


def test_single_choice_rejects_two_choices(app, client):
    body = start_api_attempt(client, "elder-listen")
    aid = body["attempt_id"]
    q = client.get(f"/api/v1/attempts/{aid}/questions/1", headers=bearer(body["token"])).json
    if q["kind"] != "multiple":
        response = client.post(f"/api/v1/attempts/{aid}/questions/1/answer", headers=bearer(body["token"]),
                               json={"choices": [o["key"] for o in q["options"][:2]]})
        assert response.status_code == 422
        assert response.json["error"]["message"] == "这道题只能选一个答案。"


def test_oversized_body_is_413_in_json(client):
    response = client.post("/api/v1/attempts", data=b"x" * (300 * 1024), content_type="application/json")
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"
