"""Real-browser fixtures: a live server, Debian Chromium driven by Playwright, axe-core and measurements.

Everything runs offline. Chromium is the Debian package at /usr/bin/chromium; a missing browser
is a test failure, never a skip. axe-core is the `axe.min.js` shipped inside axe_playwright_python.

How axe gets into a page without weakening the CSP: the site's policy is `script-src 'self'`,
which (rightly) blocks the inline <script> that `page.add_script_tag(path=...)` creates. Instead
each browser context routes one same-origin URL, `<live server>/__axe__/axe.min.js`, to the file
on disk, and `page.add_script_tag(url=...)` loads it as an ordinary same-origin script. So the
pages keep their real CSP during the axe run, and the console/CSP listeners stay meaningful on the
very same page (no `bypass_csp` context is needed).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.helpers import wrong_choice

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path("/tmp/shots")
AXE_ROUTE = "/__axe__/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Phone sizes: a common 375-wide phone and the 320 CSS px of WCAG 1.4.10 (small Android phones).
VIEWPORTS: dict[str, dict[str, Any]] = {
    "375": {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
    "320": {"viewport": {"width": 320, "height": 568}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
}

# Sizes from /work/shared/design/quality-bars.md C1: standard mode / 长辈版.
BODY_TEXT_MIN = {False: 18.0, True: 24.0}
ANY_TEXT_MIN = {False: 16.0, True: 20.0}
TARGET_MIN = {False: 48.0, True: 60.0}
# Target exemptions (see MEASURE_JS):
# - a radio/checkbox inside label.option is not measured itself: the whole label is the target
#   (tapping anywhere on it picks the option), and the label is measured instead;
# - a display:inline <a> inside running text (its block has other words) only has to reach
#   24×24, because WCAG 2.5.8 exempts inline targets whose size is set by the line of text, and
#   enlarging one would break the sentence's line spacing. No page uses one at the moment: the
#   footer's 110 link and the breadcrumb links are full-size targets.
INLINE_TARGET_MIN = 24.0  # WCAG 2.5.8 floor that even exempted inline links must meet


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The live server answers from threads of its own, so every browser test commits for real."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.commits)


def _axe_js() -> Path:
    try:
        import axe_playwright_python
    except ImportError as exc:  # pragma: no cover - environment problem, reported as a failure
        pytest.fail(f"axe_playwright_python is not installed in this venv ({exc}); it ships axe.min.js", pytrace=False)
    path = Path(axe_playwright_python.__file__).resolve().parent / "axe.min.js"
    if not path.is_file():
        pytest.fail(f"axe.min.js not found at {path}", pytrace=False)
    return path


# --------------------------------------------------------------------------------------------
# Live server
# --------------------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    app: Flask

    def attempt_answers(self, attempt_id: str) -> dict[int, int]:
        """How many stored answers each position of an attempt has (the unique key says ≤ 1)."""
        from sqlalchemy import func, select

        from app.extensions import db
        from app.quiz.models import Answer

        with self.app.app_context():
            rows = db.session.execute(
                select(Answer.position, func.count()).where(Answer.attempt_id == attempt_id).group_by(Answer.position)
            ).all()
            db.session.rollback()
            return {position: count for position, count in rows}

    def attempt_score(self, attempt_id: str) -> tuple[int | None, int, bool]:
        from app.extensions import db
        from app.quiz.models import Attempt

        with self.app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            assert attempt is not None
            result = (attempt.score, attempt.question_count, attempt.finished)
            db.session.rollback()
            return result

    def slot_kinds(self, attempt_id: str) -> dict[int, tuple[str, int | None]]:
        """position -> (kind, scenario step) for every question drawn into an attempt."""
        from app.extensions import db
        from app.quiz import services

        with self.app.app_context():
            attempt = services.get_attempt(attempt_id)
            result = {slot.position: (slot.question.kind, slot.question.step) for slot in services.slots(attempt)}
            db.session.rollback()
            return result


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


@pytest.fixture()
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The `app` fixture (migrated database, shipped bank imported) served on 127.0.0.1:<free port>.
    Any unhandled server error (logged by app.errors.handlers) fails the test with its traceback."""
    errors = _Collect()
    errors.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    logging.getLogger("app").addHandler(errors)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        logging.getLogger("app").removeHandler(errors)
    assert not errors.records, "server errors:\n" + "\n".join(errors.records)


