from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class CareForm(FlaskForm):
    """The 长辈版 switch: a bare POST button that still carries a CSRF token."""

    next = HiddenField()


class VoiceForm(FlaskForm):
    """普通话 or 粤语 for everything read aloud; one submit button per language."""

    lang = HiddenField()
    next = HiddenField()
