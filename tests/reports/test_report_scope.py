"""What a report shows each account: a teacher the groups they teach (the organisation report lists
those alone, in its page and its exports), an organiser the whole organisation, an admin everything."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tests.helpers import make_group, sign_in
from tests.reports.builders import set_teacher


@pytest.fixture()
def school(app):
    mine = make_group(app, name="初一（1）班", org_name="城关中学")
    other = make_group(app, name="初一（2）班", org_id=mine["org_id"])
    teacher, colleague = UserFactory(role="teacher"), UserFactory(role="teacher")
    set_teacher(app, mine["group_id"], teacher)
    set_teacher(app, other["group_id"], colleague)
    organiser = UserFactory(role="organiser", organisation_id=mine["org_id"])
    return {"org_id": mine["org_id"], "groups": (mine, other), "teacher": teacher, "organiser": organiser,
            "admin": UserFactory(role="admin")}


# who -> the groups their organisation report and exports list
SEES = {"teacher": ["初一（1）班"], "organiser": ["初一（1）班", "初一（2）班"], "admin": ["初一（1）班", "初一（2）班"]}


@pytest.mark.parametrize("who", list(SEES))
@pytest.mark.parametrize("suffix", ["", "/export.csv"])
def test_the_organisation_report_lists_only_the_groups_one_may_see(app, school, who, suffix):
    client = app.test_client()
    sign_in(client, school[who])
    response = client.get(f"/reports/organisations/{school['org_id']}{suffix}")
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    assert [name for name in ("初一（1）班", "初一（2）班") if name in text] == SEES[who]


def test_a_teacher_opens_only_their_own_groups_reports(app, school):
    client = app.test_client()
    sign_in(client, school["teacher"])
    mine, other = school["groups"]
    assert client.get(f"/reports/groups/{mine['group_id']}").status_code == 200
    for suffix in ("", "/print", "/export.csv", "/pledges.csv", "/certificates"):
        assert client.get(f"/reports/groups/{other['group_id']}{suffix}").status_code == 404
