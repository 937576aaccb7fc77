"""一个学生带动一个家庭: a pupil's family link, the family's elder quiz outside the class scores,
and the class's family count (once per family, however many members play)."""

from __future__ import annotations

import re
import threading

import pytest

from app.groups.codes import ALPHABET
from app.groups.models import BoardEntry, GroupStats
from app.quiz.models import Attempt
from app.records.models import FamilyLink, Pledge
from tests.helpers import count_rows, csrf_token, make_group
from tests.records.builders import finished, group_counters, play_through, row, token

LINK_URL = re.compile(rf"^/f/([{ALPHABET}]{{10}})$")


def _link(app, client, group):
    attempt_id, result = finished(app, client, "student-basics", "小红", group["join_code"])
    assert "生成家庭链接" in result
    response = client.post(f"/a/{attempt_id}/family", data={"csrf_token": token(client)})
    assert response.status_code == 303
    return attempt_id, LINK_URL.match(response.headers["Location"]).group(1)


def _family_start(client, link_token, nickname="张奶奶"):
    page = client.get(f"/f/{link_token}")
    response = client.post(f"/f/{link_token}", data={"csrf_token": csrf_token(page.text), "nickname": nickname})
    assert response.status_code == 303, response.text
    return response.headers["Location"].split("/")[2]


def test_a_pupil_of_a_school_class_gets_one_link_with_a_qr(app, client):
    group = make_group(app)
    attempt_id, link_token = _link(app, client, group)
    again = client.post(f"/a/{attempt_id}/family", data={"csrf_token": token(client)})
    assert again.headers["Location"] == f"/f/{link_token}"
    assert count_rows(app, FamilyLink) == 1
    link = row(app, FamilyLink, FamilyLink.token == link_token)
    assert (link.group_id, link.nickname, link.played_at) == (group["group_id"], "小红", None)

    page = client.get(f"/f/{link_token}")
    assert page.status_code == 200
    assert "你的家庭链接" in page.text and f"http://localhost/f/{link_token}" in page.text
    assert 'class="qr" role="img" aria-label="家庭链接二维码"' in page.text
    assert re.search(r'<svg class="qr" [^>]*width="(\d+)px" height="\1px" viewBox="0 0 \1 \1"', page.text)
    assert page.text.count("viewBox") == 1  # the only one: qr_markup adds no second viewBox
    assert "打开家庭链接" in client.get(f"/a/{attempt_id}/result").text


def test_only_school_pupils_get_a_family_link(app, client):
    ward = make_group(app, "急诊科", 20, kind="hospital", org_name="县人民医院")
    staff_attempt, result = finished(app, client, "staff-training", "小王", ward["join_code"])
    assert "生成家庭链接" not in result
    refused = client.post(f"/a/{staff_attempt}/family", data={"csrf_token": token(client)})
    assert refused.status_code == 422 and "家庭链接只给参加班会的学生" in refused.text

    free_play, result = finished(app, client, "student-basics", "小红")
    assert "生成家庭链接" not in result
    assert client.post(f"/a/{free_play}/family", data={"csrf_token": token(client)}).status_code == 422

    school = make_group(app, org_name="实验小学")
    pupil, _ = finished(app, client, "student-basics", "小红", school["join_code"])
    stranger = app.test_client()
    assert stranger.post(f"/a/{pupil}/family", data={"csrf_token": token(stranger)}).status_code == 403
    assert count_rows(app, FamilyLink) == 0


def test_family_members_play_outside_the_class_and_count_as_one_family(app, client):
    group = make_group(app)
    pupil_attempt, link_token = _link(app, client, group)
    link = row(app, FamilyLink, FamilyLink.token == link_token)
    board_rows = count_rows(app, BoardEntry, BoardEntry.group_id == group["group_id"])
    stats = row(app, GroupStats, GroupStats.group_id == group["group_id"], GroupStats.scope == 0)

    grandma = app.test_client()
    welcome = grandma.get(f"/f/{link_token}")
    assert "欢迎您！" in welcome.text and "小红 在学校学了防骗知识" in welcome.text
    assert "开始答题" in welcome.text and "你的家庭链接" not in welcome.text
    attempt_id = _family_start(grandma, link_token, "张奶奶")
    attempt = row(app, Attempt, Attempt.id == attempt_id)
    assert attempt.family_link_id == link.id and attempt.quiz_id == "elder-listen"
    assert (attempt.group_id, attempt.join_code, attempt.scope, attempt.counted) == (None, None, None, None)
    assert group_counters(app, group["group_id"]) == (0, 0)  # counted when a member finishes

    play_through(app, grandma, attempt_id)
    assert group_counters(app, group["group_id"]) == (1, 0)
    assert row(app, FamilyLink, FamilyLink.id == link.id).played_at is not None

    grandpa = app.test_client()
    play_through(app, grandpa, _family_start(grandpa, link_token, "李爷爷"))
    play_through(app, grandma, _family_start(grandma, link_token, "张奶奶"))  # and again
    assert group_counters(app, group["group_id"]) == (1, 0)

    # The class's scores never saw the family.
    assert count_rows(app, BoardEntry, BoardEntry.group_id == group["group_id"]) == board_rows
    after = row(app, GroupStats, GroupStats.group_id == group["group_id"], GroupStats.scope == 0)
    assert (after.participants, after.permille_sum) == (stats.participants, stats.permille_sum)

    # Non-family attempts leave the family count alone: the pupil again, a classmate, a free player.
    finished(app, client, "student-basics", "小红", group["join_code"])
    finished(app, app.test_client(), "student-basics", "小刚", group["join_code"])
    finished(app, app.test_client(), "elder-listen", "王阿姨")
    assert group_counters(app, group["group_id"]) == (1, 0)
    assert row(app, Attempt, Attempt.id == pupil_attempt).family_link_id is None


