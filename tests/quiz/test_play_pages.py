"""Playing a quiz through the pages, with plain forms (no JavaScript), as a phone would."""

from __future__ import annotations

import re

from tests.helpers import correct_labels_via_db, csrf_token, make_group, option_labels, start_page_attempt, wrong_choice


def _attempt_id(url: str) -> str:
    return url.split("/")[2]


def test_whole_quiz_with_plain_forms(app, client):
    url = start_page_attempt(client, "elder-listen", "王阿姨")
    attempt_id = _attempt_id(url)
    page = client.get(url)
    total = int(re.search(r"共 (\d+) 题", page.text).group(1))
    wrong_n = None
    for n in range(1, total + 1):
        page = client.get(f"/a/{attempt_id}/{n}")
        assert page.status_code == 200
        labels = option_labels(page.text)
        right = correct_labels_via_db(app, attempt_id, n)
        pick = right if n != 1 else wrong_choice(labels, right)
        if n == 1:
            wrong_n = n
        posted = client.post(f"/a/{attempt_id}/{n}", data={"csrf_token": csrf_token(page.text), "choices": pick})
        assert posted.status_code == 303
        feedback = client.get(posted.headers["Location"])
        assert ("回答正确" if n != 1 else "回答错误") in feedback.text
        assert "记住这条规则" in feedback.text and "遇到时这样做" in feedback.text
    finish_page = client.get(f"/a/{attempt_id}/{total}")
    done = client.post(f"/a/{attempt_id}/finish", data={"csrf_token": csrf_token(finish_page.text)})
    assert done.status_code == 303
    result = client.get(done.headers["Location"])
    assert f"答对 <strong>{total - 1}</strong> 题，共 {total} 题" in result.text
    assert f"第 {wrong_n} 题" in result.text  # the wrong answer is reviewed with its explanation
    assert "再来一次" in result.text


def test_refresh_back_and_double_submit_never_double_count(app, client):
    url = start_page_attempt(client, "elder-listen")
    attempt_id = _attempt_id(url)
    page = client.get(url)
    token = csrf_token(page.text)
    right = correct_labels_via_db(app, attempt_id, 1)
    wrong = wrong_choice(option_labels(page.text), right)
    assert client.post(url, data={"csrf_token": token, "choices": right}).status_code == 303
    # The same form sent again (double tap, or Back then submit) is refused with the feedback shown.
    again = client.post(url, data={"csrf_token": token, "choices": wrong})
    assert again.status_code == 409
    assert "这道题已经答过了，按第一次的选择计分" in again.text and "回答正确" in again.text
    # Refreshing the question URL shows the feedback, not a fresh question.
    refreshed = client.get(url)
    assert "回答正确" in refreshed.text and 'name="choices"' not in refreshed.text
    from app.quiz.models import Answer
    from tests.helpers import count_rows

    assert count_rows(app, Answer, Answer.attempt_id == attempt_id) == 1


def test_question_page_holds_no_answer_key(app, client):
    url = start_page_attempt(client, "staff-training")
    attempt_id = _attempt_id(url)
    page = client.get(url)
    with app.app_context():
        from app.quiz import services

        question = services.question_of(services.slot_of(attempt_id, 1).slot)
        body = question.body
    assert body["explanation"] not in page.text
    assert body["action"] not in page.text
    assert "correct" not in page.text.lower()
    options = re.findall(r'<label class="option">.*?</label>', page.text, re.S)
    assert options and not any("data-" in o for o in options)  # no hidden attributes on options
    import html
    import json

    from app.tts.text import clips_for

    spoken = clips_for(body, question.kind)["explanation"]
    segments = [seg for raw in re.findall(r"data-segments='([^']*)'", page.text) for seg in json.loads(html.unescape(raw))]
    assert segments and all(seg["text"] != spoken for seg in segments)  # not even in the audio


