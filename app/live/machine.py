"""The game's states and host actions, as a pure function (the services store what it returns).

    lobby → question(1) → reveal(1) → [ranking(1)] → question(2) … → reveal(N) → [ranking(N)] → podium → ended

plus `paused` beside any state before the podium (answers wait; only 继续 and 结束 work), and 结束
from anywhere. No action skips a question: `next` moves one position, and only after a reveal.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.live.errors import NotAllowedNow

ACTIONS = ("start", "reveal", "rank", "next", "pause", "resume", "end")
LABELS = {"start": "开始", "reveal": "揭晓答案", "rank": "看排名", "next": "下一题", "pause": "暂停",
          "resume": "继续", "end": "结束本场"}
PAUSABLE = ("lobby", "question", "reveal", "ranking")


@dataclass(frozen=True)
class Phase:
    state: str
    position: int
    paused: bool = False


def after(phase: Phase, action: str, question_count: int, players: int) -> Phase:
    """The phase `action` leads to from `phase`; NotAllowedNow (409) when it does not apply now."""
    state, n = phase.state, phase.position
    if state == "ended":
        raise NotAllowedNow("本场已经结束。")
    if action == "end":
        return Phase("ended", n)
    if phase.paused:
        if action == "resume":
            return Phase(state, n)
        raise NotAllowedNow("本场已暂停，请先点“继续”。")
    if action == "resume":
        raise NotAllowedNow("本场没有暂停。")
    if action == "pause":
        if state not in PAUSABLE:
            raise NotAllowedNow("颁奖时不能暂停。")
        return Phase(state, n, paused=True)
    if action == "start" and state == "lobby":
        if players < 1:
            raise NotAllowedNow("还没有人加入，请等学生用手机扫码或输入数字加入后再开始。")
        return Phase("question", 1)
    if action == "reveal" and state == "question":
        return Phase("reveal", n)
    if action == "rank" and state == "reveal":
        return Phase("ranking", n)
    if action == "next" and state in ("reveal", "ranking"):
        return Phase("question", n + 1) if n < question_count else Phase("podium", n)
    raise NotAllowedNow(_why(state, action))


def _why(state: str, action: str) -> str:
    if action not in ACTIONS:
        return "没有这个操作。"
    if state == "question" and action in ("next", "rank"):
        return "请先揭晓这道题的答案。"
    if state == "lobby":
        return "请先开始本场。"
    if state == "podium":
        return "已经到颁奖了，只能结束本场。"
    return f"现在不能“{LABELS[action]}”。"


def available(phase: Phase, question_count: int, players: int) -> list[str]:
    """The actions a host can take now, in the order the controls show them."""
    found = []
    for action in ("start", "reveal", "rank", "next", "resume", "pause", "end"):
        try:
            after(phase, action, question_count, players)
        except NotAllowedNow:
            continue
        found.append(action)
    return found
