"""Every page and API route has its number of SQL statements pinned (Warehouse-style), so a view or
template that starts querying, or a page whose queries grow, fails here. A new GET route fails
`test_every_get_route_is_pinned` until it is added to PINS.

The world: a school class with a finished, passed attempt (certificate, pledge, family link) played
by this browser; a hospital unit; a campaign; an admin signed in for the staff pages. Counts are
taken on the second request of each URL, once per-worker caches (question versions, audio, boards)
are warm, as a phone or projector meets them; board caches are switched off so boards are counted.
"""

from __future__ import annotations

import pytest

from tests.factories import (
    AttemptFactory,
    CampaignFactory,
    GroupFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.helpers import bearer, csrf_token, sign_in

# endpoint -> statements on a warm worker. Lower is welcome: lower the pin with the change.
PINS: dict[str, int] = {
    "main.home": 0,
    "main.track": 1,
    "main.join": 1,
    "quiz.play": 1,
    "quiz.question": 2,
    "quiz.result": 8,
    "records.pledge": 3,
    "records.certificate": 1,
    "records.verify": 1,
    "records.family_page": 2,
    "boards.group_page": 6,
    "boards.organisation_page": 3,
    "boards.campaign_page": 2,
    "api.openapi": 0,
    "api.quizzes": 1,
    "api.status": 1,
    "api.question": 1,
    "api.group_leaderboard": 1,
    "api.organisation_leaderboard": 1,
    "api.campaign_leaderboard": 1,
    "tts.audio": 0,
    "static.file": 0,
    "health.healthz": 1,
    "auth.login": 0,
    "auth.signed_out": 0,
    "auth.password": 1,
    "auth.password_changed": 1,
    "auth.users": 3,
    "dashboard.home": 6,
    "dashboard.new_campaign": 1,
    "dashboard.new_organisation": 2,
    "dashboard.new_group": 5,
    "dashboard.group": 5,
    "dashboard.project": 3,
    "dashboard.group_qr": 2,
    "dashboard.roster_template": 4,
    "dashboard.assignments": 8,
    "dashboard.org_quizzes": 5,
    "dashboard.quiz_template": 1,
    "reports.group": 10,
    "reports.group_print": 10,
    "reports.group_export": 9,
    "reports.group_pledges": 5,
    "reports.group_certificates": 5,
    "reports.organisation": 4,
    "reports.organisation_export": 4,
    "live.enter": 1,
    "live.phone": 4,
    "live.new": 5,
    "live.host": 7,
    "live.remote": 7,
    "live.qr": 3,
    "live.report": 7,
    "live.report_xlsx_file": 7,
    "api.live_state": 1,
    "api.live_events": 1,
    "api.live_me": 4,
}


# Routes whose normal answer is not a 200 page.
EXPECTED_STATUS = {"main.join": 303, "tts.audio": 404}  # the class page; no clips are made in tests


@pytest.fixture()
def world(app, client):
    """Plain values for building every URL; the client is this learner's browser, then an admin's."""
    campaign = CampaignFactory()
    school = OrganisationFactory(kind="school", campaign_id=campaign.id)
    group = GroupFactory(organisation=school)
    hospital = OrganisationFactory(kind="hospital", name="县人民医院", campaign_id=campaign.id)
    unit = GroupFactory(organisation=hospital)
    api_attempt = AttemptFactory(group=group, finished=False, answered=1)

    # This browser plays through the pages, so the attempt's pages are its own.
    page = client.get(f"/g/{group.join_code}")
    started = client.post(f"/g/{group.join_code}", data={"csrf_token": csrf_token(page.text), "nickname": "小明"})
    attempt_id = started.headers["Location"].split("/")[2]
    from tests.helpers import correct_labels_via_db

    n = 1
    while True:
        q = client.get(f"/a/{attempt_id}/{n}")
        if q.status_code != 200 or "name=\"choices\"" not in q.text:
            break
        client.post(f"/a/{attempt_id}/{n}", data={"csrf_token": csrf_token(q.text),
                                                   "choices": correct_labels_via_db(app, attempt_id, n)})
        n += 1
    last = client.get(f"/a/{attempt_id}/{n - 1}")
    client.post(f"/a/{attempt_id}/finish", data={"csrf_token": csrf_token(last.text)})
    result = client.get(f"/a/{attempt_id}/result")
    cert = client.post(f"/a/{attempt_id}/certificate", data={"csrf_token": csrf_token(result.text)})
    certificate_code = cert.headers["Location"].rsplit("/", 1)[1]
    pledge_page = client.get(f"/a/{attempt_id}/pledge")
    client.post(f"/a/{attempt_id}/pledge", data={"csrf_token": csrf_token(pledge_page.text), "signer": "小明"})
    family = client.post(f"/a/{attempt_id}/family", data={"csrf_token": csrf_token(result.text)})
    family_token = family.headers["Location"].rsplit("/", 1)[1]
    admin = UserFactory(role="admin")
    live = _live_game(app, client, group)
    return {
        **live,
        "campaign": campaign.id, "school": school.id, "group": group.id, "code": group.join_code,
        "hospital": hospital.id, "unit": unit.id, "attempt": attempt_id, "certificate": certificate_code,
        "family": family_token, "api_attempt": api_attempt.id, "token": api_attempt.token, "admin": admin,
    }


def _live_game(app, client, group) -> dict:
    """A live game of the class at its first reveal: this browser and one API phone play it."""
    from tests.live.api_helpers import api_join, host_act, host_client, right_via_db
    from tests.live.builders import new_game

    app.config["LIVE_STREAM_SECONDS"] = 0
    teacher = UserFactory(role="teacher", organisation_id=group.organisation_id)
    from app.extensions import db
    from app.groups.models import Group

    with app.app_context():
        db.session.get(Group, group.id).teacher_id = teacher.id
        db.session.commit()
        game = new_game(group, teacher, "student-basics")
        game_id, pin = game.id, game.pin
        db.session.remove()
    page = client.get(f"/live/{pin}")
    client.post(f"/live/{pin}", data={"csrf_token": csrf_token(page.text), "nickname": "小明"})
    phone = api_join(app.test_client(), pin, "小红")
    host, token = host_client(app, teacher)
    host_act(host, token, game_id, "start", phone["version"])
    question = client.get(f"/live/{pin}")
    client.post(f"/live/{pin}/answer", data={"csrf_token": csrf_token(question.text), "n": 1,
                                             "choices": right_via_db(app, game_id, 1)})
    host_act(host, token, game_id, "reveal", app.test_client().get(f"/api/v1/live/{pin}").json["version"])
    return {"live_game": game_id, "live_pin": pin, "live_token": phone["token"]}


def _urls(w: dict) -> dict[str, tuple[str, dict[str, str], bool]]:
    """endpoint -> (url, headers, needs the admin signed in)."""
    api = bearer(w["token"])
    learner: dict[str, str] = {}
    return {
        "main.home": ("/", learner, False),
        "main.track": ("/track/elder", learner, False),
        "main.join": (f"/join?code={w['code']}", learner, False),
        "quiz.play": ("/play/elder-listen", learner, False),
        "quiz.question": (f"/a/{w['attempt']}/1", learner, False),
        "quiz.result": (f"/a/{w['attempt']}/result", learner, False),
        "records.pledge": (f"/a/{w['attempt']}/pledge", learner, False),
        "records.certificate": (f"/certificates/{w['certificate']}", learner, False),
        "records.verify": (f"/v/{w['certificate']}", learner, False),
        "records.family_page": (f"/f/{w['family']}", learner, False),
        "boards.group_page": (f"/g/{w['code']}", learner, False),
        "boards.organisation_page": (f"/o/{w['school']}", learner, False),
        "boards.campaign_page": (f"/c/{w['campaign']}", learner, False),
        "api.openapi": ("/api/openapi.json", learner, False),
        "api.quizzes": ("/api/v1/quizzes", learner, False),
        "api.status": (f"/api/v1/attempts/{w['api_attempt']}", api, False),
        "api.question": (f"/api/v1/attempts/{w['api_attempt']}/questions/1", api, False),
        "api.group_leaderboard": (f"/api/v1/groups/{w['code']}/leaderboard", learner, False),
        "api.organisation_leaderboard": (f"/api/v1/organisations/{w['school']}/leaderboard", learner, False),
        "api.campaign_leaderboard": (f"/api/v1/campaigns/{w['campaign']}/leaderboard", learner, False),
        "tts.audio": ("/audio/" + "0" * 64 + ".mp3", learner, False),
        "static.file": (None, learner, False),  # filled in below from a page's stylesheet link
        "health.healthz": ("/healthz", learner, False),
        "auth.login": ("/staff/login", learner, False),
        "auth.signed_out": ("/staff/signed-out", learner, False),
        "auth.password": ("/staff/password", learner, True),
        "auth.password_changed": ("/staff/password/changed", learner, True),
        "auth.users": ("/staff/users", learner, True),
        "dashboard.home": ("/manage/", learner, True),
        "dashboard.new_campaign": ("/manage/campaigns/new", learner, True),
        "dashboard.new_organisation": ("/manage/organisations/new", learner, True),
        "dashboard.new_group": (f"/manage/organisations/{w['hospital']}/groups/new", learner, True),
        "dashboard.group": (f"/manage/groups/{w['group']}", learner, True),
        "dashboard.project": (f"/manage/groups/{w['group']}/project", learner, True),
        "dashboard.group_qr": (f"/manage/groups/{w['group']}/qr.svg", learner, True),
        "dashboard.roster_template": (f"/manage/groups/{w['unit']}/roster.xlsx", learner, True),
        "dashboard.assignments": (f"/manage/organisations/{w['school']}/assignments", learner, True),
        "dashboard.org_quizzes": (f"/manage/organisations/{w['school']}/quizzes", learner, True),
        "dashboard.quiz_template": ("/manage/quizzes/template.xlsx", learner, True),
        "reports.group": (f"/reports/groups/{w['group']}", learner, True),
        "reports.group_print": (f"/reports/groups/{w['group']}/print", learner, True),
        "reports.group_export": (f"/reports/groups/{w['group']}/export.csv", learner, True),
        "reports.group_pledges": (f"/reports/groups/{w['group']}/pledges.csv", learner, True),
        "reports.group_certificates": (f"/reports/groups/{w['group']}/certificates", learner, True),
        "reports.organisation": (f"/reports/organisations/{w['school']}", learner, True),
        "reports.organisation_export": (f"/reports/organisations/{w['school']}/export.csv", learner, True),
        "live.enter": ("/live", learner, False),
        "live.phone": (f"/live/{w['live_pin']}", learner, False),
        "live.new": (f"/live/host/new?group={w['group']}", learner, True),
        "live.host": (f"/live/host/{w['live_game']}", learner, True),
        "live.remote": (f"/live/host/{w['live_game']}/remote", learner, True),
        "live.qr": (f"/live/host/{w['live_game']}/qr.svg", learner, True),
        "live.report": (f"/live/host/{w['live_game']}/report", learner, True),
        "live.report_xlsx_file": (f"/live/host/{w['live_game']}/report.xlsx", learner, True),
        "api.live_state": (f"/api/v1/live/{w['live_pin']}", learner, False),
        "api.live_events": (f"/api/v1/live/{w['live_pin']}/events", learner, False),
        "api.live_me": (f"/api/v1/live/{w['live_pin']}/me", bearer(w["live_token"]), False),
    }


def test_every_get_route_is_pinned(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert endpoints == set(PINS), "pin the query count of every GET route (and drop pins of removed ones)"


def test_every_route_runs_its_pinned_number_of_queries(app, client, world, query_recorder):
    app.config["BOARD_CACHE_SECONDS"] = 0
    app.extensions["board_cache"].seconds = 0
    urls = _urls(world)
    with client.get("/") as home:
            stylesheet = home.text.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    urls["static.file"] = (stylesheet, {}, False)
    counts: dict[str, int] = {}
    signed_in = False
    for endpoint in PINS:
        url, headers, staff = urls[endpoint]
        if staff and not signed_in:
            sign_in(client, world["admin"])
            signed_in = True
        with client.get(url, headers=headers) as first:  # a file response is closed after reading
            assert first.status_code == EXPECTED_STATUS.get(endpoint, 200), (endpoint, first.status_code)
        with query_recorder, client.get(url, headers=headers) as again:
            assert again.status_code == first.status_code, endpoint
        counts[endpoint] = len(query_recorder)
    assert counts == PINS
