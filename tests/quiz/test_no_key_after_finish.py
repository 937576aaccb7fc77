"""No shortcut to the answer key: finishing an attempt early shows the key and the explanation of
the questions answered, and of no other; a scenario step that was never unlocked stays hidden."""

from __future__ import annotations

import html
import re

from tests.helpers import (
    bearer,
    correct_labels_via_db,
    csrf_token,
    option_labels,
    start_api_attempt,
    start_page_attempt,
    wrong_choice,
)


def _attempt_id(url: str) -> str:
    return url.split("/")[2]


def _questions(app, attempt_id):
    """(position, bank version) of every question of the attempt, in order."""
    from app.quiz import services

    with app.app_context():
        attempt = services.get_attempt(attempt_id)
        return [(slot.position, services.question_of(slot)) for slot in services.slots(attempt)]


def _finish(client, attempt_id):
    page = client.get(f"/a/{attempt_id}/1")
    done = client.post(f"/a/{attempt_id}/finish", data={"csrf_token": csrf_token(page.text)})
    assert done.status_code == 303
    result = client.get(done.headers["Location"])
    assert result.status_code == 200
    return html.unescape(result.text)


def _key_texts(question):
    """What would give a question's answer away: its explanation, its action and its right options."""
    right = [o["text"] for o in question.body["options"] if o["key"] in question.answers]
    return [question.body["explanation"], question.body["action"], *(f". {text}" for text in right)]


def test_a_second_browser_that_starts_and_finishes_at_once_learns_no_key(app):
    probe = app.test_client()  # not the browser whose attempt will count
    attempt_id = _attempt_id(start_page_attempt(probe, "student-basics", "探子"))
    result = _finish(probe, attempt_id)
    questions = _questions(app, attempt_id)
    assert "答对 <strong>0</strong> 题" in result
    assert result.count("未作答") == len(questions)
    assert "正确答案" not in result
    for n, question in questions:
        for text in _key_texts(question):
            assert text not in result, (n, text)
        if (question.step or 1) > 1:  # a later step was never unlocked: not even its prompt
            assert f"第 {n} 题：{question.body['prompt']}" not in result
            assert f"第 {n} 题：情景题的下一步（前一步没有作答）" in result
        else:
            assert f"第 {n} 题：{question.body['prompt']}" in result


def test_answered_questions_keep_their_review_and_unanswered_ones_stay_closed(app, client):
    url = start_page_attempt(client, "student-basics")
    attempt_id = _attempt_id(url)
    questions = _questions(app, attempt_id)
    first_step = next(n for n, q in questions if q.step == 1)
    page = client.get(f"/a/{attempt_id}/{first_step}")
    right = correct_labels_via_db(app, attempt_id, first_step)
    wrong = wrong_choice(option_labels(page.text), right)
    answered = client.post(f"/a/{attempt_id}/{first_step}", data={"csrf_token": csrf_token(page.text), "choices": wrong})
    assert answered.status_code == 303
    result = _finish(client, attempt_id)
    by_n = dict(questions)
    blocks = {int(n): block for n, block in re.findall(r'<li class="card[^"]*">\s*<h3>第 (\d+) 题：(.*?)</li>', result, re.S)}
    assert set(blocks) == set(by_n)  # every question answered wrongly or not at all is listed
    # The wrong answer is reviewed with its key and explanation; it is the only one with a key.
    assert "正确答案" in blocks[first_step] and by_n[first_step].body["explanation"] in blocks[first_step]
    assert result.count("正确答案") == 1
    # Its next step was unlocked (its prompt may show) but unanswered: no key.
    unlocked = by_n[first_step + 1]
    assert blocks[first_step + 1].startswith(unlocked.body["prompt"])
    for n, question in questions:
        if n == first_step:
            continue
        assert "未作答" in blocks[n]
        for text in _key_texts(question):
            assert text not in blocks[n], (n, text)
        assert question.body["explanation"] not in result


def test_the_api_keeps_locked_steps_locked_after_an_early_finish(app, client):
    body = start_api_attempt(client, "student-basics")
    aid, auth = body["attempt_id"], bearer(body["token"])
    assert client.post(f"/api/v1/attempts/{aid}/finish", headers=auth).json["score"] == 0
    for n, question in _questions(app, aid):
        fetched = client.get(f"/api/v1/attempts/{aid}/questions/{n}", headers=auth)
        if (question.step or 1) > 1:
            assert fetched.status_code == 409 and fetched.json["error"]["code"] == "step_locked"
        else:
            assert fetched.status_code == 200
            assert question.body["explanation"] not in fetched.text
        late = client.post(f"/api/v1/attempts/{aid}/questions/{n}/answer", headers=auth, json={"choices": ["A"]})
        assert late.status_code == 409 and "explanation" not in late.json
