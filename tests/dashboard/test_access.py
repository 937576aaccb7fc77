"""The access matrix of every management route, found from the URL map so none is forgotten:
anonymous people go to the sign-in page, someone else's group or organisation is a 404, and every
POST needs its CSRF token."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.helpers import csrf_token, sign_in

# Who may open each route of org A / group a1 (hospital): 200, 403 (admin-only screens) or 404.
# Routes are found in the URL map; this table must name each one (the quiz upload routes belong
# to another module and have their own tests).
EXPECT = {
    "dashboard.home": {"admin": 200, "oa": 200, "ob": 200, "ta1": 200, "ta2": 200, "tb1": 200},
    "dashboard.new_organisation": {"admin": 200, "oa": 403, "ob": 403, "ta1": 403, "ta2": 403, "tb1": 403},
    "dashboard.new_campaign": {"admin": 200, "oa": 403, "ob": 403, "ta1": 403, "ta2": 403, "tb1": 403},
    # Teachers add groups in their own organisation (ta1 and ta2 belong to A).
    "dashboard.new_group": {"admin": 200, "oa": 200, "ob": 404, "ta1": 200, "ta2": 200, "tb1": 404},
    "dashboard.assignments": {"admin": 200, "oa": 200, "ob": 404, "ta1": 404, "ta2": 404, "tb1": 404},
}
GROUP_ROUTE = {"admin": 200, "oa": 200, "ob": 404, "ta1": 200, "ta2": 404, "tb1": 404}
GROUP_ENDPOINTS = {"dashboard.group", "dashboard.edit_group", "dashboard.board_settings", "dashboard.group_qr",
                   "dashboard.project", "dashboard.upload_roster", "dashboard.roster_settings",
                   "dashboard.roster_template"}


def dashboard_rules(app: Flask) -> list[tuple[str, str, set[str]]]:
    """(endpoint, URL for org A / group a1, methods) of every management route outside the upload module."""
    rules = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("dashboard."):
            continue
        if app.view_functions[rule.endpoint].__module__ == "app.dashboard.upload_routes":
            continue
        rules.append((rule.endpoint, rule, set(rule.methods or ()) - {"HEAD", "OPTIONS"}))
    return rules


def url_of(rule, world) -> str:
    values = {"group_id": world["a1"]["group_id"], "org_id": world["a1"]["org_id"]}
    return rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]


def expected(endpoint: str) -> dict[str, int]:
    return GROUP_ROUTE if endpoint in GROUP_ENDPOINTS else EXPECT[endpoint]


def test_every_route_is_in_the_matrix(app):
    found = {endpoint for endpoint, _, _ in dashboard_rules(app)}
    assert found == set(EXPECT) | GROUP_ENDPOINTS


def test_anonymous_is_sent_to_sign_in_everywhere(app, client, world):
    token = csrf_token(client.get("/").text)
    for endpoint, rule, methods in dashboard_rules(app):
        url = url_of(rule, world)
        for method in methods:
            response = client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code == 303, (endpoint, method, response.status_code)
            assert response.headers["Location"].startswith("/staff/login?next=")


@pytest.mark.parametrize("who", ["admin", "oa", "ob", "ta1", "ta2", "tb1"])
def test_get_access_matrix(app, client, world, who):
    sign_in(client, world[who])
    for endpoint, rule, methods in dashboard_rules(app):
        if "GET" not in methods:
            continue
        response = client.get(url_of(rule, world))
        assert response.status_code == expected(endpoint)[who], (endpoint, who, response.status_code)
        assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("who", ["ob", "ta2", "tb1"])
def test_posts_to_someone_elses_group_or_organisation_are_404_and_change_nothing(app, client, world, who):
    from app.extensions import db
    from app.groups.models import Assignment, Group, RosterEntry

    sign_in(client, world[who])
    token = csrf_token(client.get("/manage/").text)
    form = {"csrf_token": token, "edit-name": "改名", "edit-size": "9", "board-mode": "masked", "board-top_n": "5",
            "rs-required": "y", "quiz": "staff-training", "groups": str(world["a1"]["group_id"]),
            "opens_at": "2030-01-01T08:00", "closes_at": "2030-01-02T08:00", "rule": "first", "name": "新科室",
            "size": "10"}
    for endpoint, rule, methods in dashboard_rules(app):
        if "POST" not in methods or expected(endpoint)[who] != 404:
            continue
        response = client.post(url_of(rule, world), data=form)
        assert response.status_code == 404, (endpoint, who, response.status_code)
    with app.app_context():
        group = db.session.get(Group, world["a1"]["group_id"])
        assert (group.name, group.size, group.board_mode, group.roster_required) == ("内科", 30, "full", False)
        assert db.session.query(Assignment).count() == 0 and db.session.query(RosterEntry).count() == 0
        assert db.session.query(Group).filter_by(organisation_id=world["a1"]["org_id"]).count() == 2


def test_every_post_needs_a_csrf_token(app, client, world):
    sign_in(client, world["admin"])
    posts = [(endpoint, rule) for endpoint, rule, methods in dashboard_rules(app) if "POST" in methods]
    assert len(posts) >= 7
    for endpoint, rule in posts:
        url = url_of(rule, world)
        missing = client.post(url, data={"name": "x"})
        wrong = client.post(url, data={"name": "x", "csrf_token": "forged"})
        assert missing.status_code == 400 and wrong.status_code == 400, endpoint
        assert "页面已过期" in missing.text


def test_a_signed_out_session_no_longer_opens_the_dashboard(app, client, world):
    from app.auth.models import User
    from app.extensions import db

    sign_in(client, world["oa"])
    assert client.get("/manage/").status_code == 200
    with app.app_context():
        db.session.get(User, world["oa"].id).session_version += 1  # password change or sign-out everywhere
        db.session.commit()
    assert client.get("/manage/").status_code == 303
