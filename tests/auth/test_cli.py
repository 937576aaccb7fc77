"""`flask user create`: the password asked twice, plain-words errors with exit 1, the id last."""

from __future__ import annotations

from tests.auth.builders import get_user, make_org
from tests.factories import UserFactory

PW = "cli pass phrase 1"


def test_creates_a_teacher_and_prints_the_id_last(app, runner):
    org_id = make_org(app)
    result = runner.invoke(args=["user", "create", "--email", "Li@School.cn", "--role", "teacher",
                                 "--org", str(org_id), "--name", "李老师"], input=f"{PW}\n{PW}\n")
    assert result.exit_code == 0, result.output
    user = get_user(app, email="li@school.cn")
    assert result.output.strip().splitlines()[-1] == str(user.id)
    assert user.role == "teacher" and user.organisation_id == org_id and user.display_name == "李老师"
    assert user.password_hash.startswith(f"pbkdf2:sha256:{app.config['PASSWORD_HASH_ITERATIONS']}$") and PW not in result.output


def test_admin_needs_no_organisation(app, runner):
    result = runner.invoke(args=["user", "create", "--email", "root@x.cn", "--role", "admin"], input=f"{PW}\n{PW}\n")
    assert result.exit_code == 0, result.output
    assert get_user(app, email="root@x.cn").organisation_id is None


def test_passwords_that_differ_are_asked_again(app, runner):
    """click's confirmation prompt: a mismatch says so and asks for both again; nothing is stored
    from the mismatched pair."""
    result = runner.invoke(args=["user", "create", "--email", "root@x.cn", "--role", "admin"],
                           input=f"first pass phrase\nsomething else\n{PW}\n{PW}\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert result.output.count("Repeat password / 再输一次密码") == 2
    from app.auth.passwords import check_password

    stored = get_user(app, email="root@x.cn").password_hash
    assert check_password(stored, PW) and not check_password(stored, "first pass phrase")


def test_weak_password_is_refused(app, runner):
    result = runner.invoke(args=["user", "create", "--email", "root@x.cn", "--role", "admin"], input="short\nshort\n")
    assert result.exit_code == 1 and "密码至少 10 位" in result.output
    assert get_user(app, email="root@x.cn") is None


def test_duplicate_email_is_refused_before_asking_for_a_password(app, runner):
    UserFactory(email="root@x.cn", role="admin")
    result = runner.invoke(args=["user", "create", "--email", "ROOT@x.cn", "--role", "admin"])
    assert result.exit_code == 1
    assert "已经有账号" in result.output and "duplicate_email" in result.output
    assert "Password" not in result.output


def test_unknown_org_bad_role_and_missing_org(app, runner):
    unknown = runner.invoke(args=["user", "create", "--email", "a@x.cn", "--role", "teacher", "--org", "999999"])
    assert unknown.exit_code == 1 and "没有编号为 999999 的单位" in unknown.output and "unknown organisation" in unknown.output
    bad_role = runner.invoke(args=["user", "create", "--email", "a@x.cn", "--role", "root"])
    assert bad_role.exit_code == 1 and "unknown role" in bad_role.output
    for role in ("teacher", "organiser"):
        missing = runner.invoke(args=["user", "create", "--email", "a@x.cn", "--role", role])
        assert missing.exit_code == 1 and "--org" in missing.output
    bad_email = runner.invoke(args=["user", "create", "--email", "nope", "--role", "admin"])
    assert bad_email.exit_code == 1 and "正确的邮箱" in bad_email.output
    assert get_user(app, email="a@x.cn") is None
