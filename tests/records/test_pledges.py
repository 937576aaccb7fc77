"""《拒绝电信诈骗承诺书》: typed or drawn, checked strictly, once per attempt and once per member of a
group, with the group's counter moved in the same transaction as the first signature."""

from __future__ import annotations

import html
import json
import re
import threading

import pytest

from app.records.models import Pledge
from app.records.pledge_text import POINTS, speech_texts
from tests.helpers import count_rows, csrf_token, make_group
from tests.records.builders import finished, group_counters, row

TAPS = 8


def _sign(client, attempt_id, signer="", signature=""):
    page = client.get(f"/a/{attempt_id}/pledge")
    return client.post(f"/a/{attempt_id}/pledge",
                       data={"csrf_token": csrf_token(page.text), "signer": signer, "signature": signature})


def test_pledge_text_is_our_own_seven_points_on_three_nos_and_one_must(client):
    text = "".join(POINTS)
    for words in ("不轻信", "不冲动", "不转账", "要及时报警", "96110", "国家反诈中心App", "银行卡", "电话卡", "家人"):
        assert words in text, words
    assert 6 <= len(POINTS) <= 8


def test_a_pupil_signs_with_a_typed_nickname_and_the_class_counts_it(app, client):
    group = make_group(app)
    attempt_id, result = finished(app, client, "student-basics", "小红", group["join_code"])
    assert "签承诺书" in result
    page = client.get(f"/a/{attempt_id}/pledge")
    assert page.status_code == 200
    assert "写昵称即可，不要写真实姓名" in page.text and POINTS[0] in page.text
    assert "data-signature-pad hidden" in page.text  # the pad shows only once its script runs

    signed = _sign(client, attempt_id, signer=" 小红 ")
    assert signed.status_code == 303 and signed.headers["Location"] == f"/a/{attempt_id}/pledge"
    shown = client.get(f"/a/{attempt_id}/pledge")
    assert "已签名" in shown.text and "<strong>小红</strong>" in shown.text and "签署时间" in shown.text
    assert 'name="signer"' not in shown.text
    pledge = row(app, Pledge, Pledge.attempt_id == attempt_id)
    assert pledge.signer == "小红" and pledge.group_id == group["group_id"]
    assert pledge.member_key.startswith("p:") and pledge.family_link_id is None and pledge.signed_at is not None
    assert group_counters(app, group["group_id"]) == (0, 1)
    assert "查看我的承诺书" in client.get(f"/a/{attempt_id}/result").text


def test_a_pupils_typed_name_is_cleaned_like_a_nickname(app, client):
    group = make_group(app)
    attempt_id, _ = finished(app, client, "student-basics", "小红", group["join_code"])
    response = _sign(client, attempt_id, signer="13812345678")
    assert response.status_code == 422
    assert "请不要用手机号或身份证号当昵称" in response.text and 'aria-invalid="true"' in response.text
    assert count_rows(app, Pledge) == 0 and group_counters(app, group["group_id"]) == (0, 0)


def test_staff_and_residents_type_their_name(app, client):
    group = make_group(app, "急诊科", 20, kind="hospital", org_name="县人民医院")
    attempt_id, _ = finished(app, client, "staff-training", "小王", group["join_code"])
    page = client.get(f"/a/{attempt_id}/pledge")
    assert "签名：写下你的名字" in page.text and "不要写真实姓名" not in page.text
    bad = _sign(client, attempt_id, signer="<b>王</b>")
    assert bad.status_code == 422 and "名字里不能有" in bad.text
    long = _sign(client, attempt_id, signer="王" * 21)
    assert long.status_code == 422 and "名字最多 20 个字" in long.text
    assert _sign(client, attempt_id, signer="王建国").status_code == 303
    assert row(app, Pledge, Pledge.attempt_id == attempt_id).signer == "王建国"


def test_a_drawn_signature_is_stored_canonically_and_drawn_by_the_server(app, client):
    attempt_id, _ = finished(app, client, "elder-listen", "王阿姨")
    response = _sign(client, attempt_id, signature="M 10 20 L 30.50 40 L 600 200,M 5 5 L 6.25 7")
    assert response.status_code == 303
    pledge = row(app, Pledge, Pledge.attempt_id == attempt_id)
    assert pledge.signature_svg_path == "M 10 20 L 30.5 40 L 600 200 M 5 5 L 6.25 7"
    assert pledge.signer == "" and pledge.group_id is None
    page = client.get(f"/a/{attempt_id}/pledge").text
    assert '<svg class="signature" viewBox="0 0 600 200" role="img" aria-label="手写签名">' in page
    assert '<path d="M 10 20 L 30.5 40 L 600 200 M 5 5 L 6.25 7" fill="none"' in page


