from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class CareForm(FlaskForm):
    """The 长辈版 switch: a bare POST button that still carries a CSRF token."""

    next = HiddenField()