# --------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium (apt-get install chromium "
            "fonts-noto-cjk). They are never skipped.",
            pytrace=False,
        )
    _axe_js()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Tab:
    """One page plus everything it logged. `problems` collects console errors, page errors and
    CSP violations; `expected_errors` holds document URLs that are meant to answer 4xx."""

    page: Any
    server: LiveServer
    width: str
    js: bool
    problems: list[str] = field(default_factory=list)
    doc_status: dict[str, int] = field(default_factory=dict)

    # -- navigation ---------------------------------------------------------------------------
    def goto(self, path: str, status: int = 200) -> Any:
        response = self.page.goto(self.server.url + path)
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"GET {path}: expected {status}, got {response.status}"
        return response

    def click_and_wait(self, locator: Any, status: int | None = 200, double: bool = False) -> Any:
        """Click something that submits or follows a link, and wait for the new document."""
        with self.page.expect_navigation() as nav:
            if double:
                locator.dblclick()
            else:
                locator.click()
        response = nav.value
        if status is not None:
            assert response is not None and response.status == status, (
                f"{locator}: expected {status}, got {response and response.status} at {self.page.url}"
            )
        return response

    @property
    def path(self) -> str:
        return self.page.url.removeprefix(self.server.url)

    # -- console / CSP ------------------------------------------------------------------------
    def _on_console(self, message: Any) -> None:
        if message.type != "error":
            return
        text = message.text
        url = (message.location or {}).get("url", "")
        if text.startswith("Failed to load resource") and self.doc_status.get(url, 200) >= 400:
            return  # the document itself answered 4xx on purpose (error pages); Chrome logs that
        self.problems.append(f"console error on {self.page.url}: {text} @ {url}")

    def _on_response(self, response: Any) -> None:
        if response.request.resource_type == "document":
            self.doc_status[response.url] = response.status
        elif response.status >= 400:
            self.problems.append(f"sub-resource {response.url} answered {response.status}")

    def assert_clean(self) -> None:
        assert not self.problems, "console errors / page errors / CSP violations:\n" + "\n".join(self.problems)


class Browsers:
    """Makes browser contexts and pages for one test and checks them all at the end."""

    def __init__(self, browser: Any, server: LiveServer):
        self.browser = browser
        self.server = server
        self.contexts: list[Any] = []
        self.tabs: list[Tab] = []
        self._settings: dict[int, tuple[str, bool]] = {}  # id(context) -> (width, js)

    def context(self, width: str = "375", js: bool = True) -> Any:
        context = self.browser.new_context(**VIEWPORTS[width], java_script_enabled=js, locale="zh-CN")
        context.route(
            self.server.url + AXE_ROUTE,
            lambda route: route.fulfill(path=str(_axe_js()), content_type="text/javascript"),
        )
        context.set_default_timeout(10_000)
        self._settings[id(context)] = (width, js)  # remembered for tabs opened later in this context
        self.contexts.append(context)
        return context

    def tab(self, width: str = "375", js: bool = True, context: Any = None) -> Tab:
        context = context or self.context(width, js)
        width, js = self._settings[id(context)]
        page = context.new_page()
        tab = Tab(page, self.server, width, js)
        page.on("console", tab._on_console)
        page.on("pageerror", lambda error: tab.problems.append(f"page error on {page.url}: {error}"))
        page.on("response", tab._on_response)
        self.tabs.append(tab)
        return tab

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture()
def browsers(browser: Any, live_server: LiveServer) -> Iterator[Browsers]:
    made = Browsers(browser, live_server)
    try:
        yield made
    finally:
        made.close()
    for tab in made.tabs:
        tab.assert_clean()


# --------------------------------------------------------------------------------------------
# Checks run on every page state
# --------------------------------------------------------------------------------------------


def run_axe(tab: Tab, care: bool = False) -> list[dict[str, Any]]:
    """axe-core with the WCAG 2.0/2.1/2.2 A+AA tags (this turns on target-size, off by default);
    in 长辈版 also `color-contrast-enhanced` (7:1). Returns the violations."""
    page = tab.page
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=tab.server.url + AXE_ROUTE)
    options: dict[str, Any] = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    if care:
        options["rules"] = {"color-contrast-enhanced": {"enabled": True}}
    result = page.evaluate(
        """async (options) => {
            const r = await axe.run(document, options);
            const ran = [...r.violations, ...r.passes, ...r.incomplete, ...r.inapplicable].map(x => x.id);
            return {
              ran,
              version: axe.version,
              violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
              })),
            };
        }""",
        options,
    )
    # Guard against a silent mis-configuration: the rules we rely on must really have run.
    assert "target-size" in result["ran"], "axe did not run target-size: is the wcag22aa tag passed?"
    if care:
        assert "color-contrast-enhanced" in result["ran"], "axe did not run color-contrast-enhanced"
    return result["violations"]


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            summary = re.sub(r"\s+", " ", node["summary"] or "")
            lines.append(f"    {json.dumps(node['target'], ensure_ascii=False)}: {summary}")
    return "\n".join(lines)


