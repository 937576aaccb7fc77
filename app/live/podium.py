"""Places in a game, as pure functions: by items right (accuracy, the default) or, when the host
chose speed points for a student class, by points then items right. Equal players share a place
(1, 1, 3) and are all shown; the top N setting counts places, so a tie for third shows everyone tied.
Speed points change only this game's podium: the class board keeps counting items right."""

from __future__ import annotations

from dataclasses import dataclass

from app.leaderboard.ranking import competition_ranks


@dataclass(frozen=True)
class Standing:
    player_id: int
    nickname: str
    score: int  # items right among the revealed questions
    points: int  # speed points (0 in accuracy scoring)


def places(rows: list[Standing], scoring: str, top_n: int | None = None) -> list[tuple[int, Standing]]:
    """Rows with their shared places, best first; with top_n only places 1 … top_n. Within a place
    rows are listed by nickname: never by who was faster, which the place already says or ignores."""

    def key(row: Standing) -> tuple[int, int]:
        return (row.points, row.score) if scoring == "speed" else (row.score, 0)

    ordered = sorted(rows, key=lambda r: (tuple(-k for k in key(r)), r.nickname, r.player_id))
    ranked = competition_ranks(ordered, key)
    return [(place, row) for place, row in ranked if top_n is None or place <= top_n]
