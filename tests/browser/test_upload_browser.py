"""The own-quizzes page in a phone-sized Chromium: empty, with a refused file, and after an upload,
in standard mode and 长辈版 — axe clean, text and targets large enough, no CSP or console errors."""

from __future__ import annotations

import pytest

from app.bank.xlsx_format import template_bank, write_xlsx
from tests.dashboard.test_upload import make_school
from tests.helpers import count_rows

pytestmark = pytest.mark.browser


def _signed_in(browsers, app, user):
    """A browser context carrying the session of `user` (the sign-in page is another screen's job)."""
    context = browsers.context("375")
    cookie = app.session_interface.get_signing_serializer(app).dumps({"uid": user.id, "uv": user.session_version})
    context.add_cookies([{"name": "fzkt", "value": cookie, "url": browsers.server.url}])
    return context


def test_upload_page_in_a_phone_browser(browsers, live_server, audit, tmp_path):
    from app.bank.models import Question

    app = live_server.app
    school = make_school(app)
    tab = browsers.tab(context=_signed_in(browsers, app, school["teacher"]))
    url = f"/manage/organisations/{school['org_id']}/quizzes"
    tab.goto(url)
    assert "还没有上传过测验" in tab.page.content()
    audit(tab, "upload-empty")

    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"not a spreadsheet")
    tab.page.set_input_files("#file", str(bad))
    tab.click_and_wait(tab.page.get_by_role("button", name="上传并生成测验"), status=422)
    assert "不支持“.docx”文件" in tab.page.locator(".upload-problems").inner_text()
    audit(tab, "upload-refused")

    good = write_xlsx(type(template_bank())(template_bank().questions, ()), tmp_path / "本周案例.xlsx")
    tab.page.fill("#title", "本周本地案例")
    tab.page.set_input_files("#file", str(good))
    tab.click_and_wait(tab.page.get_by_role("button", name="上传并生成测验"))
    assert tab.path == url
    assert "新增 1 道题" in tab.page.locator(".upload-notice").inner_text()
    assert count_rows(app, Question, Question.organisation_id == school["org_id"]) == 1
    audit(tab, "upload-done")

    tab.click_and_wait(tab.page.locator("form.care-switch button"))
    audit(tab, "upload-done", care=True)
