"""One form per screen. The rules live in app.auth.services; these only carry the values and CSRF."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField


class LoginForm(FlaskForm):
    email = EmailField("邮箱")
    password = PasswordField("密码")
    next = HiddenField()


class PasswordForm(FlaskForm):
    current = PasswordField("当前密码")
    new = PasswordField("新密码")
    confirm = PasswordField("再输一次新密码")


class UserForm(FlaskForm):
    email = EmailField("邮箱（用来登录）")
    display_name = StringField("姓名（选填，显示在页面上）")
    # Choices depend on who is creating; the service decides what is allowed (403 otherwise).
    role = SelectField("角色", choices=[], validate_choice=False)
    organisation = SelectField("所属单位", choices=[], validate_choice=False)
    password = PasswordField("初始密码")
    confirm = PasswordField("再输一次初始密码")


class LogoutForm(FlaskForm):
    """The 退出登录 button: a bare POST that still carries a CSRF token."""