def test_empty_choice_shows_a_message_and_keeps_the_question(client):
    url = start_page_attempt(client, "elder-listen")
    page = client.get(url)
    response = client.post(url, data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 422
    assert "请先选择一个答案再提交" in response.text
    assert 'name="choices"' in response.text


def test_post_without_csrf_gets_a_friendly_400_and_records_nothing(app, client):
    url = start_page_attempt(client, "elder-listen")
    response = client.post(url, data={"choices": ["A"]})
    assert response.status_code == 400
    assert "页面已过期或来源不对" in response.text and "Traceback" not in response.text
    assert client.get(url).status_code == 200 and 'name="choices"' in client.get(url).text


def test_someone_elses_attempt_is_403(app, client):
    url = start_page_attempt(client, "elder-listen")
    stranger = app.test_client()
    response = stranger.get(url)
    assert response.status_code == 403
    assert "这不是你的答题记录" in response.text


def test_bad_nicknames_get_clear_messages(client):
    page = client.get("/play/elder-listen")
    token = csrf_token(page.text)
    for nickname, words in [("", "请填写一个昵称"), ("<i></i>", "不能只有网页代码"), ("一" * 21, "最多 20 个字")]:
        response = client.post("/play/elder-listen", data={"csrf_token": token, "nickname": nickname})
        assert response.status_code == 422
        assert words in response.text
        assert 'aria-invalid="true"' in response.text


def test_unknown_quiz_and_question_numbers_are_404_pages(client):
    assert "没有找到这个测验" in client.get("/play/no-such-quiz").text
    url = start_page_attempt(client, "elder-listen")
    attempt_id = _attempt_id(url)
    for n in (0, 99):
        response = client.get(f"/a/{attempt_id}/{n}")
        assert response.status_code == 404
    assert client.get("/a/does-not-exist/1").status_code == 404


def test_try_again_draws_a_fresh_set(app, client):
    url = start_page_attempt(client, "elder-listen", "李大爷")
    first = _attempt_id(url)
    page = client.get(f"/a/{first}/1")
    done = client.post(f"/a/{first}/finish", data={"csrf_token": csrf_token(page.text)})
    result = client.get(done.headers["Location"])
    assert "再来一次" in result.text
    again = client.post("/play/elder-listen", data={"csrf_token": csrf_token(result.text), "nickname": "李大爷"})
    assert again.status_code == 303
    second = _attempt_id(again.headers["Location"])
    assert second != first
    with app.app_context():
        from app.quiz import services

        ids = [{s.question.item_id for s in services.slots(services.get_attempt(a))} for a in (first, second)]
    assert not ids[0] & ids[1]


def test_later_scenario_step_waits_for_the_earlier_one(app, client):
    for _ in range(10):
        url = start_page_attempt(client, "staff-training")
        attempt_id = _attempt_id(url)
        with app.app_context():
            from app.quiz import services

            slots = services.slots(services.get_attempt(attempt_id))
            later = next((s.position for s in slots if (s.question.step or 1) > 1), None)
        if later:
            response = client.get(f"/a/{attempt_id}/{later}")
            assert response.status_code == 303
            assert response.headers["Location"].endswith(f"/a/{attempt_id}/1")
            return
    raise AssertionError("staff-training never drew a scenario")


def test_join_code_on_the_start_form_is_checked(app, client):
    page = client.get("/play/elder-listen")
    bad = client.post("/play/elder-listen", data={"csrf_token": csrf_token(page.text), "nickname": "小红", "join_code": "<x>"})
    assert bad.status_code == 422 and "班级码由 4 到 12 位字母或数字组成" in bad.text
    unknown = client.post("/play/elder-listen", data={"csrf_token": csrf_token(page.text), "nickname": "小红", "join_code": "XYZ-XYZ"})
    assert unknown.status_code == 422 and "没有找到班级码 XYZXYZ" in unknown.text
    code = make_group(app, kind="community", name="幸福里一组")["join_code"]
    typed = f" {code[:3].lower()}-{code[3:]} "
    good = client.post("/play/elder-listen", data={"csrf_token": csrf_token(page.text), "nickname": "小红", "join_code": typed})
    assert good.status_code == 303


def test_null_bytes_and_odd_ids_in_urls_are_404_not_500(client):
    for path in ("/play/%00", "/a/%00/1", "/a/abc%00/1", "/track/%00", "/play/" + "x" * 500):
        assert client.get(path).status_code == 404, path


def test_a_quiz_left_open_for_hours_continues(app, client, monkeypatch):
    import time

    url = start_page_attempt(client, "elder-listen")
    page = client.get(url)
    token = csrf_token(page.text)
    later = time.time() + 9 * 3600  # lunch, a nap and an afternoon later
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(url, data={"csrf_token": token, "choices": option_labels(page.text)[:1]})
    assert response.status_code == 303
    assert "回答" in client.get(url).text
