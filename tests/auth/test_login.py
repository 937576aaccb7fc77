"""Signing in: hashed passwords, the generic error, the generous per-IP limit, safe `next`, and a fresh
session that keeps the learner's own keys (the throttle per address and client: test_throttle.py)."""

from __future__ import annotations

import pytest

from tests.auth.builders import get_user, login, signed_in
from tests.factories import PASSWORD, UserFactory
from tests.helpers import csrf_token, start_page_attempt

GENERIC = "邮箱或密码不对，请检查后再试。"


def test_passwords_are_stored_as_pbkdf2_sha256_with_the_configured_rounds_never_plain(app, db):
    from app.auth.services import create_user

    user = create_user("New@School.cn", "a long pass phrase", "a long pass phrase", "admin")
    assert user.password_hash.startswith(f"pbkdf2:sha256:{app.config['PASSWORD_HASH_ITERATIONS']}$")
    assert "a long pass phrase" not in user.password_hash
    assert user.email == "new@school.cn"
    other = create_user("two@school.cn", "a long pass phrase", "a long pass phrase", "admin")
    assert other.password_hash != user.password_hash  # salted per password


def test_sign_in_is_case_insensitive_and_goes_to_the_dashboard(app, client):
    UserFactory(email="teacher@school.cn")
    assert not signed_in(client)
    response = login(client, email="  Teacher@School.CN ")
    assert response.status_code == 303 and response.headers["Location"] == "/manage/"
    assert signed_in(client)
    # Signed in already: the login page sends them on.
    assert client.get("/staff/login").headers["Location"] == "/manage/"


def test_wrong_password_and_unknown_email_give_the_same_generic_error(app, client):
    UserFactory(email="teacher@school.cn")
    wrong = login(client, password="not the password")
    unknown = login(client, email="nobody@school.cn")
    empty = login(client, email="", password="")
    for response in (wrong, unknown, empty):
        assert response.status_code == 401
        assert GENERIC in response.text
        assert 'aria-describedby="email-error' not in response.text
        assert 'id="login-error" role="alert"' in response.text
        assert 'aria-describedby="login-error"' in response.text  # the message is tied to the fields
        assert "不存在" not in response.text and "没有这个" not in response.text
    assert not signed_in(client)
    # The page is the same either way (apart from the CSRF token and the typed email).
    strip = lambda r: r.text.replace(csrf_token(r.text), "").replace("teacher@school.cn", "").replace("nobody@school.cn", "")  # noqa: E731
    assert strip(wrong) == strip(unknown)
    # The typed password is never sent back.
    assert "not the password" not in wrong.text


def test_forty_teachers_of_one_school_sign_in_from_one_ip(app):
    """A whole staff room behind the school's one address is not rate-limited (default per-IP limit)."""
    assert app.config["RATELIMIT_LOGIN_PER_IP"] == "100 per minute"
    for n in range(40):
        UserFactory(email=f"t{n}@school.cn")
    for n in range(40):
        client = app.test_client()
        response = login(client, email=f"t{n}@school.cn")
        assert response.status_code == 303, (n, response.status_code)


def test_per_ip_limit_on_sign_in_posts_is_configurable(app_factory):
    app = app_factory(RATELIMIT_LOGIN_PER_IP="3 per minute")
    client = app.test_client()
    token = csrf_token(client.get("/staff/login").text)
    statuses = [client.post("/staff/login", data={"csrf_token": token, "email": f"x{n}@school.cn", "password": "x"}).status_code
                for n in range(4)]
    assert statuses == [401, 401, 401, 429]
    assert client.get("/staff/login").status_code == 200  # reading the page is not limited


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)",
     "evil.example", "/%0d%0aSet-Cookie:x", "/ /evil.example", "\\\\evil.example"],
)
def test_next_never_leaves_the_site(app, client, target):
    UserFactory(email="teacher@school.cn")
    response = login(client, next_path=target)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location == "/manage/" or (location.startswith("/") and not location.startswith("//")), location
    assert "evil" not in location or location.startswith("/%0d")
    if target != "/%0d%0aSet-Cookie:x":
        assert location == "/manage/"


def test_next_same_site_path_is_followed(app, client):
    UserFactory(email="teacher@school.cn")
    response = login(client, next_path="/manage/groups/3?tab=board")
    assert response.headers["Location"] == "/manage/groups/3?tab=board"
    assert login(app.test_client(), next_path="/staff/login?next=/staff/login").headers["Location"] == "/manage/"
    # The login page carries ?next= into its form.
    client2 = app.test_client()
    page = client2.get("/staff/login?next=/reports/1")
    assert 'value="/reports/1"' in page.text
    assert 'value="//evil' not in client2.get("/staff/login?next=//evil.example").text


def test_login_required_pages_send_to_login_with_next(client):
    response = client.get("/staff/password")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/staff/login?next=/staff/password")


def test_sign_in_keeps_the_learner_keys_but_not_old_teacher_keys(app, client):
    UserFactory(email="a@school.cn")
    UserFactory(email="b@school.cn")
    start_page_attempt(client, "elder-listen", nickname="小明")
    assert login(client, email="a@school.cn").status_code == 303
    token = csrf_token(client.get("/").text)
    with client.session_transaction() as session:
        before = dict(session)
    assert before["pid"] and before["nickname"] == "小明" and before["csrf_token"]
    # Signing in as b on the same browser: a's keys are gone, the learner's (and the CSRF secret) stay.
    response = client.post("/staff/login", data={"csrf_token": token, "email": "b@school.cn", "password": PASSWORD})
    assert response.status_code == 303
    with client.session_transaction() as session:
        after = dict(session)
    assert after["pid"] == before["pid"] and after["nickname"] == "小明"
    assert after["csrf_token"] == before["csrf_token"]
    assert after["uid"] == get_user(app, email="b@school.cn").id
    assert after["uv"] == get_user(app, email="b@school.cn").session_version
    learner = lambda keys: {k: v for k, v in keys.items() if k not in ("uid", "uv")}  # noqa: E731
    assert learner(after) == learner(before)  # nothing but the account keys changed
    assert signed_in(client)


def test_staff_indicator_only_for_signed_in_staff(app, client):
    home = client.get("/")
    assert "退出登录" not in home.text and "管理后台" not in home.text
    UserFactory(email="teacher@school.cn", display_name="王老师")
    login(client)
    home = client.get("/")
    assert "已登录：王老师" in home.text and 'href="/manage/"' in home.text and "退出登录" in home.text
    assert 'action="/staff/logout"' in home.text


def test_login_page_is_accessible_markup(client):
    page = client.get("/staff/login")
    assert page.status_code == 200
    assert '<label for="email">' in page.text and '<label for="password">' in page.text
    assert 'autocomplete="username"' in page.text and 'autocomplete="current-password"' in page.text
    assert 'type="password"' in page.text
    assert PASSWORD not in page.text
