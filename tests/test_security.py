"""Headers, cookies, secrets, error pages and rate limits."""

from __future__ import annotations

import pytest
from flask import abort

from app import InsecureConfiguration
from app.config import DEV_SECRET_KEY
from tests.conftest import make_app
from tests.helpers import csrf_token, start_api_attempt, start_page_attempt


def test_strict_csp_and_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/v1/quizzes", "/nonexistent"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"):
            assert directive in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_is_secure_httponly_lax_over_https(client):
    https = client.get("/play/elder-listen", base_url="https://localhost")
    cookie = https.headers["Set-Cookie"]
    assert cookie.startswith("__Host-fzkt=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "max-age=31536000" in https.headers["Strict-Transport-Security"]


def test_refuses_to_start_in_production_with_the_development_key(database_url):
    with pytest.raises(InsecureConfiguration):
        make_app(database_url, APP_ENV="production", SECRET_KEY=DEV_SECRET_KEY)
    app = make_app(database_url, APP_ENV="production", SECRET_KEY="a-real-secret")
    assert app.config["SECRET_KEY"] == "a-real-secret"


@pytest.mark.parametrize(
    ("status", "words"),
    [(400, "请求有误"), (403, "无权访问"), (404, "页面不存在"), (405, "操作方式不对"), (409, "操作冲突"),
     (413, "内容太大"), (429, "操作太频繁"), (500, "服务器出错了")],
)
def test_error_pages_are_chinese_without_traceback(app_factory, status, words):
    app = app_factory()

    @app.get("/boom/<int:code>")
    def boom(code: int):
        if code == 500:
            raise RuntimeError("secret internals")
        abort(code)

    client = app.test_client()
    response = client.get(f"/boom/{status}")
    assert response.status_code == status
    assert words in response.text and 'lang="zh-CN"' in response.text
    assert "Traceback" not in response.text and "secret internals" not in response.text


def test_405_and_413_on_real_routes(client):
    assert client.delete("/").status_code == 405
    page = client.get("/play/elder-listen")
    big = client.post("/play/elder-listen", data={"csrf_token": csrf_token(page.text), "nickname": "x" * 300_000})
    assert big.status_code == 413 and "内容太大" in big.text


def test_care_mode_switch_is_remembered_and_needs_csrf(client):
    home = client.get("/")
    assert 'aria-pressed="false"' in home.text and "长辈版" in home.text
    assert client.post("/care", data={"next": "/"}).status_code == 400
    on = client.post("/care", data={"csrf_token": csrf_token(home.text), "next": "/track/elder"})
    assert on.status_code == 303 and on.headers["Location"] == "/track/elder"
    assert "Max-Age=" in on.headers["Set-Cookie"]
    page = client.get("/track/elder")
    assert '<body class="care">' in page.text and 'aria-pressed="true"' in page.text
    off = client.post("/care", data={"csrf_token": csrf_token(page.text), "next": "//evil.example/"})
    assert off.headers["Location"] == "/"  # never redirected off-site
    assert '<body class="">' in client.get("/").text


def test_join_code_box_explains_problems(client):
    assert "请输入老师或工作人员给你的班级码" in client.get("/join?code=").text
    assert "4 到 12 位字母或数字" in client.get("/join?code=@@").text
    unknown = client.get("/join?code=ab12cd")
    assert unknown.status_code == 404 and "没有找到班级码 AB12CD" in unknown.text


def test_answer_rate_limit_is_per_attempt_not_per_school_ip(app_factory):
    app = app_factory(RATELIMIT_ANSWER="3 per minute", RATELIMIT_START="100 per minute")
    client = app.test_client()
    one = start_api_attempt(client, "staff-training")
    two = start_api_attempt(client, "staff-training")
    url = "/api/v1/attempts/{}/questions/{}/answer"
    statuses = [client.post(url.format(one["attempt_id"], n), headers={"Authorization": f"Bearer {one['token']}"},
                            json={"choices": ["A"]}).status_code for n in (1, 2, 3, 4)]
    assert statuses[:3] != [429] * 3 and statuses[3] == 429
    limited = client.post(url.format(one["attempt_id"], 5), headers={"Authorization": f"Bearer {one['token']}"}, json={"choices": ["A"]})
    assert limited.json["error"]["code"] == "rate_limited" and "稍等" in limited.json["error"]["message"]
    # A classmate behind the same IP is not affected.
    other = client.post(url.format(two["attempt_id"], 1), headers={"Authorization": f"Bearer {two['token']}"}, json={"choices": ["A"]})
    assert other.status_code != 429


def test_start_limit_is_per_participant(app_factory):
    app = app_factory(RATELIMIT_START="2 per minute")
    alice, bob = app.test_client(), app.test_client()
    # The first start has no participant yet (keyed on the IP); the next two are keyed on alice.
    for _ in range(3):
        start_page_attempt(alice, "elder-listen")
    page = alice.get("/play/elder-listen")
    third = alice.post("/play/elder-listen", data={"csrf_token": csrf_token(page.text), "nickname": "小明"})
    assert third.status_code == 429 and "操作太频繁" in third.text
    start_page_attempt(bob, "elder-listen")  # same IP, different person: fine


def test_behind_a_trusted_proxy_https_is_recognised(app_factory):
    app = app_factory(TRUSTED_PROXIES=1)
    client = app.test_client()
    response = client.get("/play/elder-listen", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert response.headers["Set-Cookie"].startswith("__Host-fzkt=") and "Secure" in response.headers["Set-Cookie"]
    plain = app_factory().test_client().get("/play/elder-listen", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in plain.headers["Set-Cookie"]  # untrusted header is ignored
    assert "Strict-Transport-Security" not in plain.headers


def test_per_ip_flood_guard_counts_writes_not_reads(app_factory):
    app = app_factory(RATELIMIT_PER_IP="3 per minute")
    client = app.test_client()
    for _ in range(6):
        assert client.get("/api/v1/quizzes").status_code == 200
    home = client.get("/")
    statuses = [client.post("/care", data={"csrf_token": csrf_token(home.text), "next": "/"}).status_code for _ in range(4)]
    assert statuses == [303, 303, 303, 429]


def test_fifty_students_on_one_school_ip_can_all_start(app_factory):
    app = app_factory(RATELIMIT_START="2 per minute")
    for n in range(50):
        start_page_attempt(app.test_client(), "elder-listen", f"{n + 1}号同学")
    flood = app_factory(RATELIMIT_FIRST_START_PER_IP="3 per minute")
    statuses = []
    for _ in range(4):
        client = flood.test_client()
        page = client.get("/play/elder-listen")
        statuses.append(client.post("/play/elder-listen", data={"csrf_token": csrf_token(page.text), "nickname": "小明"}).status_code)
    assert statuses == [303, 303, 303, 429]
