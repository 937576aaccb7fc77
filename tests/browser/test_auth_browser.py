"""Staff sign-in pages in a phone-sized Chromium: axe, text and target sizes, no horizontal scroll,
in normal mode and 长辈版, including the error state and the signed-in header."""

from __future__ import annotations

import pytest

from tests.auth.builders import make_org
from tests.browser.conftest import toggle_care
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def _sign_in(tab, email, password, status=200):
    tab.page.fill("#email", email)
    tab.page.fill("#password", password)
    return tab.click_and_wait(tab.page.get_by_role("button", name="登录", exact=True), status=status)


def test_login_page_and_its_error_state(browsers, audit, live_server):
    UserFactory(email="teacher@school.cn")
    tab = browsers.tab("375")
    tab.goto("/staff/login")
    assert tab.page.locator("#email").get_attribute("autocomplete") == "username"
    assert tab.page.locator("#password").get_attribute("autocomplete") == "current-password"
    audit(tab, "staff-login")

    _sign_in(tab, "teacher@school.cn", "not the password", status=401)
    alert = tab.page.get_by_role("alert")
    assert "邮箱或密码不对" in alert.inner_text()
    assert tab.page.locator("#password").get_attribute("aria-describedby") == "login-error"
    audit(tab, "staff-login-error")


def test_login_page_in_care_mode(browsers, audit):
    tab = browsers.tab("375")
    tab.goto("/staff/login")
    toggle_care(tab)
    assert tab.path == "/staff/login"
    audit(tab, "staff-login", care=True)


def test_signed_in_header_accounts_page_and_sign_out(browsers, audit, live_server):
    org_id = make_org(live_server.app)
    UserFactory(email="admin@x.cn", role="admin", display_name="管理员小李")
    UserFactory(email="teacher@school.cn", organisation_id=org_id, display_name="王老师")
    tab = browsers.tab("375")
    tab.goto("/staff/login?next=/staff/users")
    _sign_in(tab, "ADMIN@x.cn", PASSWORD)
    assert tab.path == "/staff/users"
    nav = tab.page.get_by_role("navigation", name="工作人员")
    assert "已登录：管理员小李" in nav.inner_text()
    assert nav.get_by_role("link", name="管理后台").get_attribute("href") == "/manage/"
    audit(tab, "staff-users")

    # A problem in the create form is announced and tied to its field.
    tab.page.fill("#email", "teacher@school.cn")
    tab.page.select_option("#role", "teacher")
    tab.page.select_option("#organisation", str(org_id))
    tab.page.fill("#password", "another pass phrase")
    tab.page.fill("#confirm", "another pass phrase")
    tab.click_and_wait(tab.page.get_by_role("button", name="创建账号"), status=409)
    assert tab.page.locator("#email").get_attribute("aria-describedby") == "email-error"
    audit(tab, "staff-users-error")

    tab.goto("/staff/password")
    audit(tab, "staff-password")

    tab.click_and_wait(tab.page.get_by_role("button", name="退出登录"))
    assert tab.path == "/staff/signed-out"
    assert tab.page.get_by_role("navigation", name="工作人员").count() == 0
    audit(tab, "staff-signed-out")
