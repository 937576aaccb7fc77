"""Playing a quiz through the pages, with plain forms (no JavaScript), as a phone would."""

from __future__ import annotations

import re

from tests.helpers import correct_labels_via_db, csrf_token, option_labels, start_page_attempt


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
        pick = right if n != 1 else [next(label for label in labels if label not in right)]
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
