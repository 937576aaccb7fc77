"""LOCAL_TIMEZONE is the one zone people read and type times in: exports, report pages, assignment
windows, the lock message and "a day" of the best-of-N rule all follow it (Asia/Urumqi is UTC+6,
two hours behind Beijing)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from tests.factories import UserFactory
from tests.helpers import csrf_token, make_group, sign_in
from tests.reports.builders import add_rows, at, update

URUMQI = "Asia/Urumqi"


@pytest.fixture()
def urumqi(app):
    app.config["LOCAL_TIMEZONE"] = URUMQI
    return app


def test_exports_and_report_pages_show_local_time_with_a_local_label(urumqi, client):
    from app.groups.models import BoardEntry

    app = urumqi
    made = make_group(app, kind="community", name="幸福里", size=5)
    add_rows(app, BoardEntry(group_id=made["group_id"], scope=0, member_key="p:1", nickname="张奶奶", counted=True,
                             score=6, total=8, permille=750, seconds=300, finished_at=at("2024-05-01 23:30")))
    update(app, "GroupStats", (made["group_id"], 0), participants=1, permille_sum=750)
    sign_in(client, UserFactory(role="admin"))
    response = client.get(f"/reports/groups/{made['group_id']}/export.csv")
    assert response.status_code == 200
    header, first = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))[:2]
    assert "完成时间（当地时间）" in header and "完成时间（北京时间）" not in header
    assert first[5] == "2024-05-02 05:30"  # 23:30 UTC is 05:30 next day in Urumqi (07:30 in Beijing)
    page = client.get(f"/reports/groups/{made['group_id']}")
    assert page.status_code == 200 and "（当地时间）" in page.text and "北京时间" not in page.text


def test_assignment_window_is_typed_and_shown_in_local_time(urumqi, client):
    from sqlalchemy import select

    from app.extensions import db
    from app.groups.models import Assignment

    app = urumqi
    made = make_group(app, "内科", 30, kind="hospital", org_name="县人民医院")
    sign_in(client, UserFactory(role="organiser", organisation_id=made["org_id"]))
    url = f"/manage/organisations/{made['org_id']}/assignments"
    page = client.get(url)
    assert "按当地时间填写" in page.text and "北京时间" not in page.text
    response = client.post(url, data={"csrf_token": csrf_token(page.text), "quiz": "staff-training",
                                      "groups": str(made["group_id"]), "opens_at": "2030-03-01T08:00",
                                      "closes_at": "2030-03-08T20:30", "rule": "first", "tries_per_day": "1"})
    assert response.status_code == 303
    with app.app_context():
        try:
            assignment = db.session.scalars(select(Assignment)).one()
            assert assignment.opens_at == datetime(2030, 3, 1, 2, 0, tzinfo=UTC)  # 08:00 in Urumqi
            assert assignment.closes_at == datetime(2030, 3, 8, 14, 30, tzinfo=UTC)
        finally:
            db.session.remove()
    assert "2030-03-01 08:00 至 2030-03-08 20:30" in client.get(url).text


def test_local_day_rolls_over_at_local_midnight(app):
    from app.timezones import from_local, local_day, zone_label

    with app.app_context():
        assert zone_label() == "北京时间"  # the default zone
        assert local_day(at("2024-05-01 15:59")) == date(2024, 5, 1)
        assert local_day(at("2024-05-01 16:00")) == date(2024, 5, 2)  # midnight in Beijing
        app.config["LOCAL_TIMEZONE"] = URUMQI
        assert zone_label() == "当地时间"
        assert local_day(at("2024-05-01 17:59")) == date(2024, 5, 1)
        assert local_day(at("2024-05-01 18:00")) == date(2024, 5, 2)  # midnight in Urumqi
        assert from_local(datetime(2024, 5, 2)) == at("2024-05-01 18:00")


@pytest.mark.parametrize(("zone", "third_counts"), [(URUMQI, True), ("Asia/Shanghai", False)])
def test_best_of_n_counts_again_after_local_midnight(app, zone, third_counts):
    """One counted try a day: 23:50 counts, 23:55 does not; 00:05 is a new day only where it is
    already past midnight (in Urumqi, not in Beijing where all three are the same morning)."""
    from app.extensions import db
    from app.groups import services
    from app.groups.counting import count_finished
    from app.groups.models import Group

    app.config["LOCAL_TIMEZONE"] = zone
    made = make_group(app, "内科", 30, kind="hospital", org_name="县人民医院")
    with app.app_context():
        try:
            group = db.session.get(Group, made["group_id"])
            org = services.get_organisation(group.organisation_id)
            scope = services.create_assignment(org, "staff-training", [group], at("2024-05-01 00:00"),
                                               at("2024-05-03 00:00"), "best", 1).id
            counted = []
            for n, finished in enumerate(("2024-05-01 17:50", "2024-05-01 17:55", "2024-05-01 18:05")):
                done = count_finished(f"attempt{n}", group.id, scope, "p:1", "小明", None, 5 + n, 10,
                                      at("2024-05-01 17:00"), at(finished))
                db.session.commit()
                counted.append(done.counted)
        finally:
            db.session.remove()
    assert counted == [True, False, third_counts]


def test_lock_message_names_the_local_zone(app):
    from app.auth.errors import AccountLocked

    with app.app_context():
        beijing = AccountLocked(at("2024-05-01 18:30"), now=at("2024-05-01 18:25")).message
        assert "请在北京时间 02:30 之后（大约 5 分钟后）" in beijing
        app.config["LOCAL_TIMEZONE"] = URUMQI
        local = AccountLocked(at("2024-05-01 18:30"), now=at("2024-05-01 18:25")).message
        assert "请在当地时间 00:30 之后（大约 5 分钟后）" in local
