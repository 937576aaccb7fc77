"""The management pages in a phone-sized Chromium (375 and 320 px) with axe: 0 violations, text
≥ 18 px, targets ≥ 48 px, no horizontal scrolling, no CSP or console errors. Signing in goes
through the real sign-in page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import run_axe, toggle_care

# The live server, Chromium and axe fixtures of tests/browser, used here as well.
from tests.dashboard.builders import set_teacher
from tests.factories import PASSWORD, UserFactory
from tests.helpers import make_group

pytestmark = pytest.mark.browser


def _sign_in(tab, email: str) -> None:
    tab.goto("/manage/")
    assert tab.path.startswith("/staff/login")
    tab.page.fill("#email", email)
    tab.page.fill("#password", PASSWORD)
    tab.click_and_wait(tab.page.get_by_role("button", name="登录"))
    assert tab.path == "/manage/"


def test_teacher_pages_pass_axe_on_a_phone(app, browsers, audit):
    school = make_group(app, "初一（3）班", 45)
    teacher = UserFactory(role="teacher", organisation_id=school["org_id"], display_name="李老师")
    set_teacher(app, school["group_id"], teacher.id)
    tab = browsers.tab("375")
    _sign_in(tab, teacher.email)
    audit(tab, "manage-home")

    tab.click_and_wait(tab.page.get_by_role("link", name="新建班级"))
    audit(tab, "manage-new-group")
    tab.page.fill("#name", "初一（4）班")
    tab.page.fill("#size", "46")
    tab.click_and_wait(tab.page.get_by_role("button", name="新建班级"))
    assert tab.path.startswith("/manage/groups/")
    assert tab.page.locator("img.qr").evaluate("img => img.complete && img.naturalWidth > 100")
    audit(tab, "manage-group-school")

    toggle_care(tab)  # 长辈版 works here too: text ≥ 24 px, targets ≥ 60 px, contrast ≥ 7:1
    audit(tab, "manage-group-school", care=True)
    toggle_care(tab)

    tab.page.get_by_label("只显示前几名", exact=True).check()
    tab.page.fill("#board-top_n", "99")
    tab.click_and_wait(tab.page.get_by_role("button", name="保存显示方式"), status=422)
    audit(tab, "manage-group-error")

    tab.click_and_wait(tab.page.get_by_role("link", name="投屏显示"))
    assert tab.page.locator("img.projector-qr").evaluate("img => img.complete && img.naturalWidth > 100")
    audit(tab, "manage-project")

    # On a classroom projector (1280×720): code and QR both on the one screen, the code huge.
    tab.page.set_viewport_size({"width": 1280, "height": 720})
    code = tab.page.locator(".projector-join").bounding_box()
    qr = tab.page.locator("img.projector-qr").bounding_box()
    assert code["y"] + code["height"] <= 720 and qr["y"] + qr["height"] <= 720, (code, qr)
    assert qr["width"] >= 300
    assert tab.page.locator(".projector-join").evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 96
    assert tab.page.evaluate("document.scrollingElement.scrollWidth") <= 1280
    assert not run_axe(tab)
    tab.page.screenshot(path="/tmp/shots/manage-project-1280.png")


def test_organiser_pages_pass_axe_on_a_phone(app, browsers, audit):
    ward = make_group(app, "内科", 30, kind="hospital", org_name="县人民医院")
    make_group(app, "外科", 20, org_id=ward["org_id"])
    organiser = UserFactory(role="organiser", organisation_id=ward["org_id"], display_name="王组织")
    tab = browsers.tab("375")
    _sign_in(tab, organiser.email)
    audit(tab, "manage-home-organiser")

    tab.click_and_wait(tab.page.get_by_role("link", name="布置任务"))
    audit(tab, "manage-assignments")
    tab.page.get_by_label("内科", exact=True).check()
    tab.page.fill("#opens_at", "2030-03-02T08:00")
    tab.page.fill("#closes_at", "2030-03-01T08:00")
    tab.click_and_wait(tab.page.get_by_role("button", name="布置任务"), status=422)
    audit(tab, "manage-assignments-error")

    tab.goto(f"/manage/groups/{ward['group_id']}")
    tab.page.set_input_files("#roster-file", files=[{"name": "名单.xlsx", "mimeType": "application/octet-stream",
                                                    "buffer": b"not excel"}])
    tab.click_and_wait(tab.page.get_by_role("button", name="导入名单"), status=422)
    audit(tab, "manage-roster-error")
