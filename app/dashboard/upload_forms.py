"""The upload screen's form: the file, and how the quiz made from it is named and marked."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs are 3.2's
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.bank.limits import MAX_QUESTIONS, MIN_QUESTIONS, PASS_MARK_DEFAULT, PASS_MARK_MAX, PASS_MARK_MIN
from app.bank.taxonomy import AUDIENCES
from app.dashboard.uploads import DEFAULT_COUNT, TITLE_LIMIT


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(f"请填写一个整数，例如 {PASS_MARK_DEFAULT}。") from None

    def number(self) -> int:
        """The number, once the form has validated (InputRequired refuses an empty field)."""
        if self.data is None:
            raise ValueError(f"{self.name} was read before the form validated")
        return self.data


class UploadForm(FlaskForm):
    file = FileField("题库文件（Excel .xlsx 或 GIFT .gift / .txt）",
                     validators=[FileRequired("请选择要上传的文件。")])
    title = StringField("测验名称", validators=[Optional(), Length(max=TITLE_LIMIT, message=f"测验名称最多 {TITLE_LIMIT} 个字。")])
    audience = SelectField("对象", choices=[SelectChoice("", "按题目自动判断"), *(SelectChoice(k, v) for k, v in AUDIENCES.items())], default="")
    pass_mark = WholeNumberField("及格线（答对百分之几）", default=PASS_MARK_DEFAULT,
                                 description=f"{PASS_MARK_MIN} 到 {PASS_MARK_MAX}，默认 {PASS_MARK_DEFAULT}。", validators=[
        InputRequired(f"请填写及格线，例如 {PASS_MARK_DEFAULT}。"),
        NumberRange(PASS_MARK_MIN, PASS_MARK_MAX, f"及格线应在 {PASS_MARK_MIN} 到 {PASS_MARK_MAX} 之间。")])
    count = WholeNumberField("每次出几道题", default=DEFAULT_COUNT,
                             description=f"{MIN_QUESTIONS} 到 {MAX_QUESTIONS}，默认 {DEFAULT_COUNT}；题目不够时全部出。", validators=[
        InputRequired("请填写题数，例如 20。"), NumberRange(MIN_QUESTIONS, MAX_QUESTIONS, f"题数应在 {MIN_QUESTIONS} 到 {MAX_QUESTIONS} 之间。")])
