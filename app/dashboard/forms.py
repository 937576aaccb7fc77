"""One form per management screen. Fields only carry input: the rules (and their Chinese messages)
live in app.dashboard.services, so a form never shows wtforms' English defaults. Choices that depend
on the organisation are filled in by the view as SelectChoice lists."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField

from app.groups.kinds import labels
from app.groups.models import BOARD_MODES, RULES


class OrganisationForm(FlaskForm):
    name = StringField("单位名称")
    kind = SelectField("单位类型", choices=labels(), validate_choice=False)
    campaign = SelectField("所属活动（选填）", choices=[], validate_choice=False)


class CampaignForm(FlaskForm):
    name = StringField("活动名称")


class GroupForm(FlaskForm):
    name = StringField("名称")
    size = StringField("应到人数")
    quiz = SelectField("平时练习的测验", choices=[], validate_choice=False)
    teacher = SelectField("负责的老师", choices=[], validate_choice=False)


class GroupEditForm(FlaskForm):
    name = StringField("名称")
    size = StringField("应到人数")


class BoardForm(FlaskForm):
    mode = RadioField("排行榜怎么显示", choices=dict(BOARD_MODES), validate_choice=False)
    top_n = StringField("只显示前几名时，显示几名（3 到 50）")


class RosterUploadForm(FlaskForm):
    file = FileField("名单文件（Excel .xlsx）")


class RosterSettingsForm(FlaskForm):
    required = BooleanField("加入时必须核对工号和姓名")


class AssignmentForm(FlaskForm):
    quiz = SelectField("测验", choices=[], validate_choice=False)
    groups = SelectMultipleField("布置给", choices=[], validate_choice=False)
    opens_at = StringField("开始时间")
    closes_at = StringField("截止时间")
    rule = RadioField("计分规则", choices=dict(RULES), default="first", validate_choice=False)
    tries_per_day = StringField("每天最多计分几次（1 到 20）", default="3")
