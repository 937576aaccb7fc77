"""One form per screen: signing the pledge, starting the family quiz."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField


class PledgeForm(FlaskForm):
    signer = StringField("签名：写下你的名字")
    signature = HiddenField()  # the drawn path (static/js/signature.js); checked by app.records.signature


class FamilyStartForm(FlaskForm):
    nickname = StringField("怎么称呼您？")
