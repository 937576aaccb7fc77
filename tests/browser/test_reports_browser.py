"""The report pages in a phone-sized Chromium (375 and 320 px) with axe: 0 violations, text ≥ 18 px,
targets ≥ 48 px, no horizontal scrolling, no CSP or console errors. Anonymous visits go to the
sign-in page, then a session cookie."""

from __future__ import annotations

import pytest

# The live server, Chromium and axe fixtures of tests/browser, used here as well.
from tests.browser.conftest import toggle_care
from tests.factories import UserFactory
from tests.helpers import make_group
from tests.reports.builders import add_rows, at, play, set_teacher, update

pytestmark = pytest.mark.browser


def _sign_in(tab, path: str, user) -> None:
    """Anonymous first (sent to the sign-in page), then signed in with a session cookie made by the
    app's own session serializer (hashing a password in a live server is slow on a busy machine)."""
    tab.goto(path)
    assert tab.path.startswith("/staff/login")
    app = tab.server.app
    cookie = app.session_interface.get_signing_serializer(app).dumps({"uid": user.id, "uv": user.session_version})
    tab.page.context.add_cookies([{"name": app.session_interface.get_cookie_name(app), "value": cookie,
                                   "url": tab.server.url}])
    tab.goto(path)
    assert tab.path == path


def test_group_report_passes_axe_on_a_phone(app, client, browsers, audit):
    from app.records.models import Certificate

    made = make_group(app, name="初一（3）班", size=45)
    code, quiz = made["join_code"], made["quiz_id"]
    best = play(app, client, code, quiz, "小明", right=14)
    play(app, client, code, quiz, "小红", right=8)
    play(app, client, code, quiz, "一个名字很长很长的同学", right=3)
    play(app, client, code, quiz, "小强", right=2, answer=4, finish=False)
    add_rows(app, Certificate(code="K7M2Q9XA", attempt_id=best.attempt_id, holder="小明", unit="城关中学 初一（3）班",
                              quiz_title="学生·反诈主题班会", score=14, total=15, issued_at=at("2024-03-01 02:30")))
    update(app, "Group", made["group_id"], pledges=2, families=1)
    teacher = UserFactory(role="teacher")
    set_teacher(app, made["group_id"], teacher)

    tab = browsers.tab("375")
    path = f"/reports/groups/{made['group_id']}"
    _sign_in(tab, path, teacher)
    assert tab.page.locator(".bar-row").count() >= 5
    assert "本班最薄弱：" in tab.page.locator(".weakest").inner_text()
    audit(tab, "report-group")

    tab.page.locator("summary", has_text="查看数据表").first.click()
    assert tab.page.locator("details[open] table").first.is_visible()
    assert tab.page.locator("table.items").first.locator("tbody tr").count() == 10
    tab.page.locator("summary", has_text="显示其余").click()
    assert tab.page.locator("details.more-items[open] table.items").is_visible()
    audit(tab, "report-group-table", widths=("375",))

    tab.click_and_wait(tab.page.get_by_role("link", name="投影模式（大字）"))
    audit(tab, "report-group-projector", widths=("375",))

    tab.goto(f"{path}/print")
    audit(tab, "report-print", widths=("375",))
    tab.page.emulate_media(media="print")
    assert not tab.page.locator("header.site").is_visible(), "navigation must not print"
    assert not tab.page.get_by_role("link", name="返回数据报告").is_visible(), "links/buttons must not print"
    tab.page.emulate_media(media="screen")

    tab.goto(f"{path}/certificates")
    audit(tab, "report-certificates", widths=("375",))

    tab.goto(f"/reports/organisations/{made['org_id']}")
    audit(tab, "report-organisation")

    # 长辈版 works here too (a volunteer at a community centre may have it on): 24 px text, 60 px targets.
    tab.goto(path)
    toggle_care(tab)
    audit(tab, "report-group", care=True, widths=("375",))


def test_roster_report_passes_axe_on_a_phone(app, browsers, audit):
    from app.groups.models import RosterEntry

    made = make_group(app, name="内科一病区", size=3, kind="hospital", org_name="县人民医院")
    update(app, "Group", made["group_id"], roster_required=True)
    add_rows(app, RosterEntry(group_id=made["group_id"], name="王丽", staff_no="H001", department="内科"),
             RosterEntry(group_id=made["group_id"], name="李强", staff_no="H002", department="内科"))
    organiser = UserFactory(role="organiser", organisation_id=made["org_id"])
    tab = browsers.tab("375")
    path = f"/reports/groups/{made['group_id']}"
    _sign_in(tab, path, organiser)
    assert "王丽" in tab.page.locator("table.pending").inner_text()
    audit(tab, "report-roster")
