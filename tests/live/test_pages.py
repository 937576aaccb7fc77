"""The live pages without JavaScript: a teacher opens a game from the class, phones join with a
nickname and answer with one tap, the projector shows the split and the explanation, the podium
hands the attempts in, and the phone reaches the usual result page (承诺书, certificate, family link)."""

from __future__ import annotations

import re

from tests.factories import UserFactory
from tests.helpers import csrf_token, sign_in
from tests.live.builders import class_with_teacher

VERSION = re.compile(r'name="version" value="(\d+)"')


def _act(host, game_id, action):
    page = host.get(f"/live/host/{game_id}")
    assert page.status_code == 200
    version = VERSION.search(page.text).group(1)
    return host.post(f"/live/host/{game_id}/act",
                     data={"csrf_token": csrf_token(page.text), "action": action, "version": version})


def test_a_class_plays_a_live_game_through_the_pages(app, client):
    group, teacher = class_with_teacher()
    host = app.test_client()
    sign_in(host, teacher)
    form = host.get(f"/live/host/new?group={group.id}")
    assert form.status_code == 200 and "限时" in form.text  # a school class may time questions
    opened = host.post(f"/live/host/new?group={group.id}",
                       data={"csrf_token": csrf_token(form.text), "quiz": "student-basics", "top_n": "3"})
    assert opened.status_code == 303
    game_id = int(opened.headers["Location"].rsplit("/", 1)[1])
    projector = host.get(f"/live/host/{game_id}")
    assert projector.status_code == 200
    pin = re.search(r'class="live-pin-small">(\d{6})<', projector.text).group(1)
    assert host.get(f"/live/host/{game_id}/qr.svg").mimetype == "image/svg+xml"

    assert client.get(f"/live?pin={pin[:3]} {pin[3:]}").headers["Location"].endswith(f"/live/{pin}")
    join = client.get(f"/live/{pin}")
    assert join.status_code == 200 and 'name="nickname"' in join.text
    bad = client.post(f"/live/{pin}", data={"csrf_token": csrf_token(join.text), "nickname": ""})
    assert bad.status_code == 422 and 'id="nickname-error"' in bad.text
    joined = client.post(f"/live/{pin}", data={"csrf_token": csrf_token(join.text), "nickname": "小明"})
    assert joined.status_code == 303
    lobby = client.get(f"/live/{pin}")
    assert "已加入，等老师开始" in lobby.text
    assert "小明" in host.get(f"/live/host/{game_id}").text

    assert _act(host, game_id, "start").status_code == 303
    question = client.get(f"/live/{pin}")
    assert 'class="live-tap' in question.text or 'type="checkbox"' in question.text
    shown = host.get(f"/live/host/{game_id}").text
    assert "已答 <strong data-live-answered>0</strong> / 1" in shown and "正确答案" not in shown
    from tests.live.api_helpers import right_via_db

    right = right_via_db(app, game_id, 1)
    sent = client.post(f"/live/{pin}/answer", data={"csrf_token": csrf_token(question.text), "n": 1, "choices": right})
    assert sent.status_code == 303
    assert "已提交" in client.get(f"/live/{pin}").text
    client.post(f"/live/{pin}/answer", data={"csrf_token": csrf_token(question.text), "n": 1, "choices": ["A"]})
    assert "已提交：" + "、".join(right) in client.get(f"/live/{pin}").text  # the first answer stands

    assert _act(host, game_id, "reveal").status_code == 303
    revealed = host.get(f"/live/host/{game_id}").text
    assert "✔ 正确答案" in revealed and "<progress" in revealed and "为什么" in revealed
    assert "答对了" in client.get(f"/live/{pin}").text
    remote = host.get(f"/live/host/{game_id}/remote")
    assert remote.status_code == 200 and "下一题" in remote.text

    stale = host.post(f"/live/host/{game_id}/act", data={"csrf_token": csrf_token(revealed), "action": "next",
                                                         "version": "1"})
    assert "notice=version_moved" in stale.headers["Location"]
    assert _act(host, game_id, "end").status_code == 303
    podium = host.get(f"/live/host/{game_id}").text
    assert "本场结束" in podium and "小明" in podium
    done = client.get(f"/live/{pin}").text
    assert "本场成绩已计入" in done
    result_url = re.search(r'href="(/a/[^"]+/result)"', done).group(1)
    result = client.get(result_url)
    assert result.status_code == 200

    report = host.get(f"/live/host/{game_id}/report")
    assert report.status_code == 200 and "答对率" in report.text
    xlsx = host.get(f"/live/host/{game_id}/report.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_hosts_only_their_own_classes_and_elders_get_no_timer(app, client):
    group, teacher = class_with_teacher()
    other = app.test_client()
    sign_in(other, UserFactory(role="teacher"))
    assert other.get(f"/live/host/new?group={group.id}").status_code == 404
    elders, helper = class_with_teacher(kind="community")
    host = app.test_client()
    sign_in(host, helper)
    page = host.get(f"/live/host/new?group={elders.id}")
    assert page.status_code == 200 and "限时" not in page.text
    refused = host.post(f"/live/host/new?group={elders.id}",
                        data={"csrf_token": csrf_token(page.text), "quiz": "elder-listen", "top_n": "3", "timer": "20"})
    assert refused.status_code == 422
    assert client.get("/live/host/1").status_code in (302, 303)  # sign in first
    assert client.get("/live/123").status_code == 404
