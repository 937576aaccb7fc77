"""The access matrix of every report route: anonymous people are sent to sign in; another teacher
and the organiser of another organisation get a 404; the owner, the organiser and an admin get 200."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tests.helpers import make_group, sign_in
from tests.reports.builders import set_teacher

GROUP_ROUTES = ["", "/print", "/certificates", "/export.csv", "/export.xlsx", "/pledges.csv"]
ORG_ROUTES = ["", "/export.csv", "/export.xlsx"]


@pytest.fixture()
def world(app):
    mine = make_group(app, name="初一（1）班", org_name="城关中学")
    other = make_group(app, name="初一（2）班", org_id=mine["org_id"])
    elsewhere = make_group(app, name="三年级一班", org_name="实验小学")
    people = {
        "owner": UserFactory(role="teacher"),
        "other_teacher": UserFactory(role="teacher"),
        "organiser": UserFactory(role="organiser", organisation_id=mine["org_id"]),
        "other_organiser": UserFactory(role="organiser", organisation_id=elsewhere["org_id"]),
        "admin": UserFactory(role="admin"),
    }
    set_teacher(app, mine["group_id"], people["owner"])
    set_teacher(app, other["group_id"], people["other_teacher"])
    return {"group": mine, "people": people}


EXPECTED_GROUP = {"owner": 200, "other_teacher": 404, "organiser": 200, "other_organiser": 404, "admin": 200}
# The other teacher has a group in the same school, so they may see its report (their groups only).
EXPECTED_ORG = {"owner": 200, "other_teacher": 200, "organiser": 200, "other_organiser": 404, "admin": 200}


@pytest.mark.parametrize("suffix", GROUP_ROUTES)
def test_group_routes_access_matrix(app, world, suffix):
    url = f"/reports/groups/{world['group']['group_id']}{suffix}"
    anonymous = app.test_client().get(url)
    assert anonymous.status_code in (302, 303)
    assert anonymous.headers["Location"].startswith("/staff/login")
    for who, status in EXPECTED_GROUP.items():
        client = app.test_client()
        sign_in(client, world["people"][who])
        assert client.get(url).status_code == status, who


@pytest.mark.parametrize("suffix", ORG_ROUTES)
def test_organisation_routes_access_matrix(app, world, suffix):
    url = f"/reports/organisations/{world['group']['org_id']}{suffix}"
    anonymous = app.test_client().get(url)
    assert anonymous.status_code in (302, 303)
    assert anonymous.headers["Location"].startswith("/staff/login")
    for who, status in EXPECTED_ORG.items():
        client = app.test_client()
        sign_in(client, world["people"][who])
        assert client.get(url).status_code == status, who
    stranger = UserFactory(role="teacher")  # no group in this organisation at all
    client = app.test_client()
    sign_in(client, stranger)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/reports/groups/999999", "/reports/groups/0", "/reports/groups/99999999999999",
                                 "/reports/organisations/999999", "/reports/groups/1/export.pdf",
                                 "/reports/organisations/1/export.exe"])
def test_unknown_ids_and_formats_are_404(app, world, url):
    client = app.test_client()
    sign_in(client, world["people"]["admin"])
    assert client.get(url).status_code == 404


def test_a_teacher_sees_only_their_own_groups_in_the_organisation_report(app, world):
    client = app.test_client()
    sign_in(client, world["people"]["owner"])
    page = client.get(f"/reports/organisations/{world['group']['org_id']}")
    assert "初一（1）班" in page.text and "初一（2）班" not in page.text
    assert "只列出你负责的" in page.text
    organiser = app.test_client()
    sign_in(organiser, world["people"]["organiser"])
    page = organiser.get(f"/reports/organisations/{world['group']['org_id']}")
    assert "初一（1）班" in page.text and "初一（2）班" in page.text


def test_a_stale_session_is_signed_out(app, world):
    """A session whose version no longer matches (password changed) is treated as anonymous."""
    from tests.reports.builders import update_user

    client = app.test_client()
    sign_in(client, world["people"]["admin"])
    update_user(app, world["people"]["admin"].id, session_version=world["people"]["admin"].session_version + 1)
    response = client.get(f"/reports/groups/{world['group']['group_id']}")
    assert response.status_code in (302, 303) and response.headers["Location"].startswith("/staff/login")
