"""New passwords are checked against a maintained list of common passwords (ASVS V2.1.7), shipped as
data with its source and licence."""

from __future__ import annotations

import hashlib
import re

import pytest

from app.auth.passwords import COMMON_PASSWORDS, common_passwords, is_common, password_problem
from tests.auth.builders import make_org

README = COMMON_PASSWORDS.with_name("README.md")


@pytest.mark.parametrize("password", ["1234567890", "qwertyuiop", "password12", "QWERTYUIOP", " 1qaz2wsx3edc ",
                                      "iloveyou12", "1q2w3e4r5t"])
def test_the_common_passwords_of_the_issue_are_refused(password):
    assert is_common(password)
    assert "最常见的密码" in password_problem(password)


@pytest.mark.parametrize("password", ["correct horse battery", "王老师的反诈课堂2026", "a long pass phrase"])
def test_uncommon_passwords_pass(password):
    assert password_problem(password) is None


def test_the_list_is_the_pinned_file_with_its_source_and_licence():
    text = README.read_text(encoding="utf-8")
    digest = re.search(r"sha256 \| `([0-9a-f]{64})`", text).group(1)
    assert hashlib.sha256(COMMON_PASSWORDS.read_bytes()).hexdigest() == digest
    assert "Django" in text and "BSD 3-Clause" in text
    assert COMMON_PASSWORDS.with_name("LICENSE.django").read_text(encoding="utf-8").startswith("Copyright (c) Django")
    words = common_passwords()
    assert len(words) > 19_000 and all(word == word.lower() for word in words)


def test_creating_an_account_with_a_common_password_is_refused(app):
    from app.auth.errors import AccountError
    from app.auth.services import create_user

    with app.app_context(), pytest.raises(AccountError) as caught:
        create_user("head@school.cn", "password12", "password12", "admin")
    assert caught.value.field == "password" and "最常见的密码" in caught.value.message


def test_the_accounts_page_and_the_password_page_refuse_a_common_password(app, client):
    from tests.auth.builders import login, token_of
    from tests.factories import PASSWORD, UserFactory

    org_id = make_org(app)
    UserFactory(email="organiser@school.cn", role="organiser", organisation_id=org_id)
    login(client, email="organiser@school.cn")
    created = client.post("/staff/users", data={"csrf_token": token_of(client, "/staff/users"), "email": "t@school.cn",
                                                "role": "teacher", "organisation": str(org_id),
                                                "password": "qwertyuiop", "confirm": "qwertyuiop"})
    assert created.status_code == 422 and "最常见的密码" in created.text
    changed = client.post("/staff/password", data={"csrf_token": token_of(client), "current": PASSWORD,
                                                   "new": "1234567890", "confirm": "1234567890"})
    assert changed.status_code == 422 and "最常见的密码" in changed.text


def test_the_command_line_refuses_a_common_password(app):
    org_id = make_org(app)
    result = app.test_cli_runner().invoke(args=["user", "create", "--email", "t@school.cn", "--role", "teacher",
                                                "--org", str(org_id)], input="password12\npassword12\n")
    assert result.exit_code == 1 and "最常见的密码" in result.output