MEASURE_JS = """
({care, width, bodyMin, anyMin, targetMin, inlineMin}) => {
  const inViewportBox = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && r.right > 0 && r.bottom + window.scrollY > 0;
  };
  const visible = (el) => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) && inViewportBox(el);
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ');
    const cls = el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return `${el.tagName.toLowerCase()}${cls} "${text.slice(0, 30)}"`;
  };
  const se = document.scrollingElement;
  const out = {
    scrollWidth: se.scrollWidth, innerWidth: window.innerWidth,
    bodyFont: parseFloat(getComputedStyle(document.body).fontSize),
    bodyLineHeight: parseFloat(getComputedStyle(document.body).lineHeight),
    bodyCare: document.body.classList.contains('care'),
    lang: document.documentElement.getAttribute('lang'),
    title: document.title,
    inlineScripts: document.querySelectorAll('script:not([src])').length,
    handlerAttrs: [], smallText: [], smallBodyText: [], smallTargets: [], inlineTargets: [], overlaps: [],
    wide: [],
  };
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) if (/^on/i.test(a.name)) out.handlerAttrs.push(`${el.tagName}[${a.name}]`);
    if (visible(el) && el.getBoundingClientRect().right > width + 0.5) out.wide.push(describe(el));
  }
  // Text: every visible text node, by its parent's computed size.
  const secondary = '.meta, .hint, .kind';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || !visible(el) || el.closest('.sr-only')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    const item = `${describe(el)} ${size}px`;
    if (size < anyMin) out.smallText.push(item);
    if (size < bodyMin && (care || !el.closest(secondary))) out.smallBodyText.push(item);
  }
  // Targets.
  const targets = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, label.option, summary')) {
    if (!visible(el)) continue;
    // A radio/checkbox inside label.option is operated through its label, which is measured instead.
    if (el.matches('input[type=radio], input[type=checkbox]') && el.closest('label.option')) continue;
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // WCAG 2.5.8 exempts targets inline in a sentence: a display:inline link whose block has other text.
    const block = el.parentElement;
    const inlineInText = el.tagName === 'A' && style.display === 'inline' && block &&
      block.textContent.replace(el.textContent, '').trim().length > 0;
    const size = `${describe(el)} ${r.width.toFixed(1)}x${r.height.toFixed(1)}`;
    if (inlineInText) {
      out.inlineTargets.push(size);
      if (r.height < inlineMin || r.width < inlineMin) out.smallTargets.push(size + ` (inline, below ${inlineMin})`);
      continue;
    }
    if (r.width < targetMin - 0.01 || r.height < targetMin - 0.01) out.smallTargets.push(size);
    targets.push([el, r]);
  }
  for (let i = 0; i < targets.length; i++) for (let j = i + 1; j < targets.length; j++) {
    const [a, ra] = targets[i], [b, rb] = targets[j];
    if (a.contains(b) || b.contains(a)) continue;
    const overlapX = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
    const overlapY = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
    if (overlapX > 0.5 && overlapY > 0.5) out.overlaps.push(`${describe(a)} / ${describe(b)}`);
  }
  return out;
}
"""


def measure(tab: Tab, care: bool) -> dict[str, Any]:
    limits = {
        "care": care,
        "width": int(tab.width),
        "bodyMin": BODY_TEXT_MIN[care],
        "anyMin": ANY_TEXT_MIN[care],
        "targetMin": TARGET_MIN[care],
        "inlineMin": INLINE_TARGET_MIN,
    }
    return tab.page.evaluate(MEASURE_JS, limits)


def check_measurements(tab: Tab, care: bool) -> dict[str, Any]:
    m = measure(tab, care)
    where = f"{tab.path} at {tab.width}px{' (长辈版)' if care else ''}"
    assert m["lang"] == "zh-CN", f"{where}: html lang is {m['lang']!r}"
    assert m["title"].strip(), f"{where}: empty <title>"
    assert m["inlineScripts"] == 0, f"{where}: {m['inlineScripts']} inline <script> elements"
    assert not m["handlerAttrs"], f"{where}: inline event handler attributes {m['handlerAttrs']}"
    assert m["bodyCare"] is care, f"{where}: body.care is {m['bodyCare']}, expected {care}"
    # Mobile emulation widens the layout viewport to fit content that is too wide (innerWidth then
    # grows with it), so both are compared with the device width, not with each other.
    width = int(tab.width)
    assert m["scrollWidth"] <= width and m["innerWidth"] == width, (
        f"{where}: horizontal scrolling, scrollWidth {m['scrollWidth']} and innerWidth {m['innerWidth']} "
        f"for a {width} px screen; too wide: {m['wide'][:8]}"
    )
    assert m["bodyFont"] >= BODY_TEXT_MIN[care], f"{where}: body font-size {m['bodyFont']}px"
    assert m["bodyLineHeight"] >= 1.5 * m["bodyFont"] - 0.01, f"{where}: body line-height {m['bodyLineHeight']}px"
    assert not m["smallBodyText"], f"{where}: body text below {BODY_TEXT_MIN[care]}px: {m['smallBodyText'][:10]}"
    assert not m["smallText"], f"{where}: visible text below {ANY_TEXT_MIN[care]}px: {m['smallText'][:10]}"
    assert not m["smallTargets"], f"{where}: targets below {TARGET_MIN[care]}x{TARGET_MIN[care]}px: {m['smallTargets']}"
    assert not m["overlaps"], f"{where}: overlapping targets: {m['overlaps']}"
    return m


