"""One form per screen of the live game."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField


class NewGameForm(FlaskForm):
    quiz = SelectField("测验", choices=[], validate_choice=False)
    top_n = RadioField("颁奖显示", choices={"3": "前 3 名", "1": "第 1 名", "5": "前 5 名", "10": "前 10 名"},
                       default="3", validate_choice=False)
    ranking = BooleanField("每题揭晓后可以看排名（前 5 名）")
    timer = RadioField("每题限时（只用于学生班级）",
                       choices={"": "不限时", "10": "10 秒", "20": "20 秒", "30": "30 秒", "60": "60 秒"},
                       default="", validate_choice=False)
    scoring = RadioField("计分方式", choices={"accuracy": "答对计分", "speed": "答对又快加分（只影响本场颁奖）"},
                         default="accuracy", validate_choice=False)


class JoinForm(FlaskForm):
    nickname = StringField("昵称")
    staff_no = StringField("工号")
    staff_name = StringField("姓名")


class AnswerForm(FlaskForm):
    n = IntegerField("题号")
    choices = SelectMultipleField("选项", choices=[], validate_choice=False)


class ActionForm(FlaskForm):
    action = HiddenField()
    version = IntegerField()
    back = HiddenField()  # "remote": come back to the phone remote


class PlayerForm(FlaskForm):
    nickname = StringField("新昵称")
    remove = HiddenField()
    back = HiddenField()


class LockForm(FlaskForm):
    locked = HiddenField()
