from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField


class StartForm(FlaskForm):
    nickname = StringField("昵称")
    join_code = StringField("班级码（选填）")


class AnswerForm(FlaskForm):
    # Options are drawn per attempt; the service checks the labels, so no fixed choice list here.
    choices = SelectMultipleField("选项", choices=[], validate_choice=False)


class EmptyForm(FlaskForm):
    """A bare POST button (finish, try again) that still carries a CSRF token."""
