"""The upload screen's form: the file, and how the quiz made from it is named and marked."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.bank.taxonomy import AUDIENCES
from app.bank.uploads import DEFAULT_COUNT, MAX_COUNT, TITLE_LIMIT


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("请填写一个整数，例如 60。") from None


class UploadForm(FlaskForm):
    file = FileField("题库文件（Excel .xlsx 或 GIFT .gift / .txt）",
                     validators=[FileRequired("请选择要上传的文件。")])
    title = StringField("测验名称", validators=[Optional(), Length(max=TITLE_LIMIT, message=f"测验名称最多 {TITLE_LIMIT} 个字。")])
    audience = SelectField("对象", choices=[SelectChoice("", "按题目自动判断"), *(SelectChoice(k, v) for k, v in AUDIENCES.items())], default="")
    pass_mark = WholeNumberField("及格线（答对百分之几）", default=60, validators=[
        InputRequired("请填写及格线，例如 60。"), NumberRange(0, 100, "及格线应在 0 到 100 之间。")])
    count = WholeNumberField("每次出几道题", default=DEFAULT_COUNT, validators=[
        InputRequired("请填写题数，例如 20。"), NumberRange(1, MAX_COUNT, f"题数应在 1 到 {MAX_COUNT} 之间。")])
