"""Certificate, pledge and family pages in a real Chromium at phone sizes: axe, sizes, CSP; the
certificate prints on one A4 page without buttons; a signature drawn with the mouse is stored."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import finish, next_question, right_labels, submit_answer, toggle_care
from tests.helpers import make_group

pytestmark = pytest.mark.browser


def _play_to_result(tab, quiz_id: str, nickname: str, join_code: str = "") -> str:
    tab.goto(f"/play/{quiz_id}")
    tab.page.fill("#nickname", nickname)
    if join_code:
        tab.page.fill("#join_code", join_code)
    tab.click_and_wait(tab.page.get_by_role("button", name="开始答题"))
    attempt_id = tab.path.split("/")[2]
    submit_answer(tab, right_labels(tab))
    while next_question(tab):
        submit_answer(tab, right_labels(tab))
    finish(tab)
    assert tab.path == f"/a/{attempt_id}/result"
    return attempt_id


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_certificate_pledge_and_family_pages(browsers, audit, live_server):
    from app.records.models import Pledge
    from tests.records.builders import group_counters, row

    group = make_group(live_server.app)
    tab = browsers.tab("375")
    attempt_id = _play_to_result(tab, "student-basics", "小红", group["join_code"])
    assert tab.page.get_by_role("heading", name="接下来可以做").is_visible()
    audit(tab, "result-what-next")

    # Certificate: issued from the result page, printable on one A4 page, checked publicly.
    tab.click_and_wait(tab.page.get_by_role("button", name="领取证书"))
    code = tab.path.removeprefix("/certificates/")
    assert re.fullmatch(r"[34679ACDEFGHJKMNPQRTUVWXY]{10}", code)
    assert tab.page.locator(".cert-holder").inner_text() == "小红"
    assert tab.page.locator("svg.qr").is_visible()
    audit(tab, "certificate")
    tab.page.emulate_media(media="print")
    assert not tab.page.locator(".btn").first.is_visible() and not tab.page.locator("header.site").is_visible()
    assert tab.page.locator(".certificate").is_visible()
    assert _pdf_pages(tab.page.pdf(format="A4", print_background=True)) == 1
    tab.page.emulate_media(media="null")

    tab.click_and_wait(tab.page.get_by_role("link", name="打开验证页"))
    assert tab.page.get_by_role("heading", name=re.compile("证书有效")).is_visible()
    audit(tab, "certificate-verify")
    tab.goto("/v/ACDEFGHJKM", status=404)
    assert "没有找到这个证书编号" in tab.page.inner_text("main")
    audit(tab, "certificate-unknown")

    # Pledge: draw a signature with the mouse and submit it.
    tab.goto(f"/a/{attempt_id}/pledge")
    pad = tab.page.locator("[data-signature-pad]")
    assert pad.is_visible()  # shown by signature.js
    audit(tab, "pledge")
    canvas = tab.page.locator("canvas.sig-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    mouse = tab.page.mouse
    mouse.move(box["x"] + 20, box["y"] + 20)
    mouse.down()
    for step in range(1, 11):
        mouse.move(box["x"] + 20 + step * 20, box["y"] + 20 + step * 5)
    mouse.up()
    drawn = tab.page.input_value("#signature")
    assert re.fullmatch(r"M \d+ \d+( L \d+ \d+)+", drawn), drawn
    assert "清除重写" in tab.page.locator("[data-signature-status]").inner_text() or "已写好" in tab.page.locator(
        "[data-signature-status]").inner_text()
    tab.click_and_wait(tab.page.get_by_role("button", name="我承诺，签名确认"))
    assert tab.path == f"/a/{attempt_id}/pledge"
    assert tab.page.locator("svg.signature path").get_attribute("d") == drawn
    audit(tab, "pledge-signed")
    assert row(live_server.app, Pledge, Pledge.attempt_id == attempt_id).signature_svg_path == drawn
    assert group_counters(live_server.app, group["group_id"]) == (0, 1)

    # Family link: made from the result page, shown to the pupil with its QR.
    tab.goto(f"/a/{attempt_id}/result")
    tab.click_and_wait(tab.page.get_by_role("button", name="生成家庭链接"))
    link_path = tab.path
    assert tab.page.get_by_role("heading", name="你的家庭链接").is_visible()
    assert tab.page.locator("svg.qr").is_visible()
    audit(tab, "family-owner")

    # Grandma opens the link on her own phone, in 长辈版, plays, hears and signs the pledge.
    grandma = browsers.tab("375")
    grandma.goto(link_path)
    assert grandma.page.get_by_role("heading", name="欢迎您！").is_visible()
    audit(grandma, "family-welcome")
    toggle_care(grandma)
    assert grandma.path == link_path
    audit(grandma, "family-welcome", care=True)
    grandma.page.fill("#nickname", "张奶奶")
    grandma.click_and_wait(grandma.page.get_by_role("button", name="开始答题"))
    family_attempt = grandma.path.split("/")[2]
    submit_answer(grandma, right_labels(grandma))
    while next_question(grandma):
        submit_answer(grandma, right_labels(grandma))
    finish(grandma)
    assert group_counters(live_server.app, group["group_id"]) == (1, 1)
    grandma.click_and_wait(grandma.page.get_by_role("link", name="签承诺书"))
    assert grandma.page.get_by_role("button", name=re.compile("听承诺书")).is_visible()
    audit(grandma, "pledge", care=True)
    grandma.page.fill("#signer", "张桂兰")
    grandma.click_and_wait(grandma.page.get_by_role("button", name="我承诺，签名确认"))
    assert grandma.page.locator(".pledge-signer").inner_text() == "签名：张桂兰"
    pledge = row(live_server.app, Pledge, Pledge.attempt_id == family_attempt)
    assert pledge.group_id is None and pledge.family_link_id is not None
    assert group_counters(live_server.app, group["group_id"]) == (1, 1)


def test_the_typed_pledge_works_without_javascript(browsers, live_server):
    from app.records.models import Pledge
    from tests.records.builders import row

    tab = browsers.tab("375", js=False)
    attempt_id = _play_to_result(tab, "elder-listen", "王阿姨")
    tab.click_and_wait(tab.page.get_by_role("link", name="签承诺书"))
    assert not tab.page.locator("[data-signature-pad]").is_visible()  # no script: only the typed name
    tab.page.fill("#signer", "王秀英")
    tab.click_and_wait(tab.page.get_by_role("button", name="我承诺，签名确认"))
    assert row(live_server.app, Pledge, Pledge.attempt_id == attempt_id).signer == "王秀英"