BAD_PATHS = [
    "<script>alert(1)</script>",
    "M 1 1 Z",
    "M 1 1 L 2 2 Z",
    'M 1 1 L 2 2" onload="alert(1)',
    "M 1 1 L 99999 1",
    "M 1 1 L 601 1",
    "M 1 1 L 1 201",
    "M 1 1 L -5 1",
    "M 1 1 L 1e2 1",
    "M 1 1 L 1.234 1",
    "M 1 1 C 2 2 3 3 4 4",
    "m 1 1 l 2 2",
    "L 1 1 L 2 2",
    "M 1 1 L 2",
    "M 1 1",
    "M 1 1 L ٣ 1",
    "M 1 1 L NaN 1",
    "M\t1 1 L 2 2",
    "M 1 1 " + "L 2 2 " * 5000,  # 30 000 characters
]


@pytest.mark.parametrize("path", BAD_PATHS, ids=range(len(BAD_PATHS)))
def test_anything_but_a_plain_path_in_the_box_is_refused_and_nothing_written(app, client, path):
    group = make_group(app)
    attempt_id, _ = finished(app, client, "student-basics", "小红", group["join_code"])
    response = _sign(client, attempt_id, signer="小红", signature=path)
    assert response.status_code == 422
    assert "签名" in response.text and ("签名没有保存" in response.text or "签名板" in response.text
                                       or "签名太长" in response.text)
    assert "<script>alert" not in response.text and "onload=" not in response.text
    assert 'name="signature" type="hidden" value=""' in response.text  # the bad drawing is not sent back
    assert count_rows(app, Pledge) == 0
    assert group_counters(app, group["group_id"]) == (0, 0)


def test_a_signature_is_required(app, client):
    attempt_id, _ = finished(app, client, "elder-listen", "王阿姨")
    response = _sign(client, attempt_id)
    assert response.status_code == 422 and "请在框里写下名字" in response.text
    assert count_rows(app, Pledge) == 0


def test_double_submit_and_a_second_attempt_keep_one_pledge_per_member(app, client):
    group = make_group(app)
    attempt_id, _ = finished(app, client, "student-basics", "小红", group["join_code"])
    page = client.get(f"/a/{attempt_id}/pledge")
    form = {"csrf_token": csrf_token(page.text), "signer": "小红"}
    assert client.post(f"/a/{attempt_id}/pledge", data=form).status_code == 303
    assert client.post(f"/a/{attempt_id}/pledge", data=form | {"signer": "小红2"}).status_code == 303
    assert count_rows(app, Pledge) == 1 and group_counters(app, group["group_id"]) == (0, 1)

    # The same pupil plays again in the same class: the page shows the pledge already signed.
    second, _ = finished(app, client, "student-basics", "小红", group["join_code"])
    again = client.get(f"/a/{second}/pledge")
    assert "已签名" in again.text and "<strong>小红</strong>" in again.text
    assert _sign(client, second, signer="小红").status_code == 303
    assert count_rows(app, Pledge) == 1 and group_counters(app, group["group_id"]) == (0, 1)

    # Another pupil of the class: a second member, a second count.
    classmate = app.test_client()
    other, _ = finished(app, classmate, "student-basics", "小刚", group["join_code"])
    assert _sign(classmate, other, signature="M 1 1 L 50 50").status_code == 303
    assert count_rows(app, Pledge) == 2 and group_counters(app, group["group_id"]) == (0, 2)


