"""The quiz pages in a real Chromium: axe in every state, sizes, no-JS play, double taps, feedback cues.

Every page state is checked by `audit` (see conftest.py), at 375 and again at 320 CSS px wide:
html[lang=zh-CN], a title, no inline <script> and no on* attributes, no horizontal scrolling,
text ≥ 18 px (secondary .meta/.hint text ≥ 16 px), line-height ≥ 1.5, every target ≥ 48×48 CSS px
and none overlapping, axe-core with 0 violations for wcag2a/2aa/21a/21aa/22aa, no console errors
or CSP violations, and a screenshot in /tmp/shots.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    AXE_ROUTE,
    attempt_of,
    finish,
    next_question,
    option_labels,
    question_kind,
    right_labels,
    start_quiz,
    submit_answer,
    wrong_labels,
)

pytestmark = pytest.mark.browser

ALL_KINDS = {"single", "multiple", "judge"}


def test_entry_and_error_pages_pass_axe(browsers, audit):
    tab = browsers.tab("375")

    tab.goto("/")
    audit(tab, "home")

    tab.goto("/track/elder")
    assert tab.page.get_by_role("link", name=re.compile("开始《")).count() >= 1
    audit(tab, "track-elder")

    tab.goto("/play/elder-listen")
    audit(tab, "start")

    # An empty nickname: the form comes back (422) with the error in text, tied to the field.
    tab.page.fill("#nickname", "")
    tab.click_and_wait(tab.page.get_by_role("button", name="开始答题"), status=422)
    error = tab.page.locator("#nickname-error")
    assert error.is_visible() and error.inner_text().strip()
    assert tab.page.get_attribute("#nickname", "aria-invalid") == "true"
    assert "nickname-error" in tab.page.get_attribute("#nickname", "aria-describedby")
    audit(tab, "start-nickname-error")

    tab.goto("/a/nonexistent/1", status=404)
    assert tab.page.get_by_role("link", name="回到首页").is_visible()
    audit(tab, "error-attempt-404")

    tab.goto("/nonexistent", status=404)
    assert "页面不存在" in tab.page.locator("h1").inner_text()
    audit(tab, "error-404")

    tab.goto("/join?code=@@", status=422)
    assert tab.page.locator("#code-error").is_visible()
    assert tab.page.get_attribute("#code", "aria-invalid") == "true"
    audit(tab, "join-error")


def test_quiz_states_pass_axe(browsers, audit, live_server):
    """Question pages of each kind, feedback after a wrong and a right answer, and the result."""
    context = browsers.context("375")
    tab = browsers.tab(context=context)
    attempt_id = start_quiz(tab, "staff-training", "李护士")
    stale = browsers.tab(context=context)  # question 1 left open in a second tab
    stale.goto(f"/a/{attempt_id}/1")
    kinds_seen: set[str] = set()
    saw_scenario = saw_case_step = False
    feedback_done = {"right": False, "wrong": False}
    total = live_server.attempt_score(attempt_id)[1]
    while True:
        _, n = attempt_of(tab)
        kind = question_kind(tab)
        has_scenario = tab.page.locator("section.scenario").count() > 0
        if kind not in kinds_seen or (has_scenario and not saw_scenario):
            audit(tab, f"question-{kind}{'-scenario' if has_scenario else ''}")
            kinds_seen.add(kind)
            saw_scenario = saw_scenario or has_scenario
        elif not saw_case_step and tab.page.locator(".case-tag").count():
            audit(tab, f"question-{kind}-case-step")  # a multi-step scenario: its step is shown
            saw_case_step = True
        answer_right = n != 1  # the first answer is wrong, all others right
        submit_answer(tab, right_labels(tab) if answer_right else wrong_labels(tab))
        verdict = "right" if answer_right else "wrong"
        assert tab.page.locator(f"section.verdict.{verdict}").is_visible()
        if not feedback_done[verdict]:
            audit(tab, f"feedback-{verdict}")
            feedback_done[verdict] = True
        if n == 1:
            # The stale tab answers again: 409, the first answer's feedback and a notice.
            submit_answer(stale, right_labels(stale), status=409)
            assert stale.page.locator("section.verdict.wrong").is_visible()
            assert "已经答过" in stale.page.locator(".notice[role=status]").inner_text()
            audit(stale, "feedback-409-notice")
        if not next_question(tab):
            break
    finish(tab)
    assert tab.page.locator(".score").inner_text().replace(" ", "") == f"答对{total - 1}题，共{total}题"
    assert tab.page.locator("ol.review > li").count() == 1  # the wrong answer is reviewed
    audit(tab, "result")

    # A kind the draw left out: new attempts prefer unseen items, so a few tries reach it.
    for _ in range(6):
        missing = ALL_KINDS - kinds_seen
        if not missing:
            break
        again = start_quiz(tab, "staff-training", "李护士")
        for n, (kind, step) in live_server.slot_kinds(again).items():
            if kind in missing and (step or 1) == 1:
                tab.goto(f"/a/{again}/{n}")
                assert question_kind(tab) == kind
                audit(tab, f"question-{kind}")
                kinds_seen.add(kind)
                missing.discard(kind)
    assert kinds_seen == ALL_KINDS, f"question kinds audited: {kinds_seen}"
    assert all(feedback_done.values())


def test_full_flow_without_javascript(browsers, live_server):
    """Plain forms and Post/Redirect/Get: start, answer everything, finish, see the score; then
    Back and re-submitting never changes it (a stale question form gets 409 + feedback + notice)."""
    context = browsers.context("375", js=False)
    tab = browsers.tab(context=context)
    attempt_id = start_quiz(tab, "elder-listen", "王阿姨")
    total = live_server.attempt_score(attempt_id)[1]
    assert total >= 2

    # A second tab holds question 1 unanswered, as a page restored from memory would.
    stale = browsers.tab(context=context)
    stale.goto(f"/a/{attempt_id}/1")
    stale_right = right_labels(stale)

    wrong_n = 2
    while True:
        _, n = attempt_of(tab)
        response = submit_answer(tab, wrong_labels(tab) if n == wrong_n else right_labels(tab))
        assert response.status == 200 and response.url.endswith(f"/a/{attempt_id}/{n}")  # 303 → GET
        assert tab.page.locator("h1#verdict").inner_text().endswith("回答错误" if n == wrong_n else "回答正确")
        if n == 1:
            # Back from the feedback re-fetches the question URL: the server shows the feedback
            # again (no-store), not a form that could be answered a second time.
            back = tab.page.go_back()
            assert back is not None and back.status == 200
            assert tab.page.locator("form.question").count() == 0
            assert "回答正确" in tab.page.locator("h1#verdict").inner_text()
            # The stale form is re-submitted with a different answer: 409, first answer kept.
            stale_wrong = [label for label in option_labels(stale) if label not in stale_right][:1]
            submit_answer(stale, stale_wrong, status=409)
            assert "这道题已经答过了" in stale.page.locator(".notice").inner_text()
            assert "回答正确" in stale.page.locator("h1#verdict").inner_text()
        if not next_question(tab):
            break
    finish(tab)
    score_text = f"答对{total - 1}题，共{total}题"
    assert tab.page.locator(".score").inner_text().replace(" ", "") == score_text
    assert live_server.attempt_score(attempt_id) == (total - 1, total, True)

    # Back to the last feedback page and press 交卷 again: the same result, the same score.
    back = tab.page.go_back()
    assert back is not None and back.status == 200
    finish(tab)
    assert tab.page.locator(".score").inner_text().replace(" ", "") == score_text
    assert live_server.attempt_score(attempt_id) == (total - 1, total, True)
    assert live_server.attempt_answers(attempt_id) == dict.fromkeys(range(1, total + 1), 1)


def test_double_click_on_submit_records_one_answer(browsers, live_server):
    tab = browsers.tab("375")
    attempt_id = start_quiz(tab, "elder-listen")
    posts: list[str] = []
    tab.page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    submit_answer(tab, right_labels(tab), double=True)
    tab.page.wait_for_load_state("load")
    assert tab.page.locator("h1#verdict").inner_text().endswith("回答正确")
    assert tab.page.locator(".notice").count() == 0  # no 409 page: the second tap never left the phone
    assert posts == [f"{live_server.url}/a/{attempt_id}/1"]
    assert live_server.attempt_answers(attempt_id) == {1: 1}


def test_feedback_is_not_colour_alone(browsers):
    """WCAG 1.4.1 / MIIT 1.4: the verdict has an icon and words, not just green or red."""
    tab = browsers.tab("375")
    start_quiz(tab, "elder-listen")
    seen = {}
    for verdict, labels in (("wrong", wrong_labels), ("right", right_labels)):
        submit_answer(tab, labels(tab))
        heading = tab.page.locator(f"section.verdict.{verdict} h1")
        icon = heading.locator(".icon")
        assert icon.is_visible() and icon.get_attribute("aria-hidden") == "true"
        box = icon.bounding_box()
        assert box and box["width"] >= 12 and box["height"] >= 12, f"the {verdict} icon does not render: {box}"
        seen[verdict] = (
            icon.evaluate("el => el.outerHTML"),
            heading.inner_text().replace(icon.inner_text(), "").strip(),
        )
        next_question(tab)
    assert seen["wrong"][1] == "回答错误" and seen["right"][1] == "回答正确"
    assert seen["wrong"][0] != seen["right"][0], "right and wrong use the same icon"


def test_csp_violations_are_caught(browsers):
    """The console listener really sees CSP violations: an inline script is refused and reported.
    (This is also why axe is loaded from a same-origin URL rather than inlined.)"""
    tab = browsers.tab("375")
    response = tab.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    with pytest.raises(Exception, match="Content Security Policy"):
        tab.page.add_script_tag(content="window.__inline = 1")
    assert any("Content Security Policy" in p for p in tab.problems), tab.problems
    tab.problems.clear()
    tab.page.add_script_tag(url=tab.server.url + AXE_ROUTE)  # same-origin: allowed
    assert tab.page.evaluate("typeof axe.run") == "function"
    tab.assert_clean()


def test_skip_link_shows_and_is_large_when_focused(browsers):
    tab = browsers.tab("375")
    tab.goto("/")
    tab.page.keyboard.press("Tab")
    skip = tab.page.locator("a.skip")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["width"] >= 48 and box["height"] >= 48, box
