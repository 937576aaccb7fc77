"""长辈版 (care mode) in a real Chromium: the switch on the first screen, its memory, and the pages in
care mode: text ≥ 24 px, targets ≥ 60×60, axe with `color-contrast-enhanced` (7:1) as well."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    TARGET_MIN,
    check_measurements,
    finish,
    next_question,
    right_labels,
    start_quiz,
    submit_answer,
    toggle_care,
    wrong_labels,
)

pytestmark = pytest.mark.browser


def _switch(tab):
    return tab.page.locator("form.care-switch button")


def test_care_switch_on_first_screen_is_remembered_and_turns_off(browsers):
    context = browsers.context("375")
    tab = browsers.tab(context=context)
    tab.goto("/")
    switch = _switch(tab)
    assert "长辈版" in switch.inner_text()
    box = switch.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 812, "长辈版 is not on the first screen"
    assert switch.get_attribute("aria-pressed") == "false"
    normal = check_measurements(tab, care=False)

    toggle_care(tab)  # POST /care, 303 back to the same page
    assert tab.path == "/"
    assert _switch(tab).get_attribute("aria-pressed") == "true"
    assert "已开" in _switch(tab).inner_text()
    care = check_measurements(tab, care=True)  # body.care, text ≥ 24 px, every target ≥ 60×60
    assert care["bodyFont"] >= 24 and care["bodyFont"] > normal["bodyFont"]
    switch_box = _switch(tab).bounding_box()
    assert switch_box["width"] >= TARGET_MIN[True] and switch_box["height"] >= TARGET_MIN[True]

    # Close the page and open the site again in the same browser: still 长辈版.
    tab.page.close()
    again = browsers.tab(context=context)
    again.goto("/")
    check_measurements(again, care=True)
    again.goto("/track/elder")
    check_measurements(again, care=True)

    toggle_care(again)
    assert again.path == "/track/elder"  # the switch comes back to the page it was used on
    assert _switch(again).get_attribute("aria-pressed") == "false"
    check_measurements(again, care=False)
    again.goto("/")
    check_measurements(again, care=False)


def test_care_mode_pages_pass_enhanced_contrast(browsers, audit, live_server):
    """Home, start, question, feedback (wrong and right) and result in 长辈版, at 375 and 320 px:
    axe with color-contrast-enhanced, text ≥ 24 px, targets ≥ 60×60, no horizontal scrolling."""
    tab = browsers.tab("375")
    tab.goto("/")
    toggle_care(tab)
    audit(tab, "home", care=True)

    attempt_id = start_quiz(tab, "elder-listen", "张奶奶")
    total = live_server.attempt_score(attempt_id)[1]
    audit(tab, f"question-{'multiple' if tab.page.locator('input[type=checkbox]').count() else 'single'}", care=True)

    submit_answer(tab, wrong_labels(tab))
    audit(tab, "feedback-wrong", care=True)
    next_question(tab)
    submit_answer(tab, right_labels(tab))
    audit(tab, "feedback-right", care=True)
    while next_question(tab):
        submit_answer(tab, right_labels(tab))
    finish(tab)
    assert tab.page.locator(".score").inner_text().replace(" ", "") == f"答对{total - 1}题，共{total}题"
    audit(tab, "result", care=True)

    tab.goto("/play/elder-listen")
    tab.page.fill("#nickname", "")
    tab.click_and_wait(tab.page.get_by_role("button", name="开始答题"), status=422)
    audit(tab, "start-nickname-error", care=True)
