"""Completion certificates: issued once to the attempt's own browser after a pass, printable,
and checked by anyone on the public verification page."""

from __future__ import annotations

import re

from app.groups.codes import ALPHABET
from app.records.models import Certificate
from tests.helpers import count_rows, make_group
from tests.records.builders import failed, finished, row, token

CODE_URL = re.compile(rf"/certificates/([{ALPHABET}]{{10}})$")


def _issue(client, attempt_id):
    return client.post(f"/a/{attempt_id}/certificate", data={"csrf_token": token(client)})


def test_passed_attempt_gets_one_certificate_however_often_it_asks(app, client):
    group = make_group(app)
    attempt_id, result = finished(app, client, "student-basics", "小红", group["join_code"])
    assert "领取证书" in result and "查看证书" not in result

    first = _issue(client, attempt_id)
    assert first.status_code == 303
    code = CODE_URL.search(first.headers["Location"]).group(1)
    again = _issue(client, attempt_id)  # a double tap, or Back and the button again
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert count_rows(app, Certificate, Certificate.attempt_id == attempt_id) == 1

    cert = row(app, Certificate, Certificate.code == code)
    assert (cert.holder, cert.unit, cert.quiz_title) == ("小红", "城关中学 初一（3）班", "学生·反诈主题班会")
    assert cert.score == cert.total > 0

    page = client.get(f"/certificates/{code}")
    assert page.status_code == 200
    for text in ("小红", "城关中学 初一（3）班", "《学生·反诈主题班会》", f"答对 {cert.score} 题（共 {cert.total} 题）",
                 f"{code[:5]}-{code[5:]}", f"http://localhost/v/{code}", "年", 'class="qr" role="img"'):
        assert text in page.text, text
    assert "css/records.css" in page.text
    assert "查看证书" in client.get(f"/a/{attempt_id}/result").text


def test_only_the_browser_that_played_may_issue_it(app, client):
    attempt_id, _ = finished(app, client, "elder-listen", "王阿姨")
    stranger = app.test_client()
    response = stranger.post(f"/a/{attempt_id}/certificate", data={"csrf_token": token(stranger)})
    assert response.status_code == 403
    assert "这不是你的答题记录" in response.text
    assert count_rows(app, Certificate) == 0
    assert stranger.post("/a/nope/certificate", data={"csrf_token": token(stranger)}).status_code == 404


def test_a_failed_attempt_gets_no_certificate_and_is_told_why(app, client):
    attempt_id, result = failed(app, client, "elder-listen", nickname="李叔叔")
    assert "领取证书" not in result
    assert "证书要及格" in result and "再来一次" in result
    response = _issue(client, attempt_id)
    assert response.status_code == 422
    assert "还不能领取证书" in response.text and "再来一次" in response.text and "及格线" in response.text
    assert count_rows(app, Certificate) == 0


def test_a_confirmed_staff_member_is_named_from_the_roster(app, db):
    from app.groups.models import Group, RosterEntry
    from app.quiz import services
    from app.records import certificates

    group = make_group(app, "内科一病区", 30, kind="hospital", org_name="县人民医院")
    found = db.session.get(Group, group["group_id"])
    found.roster_required = True
    db.session.add(RosterEntry(group_id=found.id, name="张丽", staff_no="H0012", department="内科"))
    db.session.commit()
    participant, _ = services.new_participant()
    attempt = services.start_with_code(group["quiz_id"], "小张", participant, group["join_code"], "H0012", "张丽").attempt
    for slot in services.slots(attempt):
        services.record_answer(attempt, slot, services.to_labels(slot, services.question_of(slot).answers), True)
    services.finish(attempt)
    cert = certificates.issue(services.get_attempt(attempt.id))
    assert (cert.holder, cert.unit) == ("张丽", "县人民医院 内科一病区")


def test_the_public_page_confirms_a_certificate_and_404s_an_unknown_code(app, client):
    attempt_id, _ = finished(app, client, "elder-listen", "王阿姨")
    code = CODE_URL.search(_issue(client, attempt_id).headers["Location"]).group(1)
    cert = row(app, Certificate, Certificate.code == code)

    anyone = app.test_client()  # no session: the page is public
    for typed in (code, code.lower(), f"{code[:5]}-{code[5:]}"):
        page = anyone.get(f"/v/{typed}")
        assert page.status_code == 200, typed
        assert "证书有效" in page.text and "✔" in page.text
        assert "王阿姨" in page.text and cert.quiz_title in page.text
        assert f"答对 {cert.score} 题，共 {cert.total} 题" in page.text and "年" in page.text

    for bad in ("ACDEFGHJKM", "ACDEF", "%3Cscript%3E", "0" * 300):
        missing = anyone.get(f"/v/{bad}")
        assert missing.status_code == 404, bad
        assert "没有找到这个证书编号" in missing.text
        assert anyone.get(f"/certificates/{bad}").status_code == 404


def test_the_certificate_prints_on_one_a4_page_without_buttons():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "records.css").read_text(encoding="utf-8")
    assert "@page { size: A4 portrait" in css
    print_rules = css[css.index("@media print"):]
    assert ".btn" in print_rules and ".no-print" in print_rules and "display: none" in print_rules
