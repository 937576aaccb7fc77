"""The dashboard's two upload paths (a quiz file, a staff roster) refuse hostile files in time with a
Chinese page and write nothing; and each account has an hourly quota of uploaded files, keyed on
the account (a school's teachers share one IP), shared by both forms."""

from __future__ import annotations

import io
import time

import pytest

from app.groups.models import RosterEntry
from tests.bank.test_hostile_files import HOSTILE, SECONDS
from tests.dashboard.builders import xlsx
from tests.dashboard.test_upload import make_school, own_rows, upload, xlsx_bytes
from tests.helpers import count_rows, csrf_token, sign_in

ROSTER = [["姓名", "工号", "科室"], ["张三", "1001", "内科"]]


def roster_upload(client, group_id, data, filename="名单.xlsx"):
    url = f"/manage/groups/{group_id}"
    token = csrf_token(client.get(url).text)
    return client.post(url + "/roster", content_type="multipart/form-data",
                       data={"csrf_token": token, "roster-file": (io.BytesIO(data), filename)})


def timed(call):
    start = time.process_time()
    response = call()
    elapsed = time.process_time() - start
    assert elapsed < SECONDS, f"took {elapsed:.2f} s"
    return response


@pytest.mark.parametrize(("data", "words"), HOSTILE.values(), ids=HOSTILE.keys())
def test_the_quiz_upload_refuses_hostile_files_in_time_and_writes_nothing(app, client, data, words):
    school = make_school(app)
    sign_in(client, school["teacher"])
    response = timed(lambda: upload(client, school["org_id"], data, "本校题目.xlsx"))
    assert response.status_code == 422
    assert "没有导入" in response.text and "Traceback" not in response.text and ".py" not in response.text
    assert own_rows(app, school["org_id"]) == (0, 0)


@pytest.mark.parametrize(("data", "words"), HOSTILE.values(), ids=HOSTILE.keys())
def test_the_roster_upload_refuses_hostile_files_in_time_and_writes_nothing(app, client, world, data, words):
    group_id = world["a1"]["group_id"]
    sign_in(client, world["ta1"])
    response = timed(lambda: roster_upload(client, group_id, data))
    assert response.status_code == 422
    assert words in response.text and "没有导入任何内容" in response.text
    assert count_rows(app, RosterEntry, RosterEntry.group_id == group_id) == 0


def test_each_account_has_an_hourly_quota_shared_by_both_uploads(app, client, world, tmp_path):
    app.config["RATELIMIT_UPLOAD"] = "2 per hour"
    group_id = world["a1"]["group_id"]
    sign_in(client, world["ta1"])
    assert roster_upload(client, group_id, xlsx(ROSTER)).status_code == 303
    assert roster_upload(client, group_id, b"not a workbook").status_code == 422  # a refused file counts too

    refused = roster_upload(client, group_id, xlsx(ROSTER))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "上传得太频繁了" in refused.text and "分钟后再试" in refused.text
    quiz = upload(client, world["a1"]["org_id"], xlsx_bytes(tmp_path), "本校题目.xlsx")
    assert quiz.status_code == 429 and "上传得太频繁了" in quiz.text

    # Another teacher of the same hospital, on the same address, has a quota of their own.
    other = app.test_client()
    sign_in(other, world["ta2"])
    assert roster_upload(other, world["a2"]["group_id"], xlsx(ROSTER)).status_code == 303


def test_a_form_without_a_file_does_not_spend_the_quota(app, client, world):
    app.config["RATELIMIT_UPLOAD"] = "1 per hour"
    group_id = world["a1"]["group_id"]
    sign_in(client, world["ta1"])
    url = f"/manage/groups/{group_id}"
    empty = client.post(url + "/roster", data={"csrf_token": csrf_token(client.get(url).text)})
    assert empty.status_code == 422
    assert roster_upload(client, group_id, xlsx(ROSTER)).status_code == 303
    assert roster_upload(client, group_id, xlsx(ROSTER)).status_code == 429


def test_the_quota_setting_is_checked_when_the_app_starts(app_factory):
    with pytest.raises(Exception, match="RATELIMIT_UPLOAD"):
        app_factory(RATELIMIT_UPLOAD="30 an hour")