@pytest.mark.commits  # the taps come on threads of their own
def test_racing_signatures_of_one_member_store_one_and_count_once(app, client):
    """Eight taps at once on one phone, spread over two attempts of the same pupil: the unique keys
    (attempt; group + member) keep one pledge, and the class counts it once."""
    group = make_group(app)
    first, _ = finished(app, client, "student-basics", "小红", group["join_code"])
    second, _ = finished(app, client, "student-basics", "小红", group["join_code"])
    token = csrf_token(client.get(f"/a/{first}/pledge").text)
    cookie = client.get_cookie("fzkt")
    barrier = threading.Barrier(TAPS)
    statuses: list[int] = []
    lock = threading.Lock()

    def tap(n: int) -> None:
        tapper = app.test_client()
        tapper.set_cookie(cookie.key, cookie.value)
        barrier.wait()
        response = tapper.post(f"/a/{(first, second)[n % 2]}/pledge", data={"csrf_token": token, "signer": f"小红{n}"})
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=tap, args=(n,)) for n in range(TAPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [303] * TAPS
    assert count_rows(app, Pledge) == 1 and group_counters(app, group["group_id"]) == (0, 1)


def test_only_the_players_browser_signs_and_only_after_handing_in(app, client):
    attempt_id, _ = finished(app, client, "elder-listen", "王阿姨")
    stranger = app.test_client()
    assert stranger.get(f"/a/{attempt_id}/pledge").status_code == 403
    token = csrf_token(stranger.get("/").text)
    assert stranger.post(f"/a/{attempt_id}/pledge", data={"csrf_token": token, "signer": "x"}).status_code == 403

    from tests.records.builders import start

    open_attempt = start(client, "elder-listen", "王阿姨")
    assert client.get(f"/a/{open_attempt}/pledge").status_code == 303
    token = csrf_token(client.get("/").text)
    refused = client.post(f"/a/{open_attempt}/pledge", data={"csrf_token": token, "signer": "王阿姨"})
    assert refused.status_code == 409 and "交卷以后才能签承诺书" in refused.text
    assert count_rows(app, Pledge) == 0


def test_in_care_mode_the_pledge_can_be_heard(app, client):
    attempt_id, _ = finished(app, client, "elder-listen", "王阿姨")
    plain = client.get(f"/a/{attempt_id}/pledge").text
    assert "听承诺书" not in plain
    client.set_cookie("care", "1")
    care = client.get(f"/a/{attempt_id}/pledge").text
    assert "听承诺书" in care and "data-listen" in care
    segments = json.loads(html.unescape(re.search(r"data-segments='([^']*)'", care).group(1)))
    # One segment per paragraph: a clip warmed by `tts warm`, otherwise the phone's own voice reads it.
    assert [segment["text"] for segment in segments] == speech_texts()
    assert all(segment["src"] is None or segment["src"].startswith("/audio/") for segment in segments)
    assert any("九六幺幺零" in text for text in speech_texts())


def test_tts_warm_voices_the_pledge(app):
    from app.tts.cli import collect_clips

    with app.app_context():
        clips, _ = collect_clips(limit=1)
    texts = {clip.text: clip.sources for clip in clips}
    for n, text in enumerate(speech_texts(), start=1):
        assert f"承诺书 第 {n} 段" in texts[text]


def test_the_path_checker_keeps_the_limit_and_the_box_exactly():
    from app.records.errors import InvalidSignature
    from app.records.signature import MAX_CHARS, clean_path

    assert clean_path(None) == "" and clean_path("  ") == ""
    assert clean_path("M 0 0 L 600 200") == "M 0 0 L 600 200"
    assert clean_path("M 0.50 1.0 L 2.25 3") == "M 0.5 1 L 2.25 3"
    longest = "M 1 1" + " L 2 2" * ((MAX_CHARS - 5) // 6)
    assert len(longest) <= MAX_CHARS and clean_path(longest) == longest
    for bad in (longest + " L 2 2", ["M 1 1 L 2 2"], 42, "M 600.01 1 L 2 2"):
        with pytest.raises(InvalidSignature):
            clean_path(bad)


def test_sign_rates_show_on_the_class_and_organisation_boards_but_do_not_rank(app, client):
    group = make_group(app, name="初一（1）班", size=4)
    other = make_group(app, name="初一（2）班", size=4, org_id=group["org_id"])
    attempt_id, _ = finished(app, client, "student-basics", "小红", group["join_code"])
    assert _sign(client, attempt_id, signer="小红").status_code == 303
    board = client.get(f"/api/v1/organisations/{group['org_id']}/leaderboard").json["entries"]
    by_group = {e["group"]: (e["pledges"], e["pledge_rate"]) for e in board}
    assert by_group == {"初一（1）班": (1, 0.25), "初一（2）班": (0, 0.0)}
    assert "签署率 25%" in client.get(f"/g/{group['join_code']}").text
    page = client.get(f"/o/{group['org_id']}").text
    assert "承诺书签署率" in page and "25%" in page and "不计入排名" in page
    assert other["group_id"] != group["group_id"]
