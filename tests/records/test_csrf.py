"""Every POST of the records pages refuses a missing or wrong CSRF token and writes nothing."""

from __future__ import annotations

from app.quiz.models import Attempt
from app.records.models import Certificate, FamilyLink, Pledge
from tests.helpers import count_rows, make_group
from tests.records.builders import finished, token

EXPECTED = {
    "records.issue_certificate",
    "records.sign_pledge",
    "records.create_family_link",
    "records.family_page",
}


def test_every_records_post_needs_a_csrf_token(app, client):
    posts = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("records.") and "POST" in (rule.methods or set())}
    assert set(posts) == EXPECTED  # a new POST route must be added here (and so checked)

    group = make_group(app)
    attempt_id, _ = finished(app, client, "student-basics", "小红", group["join_code"])
    owner = app.test_client()
    owner_attempt, _ = finished(app, owner, "student-basics", "小刚", group["join_code"])
    link = owner.post(f"/a/{owner_attempt}/family", data={"csrf_token": token(owner)}).headers["Location"]
    attempts = count_rows(app, Attempt)

    urls = [f"/a/{attempt_id}/certificate", f"/a/{attempt_id}/pledge", f"/a/{attempt_id}/family", link]
    assert {path.rsplit("/", 1)[-1] for path in urls[:3]} == {"certificate", "pledge", "family"}
    form = {"signer": "小红", "signature": "M 1 1 L 2 2", "nickname": "张奶奶"}
    for url in urls:
        for extra in ({}, {"csrf_token": "forged"}):
            response = client.post(url, data=form | extra)
            assert response.status_code == 400, url
            assert "页面已过期或来源不对" in response.text
    assert count_rows(app, Certificate) == 0 and count_rows(app, Pledge) == 0
    assert count_rows(app, FamilyLink) == 1 and count_rows(app, Attempt) == attempts
