"""Hostile and careless bodies on the public API: always a 4xx in the contract's shape, never a 500.

Decision (README, OpenAPI): request bodies are read only when sent as JSON (application/json or
application/*+json); text/plain, form encodings or no Content-Type at all are 415, so an HTML form or
a cross-site "simple" request cannot start attempts from a visitor's browser.
"""

from __future__ import annotations

import logging

import pytest

from app.quiz.models import Answer, Attempt, Participant
from tests.api.test_api import conforms
from tests.helpers import bearer, count_rows, start_api_attempt

START = "/api/v1/attempts"
ANSWER = "/api/v1/attempts/{attempt_id}/questions/{n}/answer"
NESTED = {
    "1 000 brackets": "[" * 1000 + "]" * 1000,
    "1 000 unclosed brackets": "[" * 1000,
    "100 000 brackets": "[" * 100_000,
    "1 000 objects": '{"a":' * 1000 + "1" + "}" * 1000,
    "deep under a key": '{"quiz_id": ' + "[" * 5000 + "]" * 5000 + ', "nickname": "小明"}',
}


def _answer_url(started: dict) -> str:
    return ANSWER.format(attempt_id=started["attempt_id"], n=1)


@pytest.mark.parametrize("body", list(NESTED.values()), ids=list(NESTED))
def test_deeply_nested_start_body_is_400_without_a_traceback(app, client, caplog, body):
    caplog.set_level(logging.WARNING)
    response = client.post(START, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_body"
    assert response.json["error"]["message"]
    conforms(client, START, "post", response)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert count_rows(app, Attempt) == 0 and count_rows(app, Participant) == 0


@pytest.mark.parametrize("body", list(NESTED.values()), ids=list(NESTED))
def test_deeply_nested_answer_body_is_400_and_records_nothing(app, client, caplog, body):
    started = start_api_attempt(client, "elder-listen")
    caplog.set_level(logging.WARNING)
    response = client.post(_answer_url(started), data=body, content_type="application/json",
                           headers=bearer(started["token"]))
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_body"
    conforms(client, ANSWER.replace("{attempt_id}", "{attempt_id}"), "post", response)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert count_rows(app, Answer) == 0


@pytest.mark.parametrize("depth", [10, 100, 400, 700, 900])
@pytest.mark.parametrize("key", ["quiz_id", "nickname", "join_code", "participant_token", "staff_no", "staff_name"])
def test_nesting_that_parses_is_still_a_4xx(client, key, depth):
    """Nesting shallow enough to parse goes no further than the field checks."""
    body = {"quiz_id": "elder-listen", "nickname": "小明"}
    raw = f'{{"{key}": ' + "[" * depth + "]" * depth
    raw += "".join(f', "{k}": "{v}"' for k, v in body.items() if k != key) + "}"
    response = client.post(START, data=raw, content_type="application/json")
    assert 400 <= response.status_code < 500, response.json
    assert response.json["error"]["code"]


@pytest.mark.parametrize("depth", [10, 400, 900])
def test_nested_choices_are_a_4xx(app, client, depth):
    started = start_api_attempt(client, "elder-listen")
    raw = '{"choices": ' + "[" * depth + "]" * depth + "}"
    response = client.post(_answer_url(started), data=raw, content_type="application/json", headers=bearer(started["token"]))
    assert 400 <= response.status_code < 500
    assert count_rows(app, Answer) == 0


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xfe not utf-8", b'{"quiz_id": "elder-listen", "nickname": "\xe5\xb0"}', b"", b"null", b"1e999999",
     b'{"quiz_id": "elder-listen", "nickname": "\\ud800"}', b'{"quiz_id": "elder-listen", "nickname": "\\u0000"}',
     b'{"quiz_id": "elder-listen\\ud800", "nickname": "x"}', b'{"quiz_id": "elder-listen", "nickname": "x", "join_code": "\\udfff"}'],
)
def test_broken_text_in_a_start_body_is_a_4xx(app, client, raw):
    response = client.post(START, data=raw, content_type="application/json")
    assert 400 <= response.status_code < 500, response.json
    conforms(client, START, "post", response)
    assert count_rows(app, Attempt) == 0


@pytest.mark.parametrize("token", [r"\ud800" * 10, r"\u0000" * 10, r"a\u0000" * 8])
def test_a_broken_participant_token_is_an_unknown_one(client, token):
    """An unreadable participant token is one the server does not know: a new participant, no 500."""
    raw = '{"quiz_id": "elder-listen", "nickname": "x", "participant_token": "' + token + '"}'
    response = client.post(START, data=raw, content_type="application/json")
    assert response.status_code in (201, 400), response.json


