"""The kinds of organisation (app.groups.kinds): one record per kind, and pages that speak its words.
A hospital 科室's pages never say 班级码, 班级页 or 学生; a school's say 班级码 and 班级页."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.groups.kinds import KINDS, kind_of
from tests.factories import UserFactory
from tests.helpers import make_group, sign_in

SCHOOL_WORDS = ("班级码", "班级页", "学生")


def test_every_kind_has_its_own_words_and_a_shipped_quiz(app, db):
    from app.bank.models import Quiz
    from app.bank.taxonomy import AUDIENCES

    assert list(KINDS) == ["school", "hospital", "community", "agency"]
    for key, kind in KINDS.items():
        assert kind.key == key and kind.code == kind.group + "码" and kind.page == kind.group + "页"
        assert kind.audience in AUDIENCES
        quiz = db.session.get(Quiz, kind.default_quiz)
        assert quiz is not None and kind.audience == quiz.audience
    assert [k for k, kind in KINDS.items() if kind.minors] == ["school"]
    assert kind_of("hospital").code == "科室码" and kind_of("unknown").code not in ("班级码", "科室码")


def test_a_new_group_plays_its_kinds_quiz(app, db):
    from app.groups import services

    for key, kind in KINDS.items():
        org = services.create_organisation(f"单位{key}", key)
        assert services.create_group(org, "一组", 10).quiz_id == kind.default_quiz
        assert org.words is kind


def test_only_known_kinds_are_created(app, db):
    from app.groups import services
    from app.groups.errors import GroupError

    with pytest.raises(GroupError, match="学校、医院、社区、机关单位"):
        services.create_organisation("某单位", "factory")


def _pages(app, kind: str, org_name: str, group_name: str) -> tuple[dict[str, str], dict[str, str]]:
    """Every page about one group and its organisation, as its organiser sees them: {url: html}.
    The second dict holds pages that also list the bank's audiences (学生、长辈、职工) as choices."""
    from app.database import utcnow
    from app.extensions import db
    from app.groups import services
    from app.groups.models import Group

    made = make_group(app, group_name, 30, kind=kind, org_name=org_name)
    organiser = UserFactory(role="organiser", organisation_id=made["org_id"])
    with app.app_context():
        try:
            group = db.session.get(Group, made["group_id"])
            org = services.get_organisation(made["org_id"])
            now = utcnow()
            services.create_assignment(org, group.quiz_id, [group], now - timedelta(hours=1), now + timedelta(days=1))
        finally:
            db.session.remove()
    client = app.test_client()
    sign_in(client, organiser)
    gid, oid, code = made["group_id"], made["org_id"], made["join_code"]
    urls = [f"/g/{code}", f"/o/{oid}", "/manage/", f"/manage/groups/{gid}", f"/manage/groups/{gid}/project",
            f"/manage/organisations/{oid}/groups/new", f"/manage/organisations/{oid}/assignments",
            f"/reports/groups/{gid}", f"/reports/groups/{gid}?view=projector", f"/reports/groups/{gid}/print",
            f"/reports/groups/{gid}/certificates", f"/reports/organisations/{oid}"]
    pages, with_audiences = {}, {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.text
    response = client.get(f"/manage/organisations/{oid}/quizzes")
    assert response.status_code == 200
    with_audiences["quizzes"] = response.text
    return pages, with_audiences


def test_a_hospital_never_speaks_of_classes_or_pupils(app):
    pages, with_audiences = _pages(app, "hospital", "县人民医院", "内科")
    for url, html in pages.items():
        said = [word for word in SCHOOL_WORDS if word in html]
        assert not said, f"{url} says {said}"
    for html in with_audiences.values():
        assert "班级码" not in html and "班级页" not in html
    assert "科室码" in pages["/manage/"] and "科室页" in pages["/manage/"]
    group_page = next(html for url, html in pages.items() if url.startswith("/g/"))
    assert "科室码" in group_page and "个家庭参与" not in group_page
    assert "科室码" in pages[next(u for u in pages if u.endswith("/project"))]


def test_a_school_speaks_of_classes(app):
    pages, _ = _pages(app, "school", "城关中学", "初一（3）班")
    group_page = next(html for url, html in pages.items() if url.startswith("/g/"))
    assert "班级码" in group_page and "个家庭参与" in group_page
    assert "班级码" in pages["/manage/"] and "班级页" in pages["/manage/"]
    manage = next(html for url, html in pages.items() if url.startswith("/manage/groups/") and url[-1].isdigit())
    assert "班级码" in manage and "班级页" in manage and "学生是未成年人" in manage
    assert "班级码" in pages[next(u for u in pages if u.endswith("/project"))]
