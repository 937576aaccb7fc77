from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField


class JoinForm(FlaskForm):
    """Join a group: a nickname, and for a unit that keeps a staff roster, who you are."""

    nickname = StringField("昵称")
    staff_no = StringField("工号")
    staff_name = StringField("姓名")
