"""Local time for people: pages, exports, assignment windows and "a day" use LOCAL_TIMEZONE.

Stored times are aware UTC; everything a person reads or types is in this one zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

BEIJING = "Asia/Shanghai"


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["LOCAL_TIMEZONE"])


def zone_label() -> str:
    """How pages name the zone: 北京时间 for China's one zone, else 当地时间."""
    return "北京时间" if current_app.config["LOCAL_TIMEZONE"] == BEIJING else "当地时间"


def to_local(when: datetime) -> datetime:
    return when.astimezone(local_zone())


def from_local(naive: datetime) -> datetime:
    """A wall-clock time a person typed (naive, in the local zone) as aware UTC."""
    return naive.replace(tzinfo=local_zone()).astimezone(UTC)


def local_day(when: datetime) -> date:
    return to_local(when).date()


def local_text(when: datetime | None, fmt: str, empty: str = "") -> str:
    """`when` in the local zone formatted with strftime's `fmt`, or `empty` for no time."""
    return empty if when is None else to_local(when).strftime(fmt)
