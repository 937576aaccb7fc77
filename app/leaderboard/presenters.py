"""Board rows as pages and the API show them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, SupportsFloat

from app.groups.rates import sign_share
from app.leaderboard.boards import ClassBoard
from app.leaderboard.ranking import UnitRow
from app.timezones import local_text


def local(when: datetime | None) -> str:
    return local_text(when, "%m-%d %H:%M")


def iso(when: datetime | None) -> str | None:
    return when.isoformat().replace("+00:00", "Z") if when else None


def duration(seconds: int) -> str:
    minutes, secs = divmod(max(seconds, 0), 60)
    return f"{minutes} 分 {secs} 秒" if minutes else f"{secs} 秒"


def percent(value: SupportsFloat) -> str:
    return f"{float(value) * 100:.0f}%"


def class_entries(board: ClassBoard) -> list[dict[str, Any]]:
    return [
        {"rank": rank, "nickname": name, "score": row.score, "total": row.total,
         "finished_at": iso(row.finished_at), "seconds": row.seconds}
        for rank, name, row in board.visible()
    ]


def unit_entry(rank: int, row: UnitRow) -> dict[str, Any]:
    return {
        "rank": rank,
        "id": row.unit_id,
        "name": row.name,
        "size": row.size,
        "participants": row.participants,
        # Plain float division gives the same value as float() of the row's exact Fractions.
        "participation_rate": round(row.counted / row.size, 4) if row.size > 0 else 0.0,
        "average_score": round(row.permille_sum / (row.participants * 1000) * 100, 1) if row.participants else 0.0,
        "completed_at": iso(row.completed_at),
        "pledges": row.pledges,
        "pledge_rate": round(sign_share(row.pledges, row.size), 4),
    }