@pytest.mark.commits  # the phones hand in on threads of their own
def test_two_family_members_finishing_at_once_count_one_family(app, client):
    group = make_group(app)
    _, link_token = _link(app, client, group)
    phones = [app.test_client() for _ in range(4)]
    attempts = []
    for n, phone in enumerate(phones):
        attempt_id = _family_start(phone, link_token, f"家人{n}")
        last = play_through_without_finishing(app, phone, attempt_id)
        attempts.append((phone, attempt_id, last))
    barrier = threading.Barrier(len(attempts))
    statuses: list[int] = []

    def hand_in(phone, attempt_id, form_token):
        barrier.wait()
        statuses.append(phone.post(f"/a/{attempt_id}/finish", data={"csrf_token": form_token}).status_code)

    threads = [threading.Thread(target=hand_in, args=item) for item in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [303] * len(attempts)
    assert group_counters(app, group["group_id"]) == (1, 0)


def play_through_without_finishing(app, client, attempt_id):
    """Answer every question; returns the CSRF token for handing in."""
    from tests.helpers import correct_labels_via_db

    page = client.get(f"/a/{attempt_id}/1")
    total = int(re.search(r"共 (\d+) 题", page.text).group(1))
    for n in range(1, total + 1):
        page = client.get(f"/a/{attempt_id}/{n}")
        right = correct_labels_via_db(app, attempt_id, n)
        client.post(f"/a/{attempt_id}/{n}", data={"csrf_token": csrf_token(page.text), "choices": right})
    return csrf_token(client.get(f"/a/{attempt_id}/{total}").text)


def test_a_family_member_may_sign_the_pledge(app, client):
    group = make_group(app)
    _, link_token = _link(app, client, group)
    link = row(app, FamilyLink, FamilyLink.token == link_token)
    grandma = app.test_client()
    attempt_id = _family_start(grandma, link_token)
    result = play_through(app, grandma, attempt_id)
    assert "签承诺书" in result and "生成家庭链接" not in result
    page = grandma.get(f"/a/{attempt_id}/pledge")
    assert "签名：写下你的名字" in page.text
    signed = grandma.post(f"/a/{attempt_id}/pledge", data={"csrf_token": csrf_token(page.text), "signer": "张桂兰"})
    assert signed.status_code == 303
    pledge = row(app, Pledge, Pledge.attempt_id == attempt_id)
    assert (pledge.family_link_id, pledge.group_id, pledge.signer) == (link.id, None, "张桂兰")
    participant = row(app, Attempt, Attempt.id == attempt_id).participant_id
    assert pledge.member_key == f"f:{link.id}:{participant}"
    assert group_counters(app, group["group_id"]) == (1, 0)  # a family pledge is not a class member's

    # The same grandma plays again: her pledge is already there.
    second = _family_start(grandma, link_token)
    play_through(app, grandma, second)
    assert "已签名" in grandma.get(f"/a/{second}/pledge").text


def test_unknown_links_and_empty_nicknames_are_explained(app, client):
    group = make_group(app)
    _, link_token = _link(app, client, group)
    anyone = app.test_client()
    for bad in ("ACDEFGHJKM", "short", "%3Cscript%3E", "a" * 300):
        missing = anyone.get(f"/f/{bad}")
        assert missing.status_code == 404 and "没有找到这个家庭链接" in missing.text
    page = anyone.get(f"/f/{link_token}")
    empty = anyone.post(f"/f/{link_token}", data={"csrf_token": csrf_token(page.text), "nickname": "  "})
    assert empty.status_code == 422 and "请填写一个昵称" in empty.text and 'aria-invalid="true"' in empty.text
    assert count_rows(app, Attempt, Attempt.family_link_id.is_not(None)) == 0


def test_the_family_plays_the_first_active_elder_quiz_when_elder_listen_is_off(app, db):
    from app.bank.models import Quiz
    from app.records.family import family_quiz

    assert family_quiz().id == "elder-listen"
    quiz = db.session.get(Quiz, "elder-listen")
    quiz.active = False
    db.session.commit()
    try:
        fallback = family_quiz()
        assert fallback.audience == "elder" and fallback.active and fallback.id != "elder-listen"
    finally:
        quiz.active = True
        db.session.commit()
