"""The live game in a real Chromium: the projector at 1280×720 (question text ≥ 40 px, letter + shape
+ colour on every option) and phones at 375 and 320 px, axe at 0 violations in each state; a phone that
closes its tab and comes back is the same player with its answer kept; the phone follows the host."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE_ROUTE, _axe_js, format_violations, run_axe
from tests.helpers import sign_in
from tests.live.builders import class_with_teacher

pytestmark = pytest.mark.browser


def _projector(browsers, teacher):
    context = browsers.browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    context.route(browsers.server.url + AXE_ROUTE,
                  lambda route: route.fulfill(path=str(_axe_js()), content_type="text/javascript"))
    context.set_default_timeout(10_000)
    browsers.contexts.append(context)
    browsers._settings[id(context)] = ("375", True)  # a tab of its own kind: measured by axe, not by the phone sizes
    client = browsers.server.app.test_client()
    sign_in(client, teacher)
    cookie = client.get_cookie("fzkt")
    context.add_cookies([{"name": "fzkt", "value": cookie.value, "url": browsers.server.url}])
    return browsers.tab(context=context)


def _axe(tab, name):
    violations = run_axe(tab)
    assert not violations, f"{name}: {format_violations(violations)}"
    tab.assert_clean()


def _press(tab, label):
    tab.click_and_wait(tab.page.locator(".live-controls").get_by_role("button", name=label))


def test_projector_and_phones_through_a_game(browsers, audit, app):
    group, teacher = class_with_teacher()
    projector = _projector(browsers, teacher)
    projector.goto(f"/live/host/new?group={group.id}")
    projector.page.select_option("#quiz", "student-basics")
    projector.click_and_wait(projector.page.get_by_role("button", name="打开投屏，等学生加入"))
    pin = projector.page.locator(".live-pin-small").inner_text().strip()
    _axe(projector, "projector-lobby")

    phone_context = browsers.context("375")
    phone = browsers.tab(context=phone_context)
    phone.goto(f"/live/{pin}")
    audit(phone, "live-join")
    phone.page.fill("#nickname", "小明")
    phone.click_and_wait(phone.page.get_by_role("button", name="加入"))
    assert "已加入" in phone.page.locator("h1").inner_text()
    audit(phone, "live-lobby")

    expect(projector.page.locator(".live-names")).to_contain_text("小明", timeout=8000)  # the projector follows joins
    _press(projector, "开始")
    prompt = projector.page.locator("#q-title")
    assert float(prompt.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 40
    for tile in projector.page.locator(".live-tile").all():
        assert tile.locator(".live-mark").inner_text().strip() and tile.locator(".live-letter").inner_text().strip()
    _axe(projector, "projector-question")

    # The phone follows the host by itself (polling the snapshot), then answers with one tap.
    phone.page.wait_for_selector("form.live-answer", timeout=8000)
    audit(phone, "live-question")
    tap = phone.page.locator("button.live-tap").first
    if tap.count():
        phone.click_and_wait(tap)
    else:
        phone.page.locator("label.live-option").first.click()
        phone.click_and_wait(phone.page.get_by_role("button", name="提交"))
    assert phone.page.locator(".live-sent").is_visible()
    sent = phone.page.locator(".live-sent").inner_text()

    # Close the tab and come back: the same player, the answer kept.
    phone.page.close()
    again = browsers.tab(context=phone_context)
    again.goto(f"/live/{pin}")
    assert again.page.locator(".live-sent").inner_text() == sent
    expect(projector.page.locator("[data-live-answered]")).to_have_text("1", timeout=8000)

    _press(projector, "揭晓答案")
    assert projector.page.locator("progress.live-bar-fill").count() >= 2
    assert projector.page.locator(".live-right-tag").count() >= 1
    _axe(projector, "projector-reveal")
    again.page.wait_for_selector(".live-verdict", timeout=8000)
    audit(again, "live-reveal")

    projector.page.on("dialog", lambda dialog: dialog.accept())
    _press(projector, "结束本场")
    assert "本场结束" in projector.page.locator("h1").inner_text()
    _axe(projector, "projector-ended")
    again.page.wait_for_selector("text=本场成绩已计入", timeout=8000)
    audit(again, "live-ended")
