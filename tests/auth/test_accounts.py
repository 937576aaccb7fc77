"""Who may create which account: the access matrix of /staff/users."""

from __future__ import annotations

import pytest

from tests.auth.builders import get_user, login, make_org, token_of
from tests.factories import UserFactory

PW = "initial pass phrase"


@pytest.fixture()
def world(app):
    school = make_org(app, "城关中学", "school")
    hospital = make_org(app, "县人民医院", "hospital")
    ids = {
        "admin": UserFactory(email="admin@x.cn", role="admin").id,
        "organiser": UserFactory(email="org@school.cn", role="organiser", organisation_id=school).id,
        "teacher": UserFactory(email="teacher@school.cn", role="teacher", organisation_id=school).id,
        "nurse": UserFactory(email="head@hospital.cn", role="teacher", organisation_id=hospital).id,
    }
    return {"school": school, "hospital": hospital, **ids}


def _as(app, email):
    client = app.test_client()
    assert login(client, email=email).status_code == 303
    return client


def _create(client, email="new@school.cn", role="teacher", org="", password=PW, confirm=None, name="王老师"):
    return client.post("/staff/users", data={
        "csrf_token": token_of(client, "/"), "email": email, "display_name": name, "role": role,
        "organisation": str(org), "password": password, "confirm": password if confirm is None else confirm,
    })


def test_anonymous_is_sent_to_login(client):
    response = client.get("/staff/users")
    assert response.status_code == 303 and response.headers["Location"].startswith("/staff/login?next=/staff/users")


def test_teachers_get_403(app, world):
    teacher = _as(app, "teacher@school.cn")
    page = teacher.get("/staff/users")
    assert page.status_code == 403 and "无权访问" in page.text
    assert _create(teacher, org=world["school"]).status_code == 403
    assert get_user(app, email="new@school.cn") is None


def test_organiser_creates_teachers_of_their_own_organisation(app, world):
    organiser = _as(app, "org@school.cn")
    page = organiser.get("/staff/users")
    assert page.status_code == 200
    # Only their organisation's people are listed; only the teacher role and their school are offered.
    assert "teacher@school.cn" in page.text and "head@hospital.cn" not in page.text and "admin@x.cn" not in page.text
    assert 'value="teacher"' in page.text and 'value="admin"' not in page.text and 'value="organiser"' not in page.text
    assert "县人民医院" not in page.text

    response = _create(organiser, email="New@School.cn", org=world["school"])
    assert response.status_code == 303 and response.headers["Location"].startswith("/staff/users?created=")
    created = get_user(app, email="new@school.cn")
    assert created.role == "teacher" and created.organisation_id == world["school"] and created.display_name == "王老师"
    assert created.password_hash.startswith(f"pbkdf2:sha256:{app.config['PASSWORD_HASH_ITERATIONS']}$") and PW not in created.password_hash
    assert "已创建账号 new@school.cn" in organiser.get(response.headers["Location"]).text
    assert login(app.test_client(), email="new@school.cn", password=PW).status_code == 303


@pytest.mark.parametrize(("role", "org_key"), [("admin", None), ("organiser", "school"), ("teacher", "hospital"),
                                               ("admin", "school")])
def test_organiser_may_not_create_admins_organisers_or_other_organisations_accounts(app, world, role, org_key):
    organiser = _as(app, "org@school.cn")
    response = _create(organiser, role=role, org=world[org_key] if org_key else "")
    assert response.status_code == 403 and "无权访问" in response.text
    assert get_user(app, email="new@school.cn") is None


def test_organiser_must_pick_an_organisation(app, world):
    organiser = _as(app, "org@school.cn")
    response = _create(organiser, org="")
    assert response.status_code == 422 and "要选所属单位" in response.text


@pytest.mark.parametrize(("role", "org_key"), [("admin", None), ("organiser", "hospital"), ("teacher", "school"),
                                               ("admin", "hospital")])
def test_admin_creates_any_role_in_any_organisation(app, world, role, org_key):
    admin = _as(app, "admin@x.cn")
    page = admin.get("/staff/users")
    assert page.status_code == 200 and "head@hospital.cn" in page.text and "teacher@school.cn" in page.text
    response = _create(admin, email=f"{role}2@x.cn", role=role, org=world[org_key] if org_key else "")
    assert response.status_code == 303
    created = get_user(app, email=f"{role}2@x.cn")
    assert created.role == role and created.organisation_id == (world[org_key] if org_key else None)


def test_form_problems_come_back_on_the_field(app, world):
    admin = _as(app, "admin@x.cn")
    duplicate = _create(admin, email="TEACHER@school.cn", org=world["school"])
    assert duplicate.status_code == 409 and "已经有账号" in duplicate.text
    assert 'aria-describedby="email-error"' in duplicate.text
    mismatch = _create(admin, org=world["school"], confirm="something else here")
    assert mismatch.status_code == 422 and 'id="confirm-error"' in mismatch.text
    weak = _create(admin, org=world["school"], password="short")
    assert weak.status_code == 422 and "密码至少 10 位" in weak.text
    bad_email = _create(admin, email="not-an-email", org=world["school"])
    assert bad_email.status_code == 422 and "正确的邮箱" in bad_email.text
    bad_role = _create(admin, role="superuser", org=world["school"])
    assert bad_role.status_code == 422 and 'id="role-error"' in bad_role.text
    unknown_org = _create(admin, org="999999")
    assert unknown_org.status_code == 422 and "没有编号为 999999 的单位" in unknown_org.text
    junk_org = _create(admin, org="abc")
    assert junk_org.status_code == 422
    long_name = _create(admin, org=world["school"], name="名" * 41)
    assert long_name.status_code == 422 and 'id="display_name-error"' in long_name.text
    assert get_user(app, email="new@school.cn") is None
    assert PW not in weak.text and PW not in mismatch.text  # passwords are never echoed back


def test_users_page_markup(app, world):
    admin = _as(app, "admin@x.cn")
    page = admin.get("/staff/users")
    for name in ("email", "display_name", "role", "organisation", "password", "confirm"):
        assert f'<label for="{name}">' in page.text
    assert page.text.count('autocomplete="new-password"') == 2


@pytest.mark.parametrize("junk", ["a\x00@x.cn", "\x00", "x" * 5000 + "@x.cn", "a@x\u202e.cn", "' OR 1=1 --"])
def test_junk_in_every_field_is_a_4xx_never_a_500(app, client, world, junk):
    token = token_of(client, "/")
    response = client.post("/staff/login", data={"csrf_token": token, "email": junk, "password": junk})
    assert response.status_code == 401
    admin = _as(app, "admin@x.cn")
    for field in ("email", "display_name", "role", "organisation", "password"):
        data = {"email": "fine@x.cn", "display_name": "", "role": "teacher", "organisation": str(world["school"]),
                "password": PW, "confirm": PW, field: junk}
        if field == "password":
            data["confirm"] = junk
        response = admin.post("/staff/users", data={"csrf_token": token_of(admin, "/"), **data})
        assert 400 <= response.status_code < 500 or response.status_code == 303, (field, response.status_code)