def audit_once(tab: Tab, name: str, care: bool) -> dict[str, Any]:
    tab.page.wait_for_load_state("load")
    SHOTS.mkdir(parents=True, exist_ok=True)
    measured = check_measurements(tab, care)  # before axe: it also counts inline <script>s
    violations = run_axe(tab, care)
    tab.page.screenshot(
        path=str(SHOTS / f"{name}-{tab.width}{'-care' if care else ''}.png"), full_page=True, scale="css"
    )
    assert not violations, (
        f"axe found {len(violations)} violation(s) on {tab.path} at {tab.width}px"
        f"{' (长辈版, with color-contrast-enhanced)' if care else ''}:\n{format_violations(violations)}"
    )
    tab.assert_clean()
    return measured


@pytest.fixture()
def audit() -> Callable[..., None]:
    """audit(tab, name, care=False): page-level checks, axe, measurements and a screenshot, done
    at 375 px and again at 320 px wide on the same document (the viewport is resized in place,
    so each state is reached once; the page's mobile emulation and scale factor stay as they are)."""

    def run(tab: Tab, name: str, care: bool = False, widths: tuple[str, ...] = ("375", "320")) -> None:
        start = tab.width
        try:
            for width in widths:
                if width != tab.width:
                    tab.page.set_viewport_size(VIEWPORTS[width]["viewport"])
                    tab.width = width
                audit_once(tab, name, care)
        finally:
            if tab.width != start:
                tab.page.set_viewport_size(VIEWPORTS[start]["viewport"])
                tab.width = start

    return run


# --------------------------------------------------------------------------------------------
# Playing a quiz in the browser
# --------------------------------------------------------------------------------------------

ATTEMPT_URL = re.compile(r"/a/([^/]+)/(\d+)$")
PREFERRED_QUIZZES = ("elder-listen", "staff-training", "student-basics")


def attempt_of(tab: Tab) -> tuple[str, int]:
    match = ATTEMPT_URL.search(tab.path)
    assert match, f"not on a question page: {tab.path}"
    return match.group(1), int(match.group(2))


def start_quiz(tab: Tab, quiz_id: str, nickname: str = "小明") -> str:
    """From the start page to question 1; returns the attempt id."""
    tab.goto(f"/play/{quiz_id}")
    tab.page.fill("#nickname", nickname)
    tab.click_and_wait(tab.page.get_by_role("button", name="开始答题"))
    attempt_id, n = attempt_of(tab)
    assert n == 1
    return attempt_id


def option_labels(tab: Tab) -> list[str]:
    return tab.page.locator("input[name=choices]").evaluate_all("els => els.map(e => e.value)")


def question_kind(tab: Tab) -> str:
    kind = tab.page.locator("legend .kind").inner_text().strip()
    return {"单选题": "single", "多选题": "multiple", "判断题": "judge"}[kind]


def right_labels(tab: Tab) -> list[str]:
    from tests.helpers import correct_labels_via_db

    attempt_id, n = attempt_of(tab)
    return correct_labels_via_db(tab.server.app, attempt_id, n)


def wrong_labels(tab: Tab) -> list[str]:
    right = right_labels(tab)
    return wrong_choice(option_labels(tab), right)


def pick(tab: Tab, labels: list[str]) -> None:
    """Tap the option labels (the big targets people use), not the tiny inputs."""
    for label in labels:
        tab.page.locator("label.option", has=tab.page.locator(f"input[value='{label}']")).click()


def submit_answer(tab: Tab, labels: list[str], double: bool = False, status: int = 200) -> Any:
    pick(tab, labels)
    return tab.click_and_wait(tab.page.get_by_role("button", name="提交答案"), status=status, double=double)


def next_question(tab: Tab) -> bool:
    """On a feedback page: follow 下一题/下一步. False when the next step is 交卷."""
    link = tab.page.locator(".next a.btn-primary")
    if link.count() == 0:
        return False
    tab.click_and_wait(link)
    return True


def finish(tab: Tab) -> Any:
    return tab.click_and_wait(tab.page.get_by_role("button", name="交卷，查看成绩"))


def toggle_care(tab: Tab) -> None:
    tab.click_and_wait(tab.page.locator("form.care-switch button"))