# ---------------------------------------------------------------- content types


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
     "application/jsonx", "text/json"],
)
def test_a_start_body_not_sent_as_json_is_415(app, client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(START, data='{"quiz_id": "elder-listen", "nickname": "小明"}', headers=headers)
    assert response.status_code == 415
    assert response.json["error"]["code"] == "unsupported_media_type"
    assert "application/json" in response.json["error"]["message"]
    conforms(client, START, "post", response)
    assert count_rows(app, Attempt) == 0 and count_rows(app, Participant) == 0


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON",
                                          "application/vnd.fzkt+json"])
def test_json_media_types_are_read(client, content_type):
    response = client.post(START, data='{"quiz_id": "elder-listen", "nickname": "小明"}',
                           headers={"Content-Type": content_type})
    assert response.status_code == 201, response.json


@pytest.mark.parametrize("content_type", [None, "text/plain"])
def test_an_answer_not_sent_as_json_is_415_and_records_nothing(app, client, content_type):
    started = start_api_attempt(client, "elder-listen")
    headers = {**bearer(started["token"]), **({"Content-Type": content_type} if content_type else {})}
    response = client.post(_answer_url(started), data='{"choices": ["A"]}', headers=headers)
    assert response.status_code == 415
    assert response.json["error"]["code"] == "unsupported_media_type"
    conforms(client, ANSWER, "post", response)
    assert count_rows(app, Answer) == 0


def test_the_token_is_checked_before_the_body(client):
    started = start_api_attempt(client, "elder-listen")
    response = client.post(_answer_url(started), data="x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 401


def test_finish_needs_no_body(client):
    started = start_api_attempt(client, "elder-listen")
    response = client.post(f"/api/v1/attempts/{started['attempt_id']}/finish", headers=bearer(started["token"]))
    assert response.status_code == 200


# ---------------------------------------------------------------- request line and headers


def test_a_long_url_is_414_in_the_contract_shape(client):
    response = client.get("/api/v1/quizzes?x=" + "a" * 5000)
    assert response.status_code == 414
    assert response.json["error"]["code"] == "uri_too_long"
    assert response.json["error"]["message"]


def test_a_long_url_on_a_page_is_a_chinese_page(client):
    response = client.get("/?x=" + "a" * 5000)
    assert response.status_code == 414
    assert response.mimetype == "text/html" and "网址太长" in response.text


def test_a_url_within_the_limit_is_served(client):
    assert client.get("/api/v1/quizzes?x=" + "a" * 3000).status_code == 200


@pytest.mark.parametrize("too_many", ["cookies", "headers"])
def test_oversize_headers_are_431_in_the_contract_shape(app, client, too_many):
    headers = {f"X-Filler-{i}": "1" for i in range(120)} if too_many == "headers" else {}
    if too_many == "cookies":
        for i in range(3):
            client.set_cookie(f"c{i}", "a" * 3000)
    response = client.post(START, json={"quiz_id": "elder-listen", "nickname": "小明"}, headers=headers)
    assert response.status_code == 431
    assert response.json["error"]["code"] == "headers_too_large"
    assert "Cookie" in response.json["error"]["message"]
    assert count_rows(app, Attempt) == 0


def test_a_browser_with_too_many_cookies_gets_a_chinese_page(client):
    for i in range(3):
        client.set_cookie(f"c{i}", "a" * 3000)
    response = client.get("/")
    assert response.status_code == 431
    assert response.mimetype == "text/html" and "Cookie" in response.text


def test_headers_within_the_limits_are_served(client):
    for i in range(2):
        client.set_cookie(f"c{i}", "a" * 3500)
    headers = {"Referer": "https://example.cn/?" + "a" * 12000, **{f"X-Filler-{i}": "1" for i in range(80)}}
    assert client.get("/api/v1/quizzes", headers=headers).status_code == 200


def test_the_spec_documents_the_limits_and_the_media_type(client):
    spec = client.get("/api/openapi.json").json
    text = spec["info"]["description"]
    assert "application/json" in text and "415" in text
    assert "4 096" in text and "431" in text and "gunicorn" in text
    for path in (START, ANSWER):
        assert "415" in spec["paths"][path]["post"]["responses"]


def test_a_whole_surrogate_pair_is_ordinary_text(client):
    raw = r'{"quiz_id": "elder-listen", "nickname": "小明", "staff_name": "\ud83d\ude00"}'
    response = client.post(START, data=raw, content_type="application/json")
    assert response.status_code == 201, response.json
