"""Sessions end: logout signs the account out on every device, a password change ends every other
session, and a replayed copy of an old cookie opens nothing. Every POST needs its CSRF token; signing
in and out on a learner's browser leaves a quiz open in another tab working."""

from __future__ import annotations

from app.quiz.models import Answer
from tests.auth.builders import get_user, login, make_org, signed_in, token_of
from tests.factories import PASSWORD, UserFactory
from tests.helpers import correct_labels_via_db, count_rows, csrf_token, start_page_attempt

NEW_PASSWORD = "a brand new pass phrase"


def _cookie(client):
    return client.get_cookie("fzkt").value


def _with_cookie(app, value):
    other = app.test_client()
    other.set_cookie("fzkt", value)
    return other


def test_logout_ends_the_session_on_every_device_and_old_cookie_copies(app, client):
    user_id = UserFactory(email="teacher@school.cn").id
    login(client)
    phone = app.test_client()
    login(phone)
    saved = _cookie(client)  # an attacker's copy of the signed-in cookie
    assert signed_in(_with_cookie(app, saved))

    response = client.post("/staff/logout", data={"csrf_token": token_of(client)})
    assert response.status_code == 303 and response.headers["Location"] == "/staff/signed-out"
    page = client.get("/staff/signed-out")
    assert "已退出登录" in page.text and "所有设备" in page.text
    assert not signed_in(client)
    assert not signed_in(_with_cookie(app, saved))  # the replayed copy opens nothing
    assert not signed_in(phone)  # the other device is signed out too
    assert get_user(app, user_id).session_version == 2
    # Signing in again works.
    assert login(client).status_code == 303 and signed_in(client)


def test_logout_needs_csrf_and_post(app, client):
    UserFactory(email="teacher@school.cn")
    login(client)
    assert client.post("/staff/logout").status_code == 400
    assert client.post("/staff/logout", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/staff/logout").status_code == 405
    assert signed_in(client)


def test_logout_when_not_signed_in_is_harmless(client):
    token = token_of(client, "/")
    response = client.post("/staff/logout", data={"csrf_token": token})
    assert response.status_code == 303


def _change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post("/staff/password", data={"csrf_token": token_of(client), "current": current, "new": new,
                                                "confirm": new if confirm is None else confirm})


def test_password_change_keeps_this_browser_and_ends_other_sessions(app, client):
    user_id = UserFactory(email="teacher@school.cn").id
    login(client)
    laptop = app.test_client()
    login(laptop)
    saved = _cookie(client)

    response = _change(client)
    assert response.status_code == 303 and response.headers["Location"] == "/staff/password/changed"
    assert "其他设备上的登录都已结束" in client.get("/staff/password/changed").text
    assert signed_in(client)  # this browser goes on
    assert not signed_in(laptop)  # the other session ended
    assert not signed_in(_with_cookie(app, saved))  # and so did the old copy of this one
    user = get_user(app, user_id)
    assert user.session_version == 2 and user.password_hash.startswith(f"pbkdf2:sha256:{app.config['PASSWORD_HASH_ITERATIONS']}$")

    fresh = app.test_client()
    assert login(fresh, password=PASSWORD).status_code == 401
    assert login(fresh, password=NEW_PASSWORD).status_code == 303


def test_password_change_problems_are_shown_by_the_field(app, client):
    user_id = UserFactory(email="teacher@school.cn").id
    login(client)
    wrong = _change(client, current="not my password")
    assert wrong.status_code == 422 and "当前密码不对" in wrong.text
    assert 'aria-describedby="current-error"' in wrong.text and 'aria-invalid="true"' in wrong.text
    short = _change(client, new="short")
    assert short.status_code == 422 and "密码至少 10 位" in short.text and 'id="new-error"' in short.text
    mismatch = _change(client, confirm="something else entirely")
    assert mismatch.status_code == 422 and "两次输入的密码不一样" in mismatch.text and 'id="confirm-error"' in mismatch.text
    same = _change(client, new=PASSWORD)
    assert same.status_code == 422 and "不能和当前密码一样" in same.text
    assert get_user(app, user_id).session_version == 1  # nothing changed
    assert signed_in(client)
    page = client.get("/staff/password")
    assert page.text.count('autocomplete="new-password"') == 2 and 'autocomplete="current-password"' in page.text


def test_wrong_current_password_counts_towards_the_lock(app, client):
    user_id = UserFactory(email="teacher@school.cn").id
    login(client)
    for _ in range(4):
        assert _change(client, current="guess guess").status_code == 422
    locked = _change(client, current="guess guess")
    assert locked.status_code == 429 and "暂时锁定" in locked.text
    again = client.post("/staff/login", data={"csrf_token": token_of(client, "/"), "email": "teacher@school.cn",
                                              "password": PASSWORD})
    assert again.status_code == 429  # this browser waits to sign in too
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert login(other).status_code == 303  # the owner elsewhere does not
    assert get_user(app, user_id).session_version == 1


def test_every_auth_post_needs_a_csrf_token(app, client):
    org_id = make_org(app)
    UserFactory(email="admin@x.cn", role="admin")
    UserFactory(email="teacher@school.cn", organisation_id=org_id)
    posts = {
        "/staff/login": {"email": "admin@x.cn", "password": PASSWORD},
        "/staff/password": {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        "/staff/users": {"email": "new@x.cn", "role": "teacher", "organisation": str(org_id),
                         "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        "/staff/logout": {},
    }
    login(client, email="admin@x.cn")
    for path, data in posts.items():
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        assert "页面已过期或来源不对" in response.text
    assert signed_in(client)
    assert get_user(app, email="new@x.cn") is None
    assert login(app.test_client(), email="admin@x.cn").status_code == 303  # password unchanged
    # The app's own route list: every POST route of this blueprint is covered above.
    auth_posts = {rule.rule for rule in app.url_map.iter_rules()
                  if rule.endpoint.startswith("auth.") and "POST" in (rule.methods or ())}
    assert auth_posts == set(posts)


def test_a_quiz_open_in_another_tab_goes_on_after_sign_in_and_sign_out(app, client):
    """A teacher tries the quiz on the classroom computer, then signs in (and out) in a second tab:
    the quiz tab's page, loaded before, still takes its answers with the token it holds."""
    UserFactory(email="teacher@school.cn")
    first = start_page_attempt(client, "elder-listen", nickname="小明")
    attempt_id = first.split("/")[2]
    quiz_token = csrf_token(client.get(first).text)  # the quiz tab, fetched before signing in
    with client.session_transaction() as session:
        pid = session["pid"]

    assert login(client).status_code == 303 and signed_in(client)
    answered = client.post(first, data={"csrf_token": quiz_token, "choices": correct_labels_via_db(app, attempt_id, 1)})
    assert answered.status_code == 303, answered.text
    assert answered.headers["Location"] == first  # the feedback of question 1, not the CSRF error page
    assert count_rows(app, Answer, Answer.attempt_id == attempt_id) == 1

    assert client.post("/staff/logout", data={"csrf_token": token_of(client)}).status_code == 303
    assert not signed_in(client)
    second = f"/a/{attempt_id}/2"
    answered = client.post(second, data={"csrf_token": quiz_token, "choices": correct_labels_via_db(app, attempt_id, 2)})
    assert answered.status_code == 303, answered.text
    assert count_rows(app, Answer, Answer.attempt_id == attempt_id) == 2
    with client.session_transaction() as session:
        assert session["pid"] == pid and session["nickname"] == "小明"
        assert "uid" not in session and "uv" not in session
