"""The sign-in throttle (app.auth.throttle): counted per email address and client, the same for
addresses with and without an account, slowing a guesser down without locking the owner out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.errors import AccountLocked, LoginFailed
from app.auth.models import LoginThrottle
from app.auth.throttle import FORGET_AFTER, LOCK_AFTER, LOCK_MAX, Client, lock_length
from app.database import utcnow
from tests.auth.builders import login, signed_in
from tests.factories import PASSWORD, UserFactory
from tests.helpers import csrf_token

SCHOOL_IP = "203.0.113.10"  # a whole school behind one address
HOME_IP = "198.51.100.20"


def _browser(app, address=SCHOOL_IP):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _guess(client, email="teacher@school.cn", times=1):
    return [_post(client, email, "wrong password").status_code for _ in range(times)]


def _post(client, email="teacher@school.cn", password=PASSWORD):
    """A sign-in form sent from this browser, signed in or not (the home page carries a CSRF token)."""
    token = csrf_token(client.get("/").text)
    return client.post("/staff/login", data={"csrf_token": token, "email": email, "password": password})


def test_known_and_unknown_addresses_get_the_same_answers(app):
    UserFactory(email="teacher@school.cn")
    known = _guess(_browser(app), "teacher@school.cn", LOCK_AFTER + 2)
    unknown = _guess(_browser(app, HOME_IP), "nobody@school.cn", LOCK_AFTER + 2)
    assert known == unknown == [401] * (LOCK_AFTER - 1) + [429] * 3
    # The pages say the same, word for word (apart from the CSRF token, the address and the minute).
    one = login(_browser(app), email="teacher@school.cn", password="x")
    two = login(_browser(app, HOME_IP), email="nobody@school.cn", password="x")

    def strip(response, email):
        return response.text.replace(csrf_token(response.text), "").replace(email, "")

    assert one.status_code == two.status_code == 429
    assert strip(one, "teacher@school.cn") == strip(two, "nobody@school.cn")
    assert "暂时锁定" in one.text and "以前登录过的手机或电脑上可以照常登录" in one.text


def test_the_lock_is_per_address_and_client_so_the_owner_signs_in_elsewhere(app):
    UserFactory(email="teacher@school.cn")
    UserFactory(email="colleague@school.cn")
    attacker = _browser(app)
    assert _guess(attacker, times=LOCK_AFTER)[-1] == 429
    assert login(attacker).status_code == 429  # the guesser waits, even with the right password
    assert login(_browser(app, HOME_IP)).status_code == 303  # the owner at home does not
    assert login(_browser(app), email="colleague@school.cn").status_code == 303  # nor another account


def test_a_browser_that_signed_in_before_is_never_locked_out_by_a_guesser_on_the_same_address(app):
    UserFactory(email="teacher@school.cn")
    owner = _browser(app)
    assert login(owner).status_code == 303
    owner.post("/staff/logout", data={"csrf_token": csrf_token(owner.get("/").text)})
    assert not signed_in(owner)
    attacker = _browser(app)  # the same school address, no device cookie
    assert _guess(attacker, times=LOCK_AFTER + 3)[-1] == 429
    assert login(attacker).status_code == 429
    assert login(owner).status_code == 303 and signed_in(owner)
    # The owner's own mistakes are counted for the owner's browser alone (and never unlock the guesser).
    assert _guess(owner, times=LOCK_AFTER)[-1] == 429
    assert login(_browser(app, HOME_IP)).status_code == 303


def test_a_device_cookie_counts_only_for_its_own_address_and_only_when_genuine(app):
    UserFactory(email="teacher@school.cn")
    UserFactory(email="colleague@school.cn")
    shared = _browser(app)
    assert login(shared, email="colleague@school.cn").status_code == 303  # a cookie for colleague@
    assert _guess(_browser(app), times=LOCK_AFTER)[-1] == 429  # teacher@ locked on the school address
    assert _post(shared).status_code == 429  # colleague@'s cookie does not speak for teacher@
    forged = _browser(app)
    forged.set_cookie("fzkt_device", "eyJlIjoiMDAwIiwiZCI6IjAwMCJ9.forged.signature")
    assert login(forged).status_code == 429


def test_the_device_cookie_is_http_only_same_site_and_long_lived(app):
    UserFactory(email="teacher@school.cn")
    response = login(_browser(app))
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("fzkt_device="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert f"Max-Age={180 * 24 * 3600}" in cookie
    tls = app.test_client()  # over HTTPS the cookie is Secure and __Host- prefixed
    page = tls.get("/staff/login", base_url="https://localhost")
    over_tls = tls.post("/staff/login", base_url="https://localhost", headers={"Referer": "https://localhost/staff/login"},
                        data={"csrf_token": csrf_token(page.text), "email": "teacher@school.cn", "password": PASSWORD})
    assert any(v.startswith("__Host-fzkt_device=") and "Secure" in v for v in over_tls.headers.getlist("Set-Cookie"))


def test_the_table_holds_neither_addresses_nor_ips(app):
    _guess(_browser(app), "nobody@school.cn", 2)
    from app.extensions import db

    with app.app_context():
        rows = db.session.execute(select(LoginThrottle.key, LoginThrottle.failures)).all()
    assert [failures for _key, failures in rows] == [2]
    assert all(len(key) == 64 and "@" not in key and SCHOOL_IP not in key for key, _ in rows)


def test_the_lock_doubles_clears_on_success_and_forgets_old_failures(app):
    from app.auth.services import authenticate
    from app.extensions import db

    UserFactory(email="teacher@school.cn")
    here = Client(SCHOOL_IP)
    start = utcnow()

    def attempt(password, at):
        return authenticate("teacher@school.cn", password, here, now=at)

    with app.app_context():
        for n in range(LOCK_AFTER - 1):
            with pytest.raises(LoginFailed):
                attempt("wrong password", start + timedelta(seconds=n))
        with pytest.raises(AccountLocked) as first:
            attempt("wrong password", start + timedelta(seconds=10))
        assert first.value.until == start + timedelta(seconds=10, minutes=1)
        with pytest.raises(AccountLocked):  # while locked even the right password is not checked
            attempt(PASSWORD, start + timedelta(seconds=30))
        with pytest.raises(AccountLocked) as second:  # the minute passes; one more failure: two minutes
            attempt("wrong password", start + timedelta(seconds=71))
        assert second.value.until == start + timedelta(seconds=71, minutes=2)
        assert attempt(PASSWORD, start + timedelta(minutes=4)).email == "teacher@school.cn"
        assert db.session.scalar(select(LoginThrottle)) is None  # a success clears the count

        later = start + timedelta(hours=1)
        for n in range(LOCK_AFTER - 1):
            with pytest.raises(LoginFailed):
                attempt("wrong password", later + timedelta(seconds=n))
        with pytest.raises(LoginFailed):  # a day on, the earlier failures no longer count
            attempt("wrong password", later + FORGET_AFTER + timedelta(minutes=1))
        assert db.session.scalar(select(LoginThrottle.failures)) == 1
        db.session.remove()


def test_lock_doubles_up_to_one_hour():
    assert lock_length(LOCK_AFTER - 1) is None
    assert [lock_length(n) for n in (5, 6, 7)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert lock_length(11) == LOCK_MAX == timedelta(hours=1)
    assert lock_length(10_000) == LOCK_MAX
