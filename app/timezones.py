"""Local time for people: pages, exports, assignment windows and "a day" use LOCAL_TIMEZONE."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["LOCAL_TIMEZONE"])


def to_local(when: datetime) -> datetime:
    return when.astimezone(local_zone())


def local_day(when: datetime) -> date:
    return to_local(when).date()
