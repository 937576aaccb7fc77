"""A game's report (班会记录): each question's split and facility, each player's score and whether
it counted, and who never answered; as a page, a printable page and an Excel file."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.auth.access import group_for
from app.auth.models import User
from app.bank.models import Quiz
from app.extensions import db
from app.groups.models import Group
from app.live.answering import slot_of
from app.live.games import game_for
from app.live.models import LiveGame, LivePlayer
from app.quiz.draw import OPTION_LABELS
from app.quiz.models import Answer, Attempt
from app.quiz.reading import question_of, to_labels
from app.spreadsheets import neutralise, write_sheet


@dataclass(frozen=True)
class QuestionLine:
    n: int
    prompt: str
    correct: list[str]
    counts: dict[str, int]
    answered: int
    right: int

    @property
    def facility(self) -> float | None:
        """Share of answers that were right (None when nobody answered)."""
        return self.right / self.answered if self.answered else None


@dataclass(frozen=True)
class PlayerLine:
    nickname: str
    answered: int
    score: int
    removed: bool
    counted: bool | None
    note: str | None


@dataclass(frozen=True)
class GameReport:
    game: LiveGame
    group: Group
    quiz: Quiz
    questions: list[QuestionLine]
    players: list[PlayerLine]

    @property
    def never_answered(self) -> list[str]:
        return [p.nickname for p in self.players if p.answered == 0 and not p.removed]


def game_report(user: User, game_id: object) -> GameReport:
    game = game_for(user, game_id)
    group = group_for(user, game.group_id)
    quiz = db.session.get(Quiz, game.quiz_id)
    if quiz is None:
        raise LookupError(game.quiz_id)
    people = db.session.execute(
        select(LivePlayer.id, LivePlayer.kicked, Attempt.id, Attempt.nickname, Attempt.score, Attempt.counted,
               Attempt.count_note)
        .join(Attempt, Attempt.id == LivePlayer.attempt_id).where(LivePlayer.game_id == game.id).order_by(LivePlayer.id)
    ).all()
    answers = db.session.execute(
        select(Answer.attempt_id, Answer.position, Answer.choices, Answer.correct)
        .join(LivePlayer, LivePlayer.attempt_id == Answer.attempt_id).where(LivePlayer.game_id == game.id)
    ).all()
    removed = {attempt_id for _pid, kicked, attempt_id, *_rest in people if kicked}
    per_question: dict[int, list[tuple[list[str], bool]]] = {}
    per_player: Counter[str] = Counter()
    right_of: Counter[str] = Counter()
    for attempt_id, n, keys, correct in answers:
        per_player[attempt_id] += 1
        right_of[attempt_id] += 1 if correct else 0
        if attempt_id not in removed:
            per_question.setdefault(n, []).append((keys, bool(correct)))
    questions = []
    for n in range(1, game.question_count + 1):
        slot = slot_of(game, "report", n)
        q = question_of(slot)
        counts: Counter[str] = Counter()
        rows = per_question.get(n, [])
        for keys, _correct in rows:
            counts.update(to_labels(slot, keys))
        labels = [OPTION_LABELS[i] for i in range(len(slot.option_order))]
        questions.append(QuestionLine(n, q.body["prompt"], to_labels(slot, q.answers),
                                      {label: counts.get(label, 0) for label in labels}, len(rows),
                                      sum(1 for _keys, correct in rows if correct)))
    players = [PlayerLine(name, per_player[attempt_id], score if score is not None else right_of[attempt_id],
                          bool(kicked), counted, note)
               for _pid, kicked, attempt_id, name, score, counted, note in people]
    return GameReport(game, group, quiz, questions, players)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def report_xlsx(report: GameReport) -> bytes:
    from openpyxl import Workbook  # here, not at import: web workers that never export do not carry it

    book = Workbook()
    first = book.worksheets[0]
    first.title = "每题情况"
    labels = OPTION_LABELS[: max((len(q.counts) for q in report.questions), default=4)]
    write_sheet(first, ["题号", "题目", "正确答案", "作答人数", "答对人数", "答对率", *[f"选{label}" for label in labels]],
                ([q.n, neutralise(q.prompt), "、".join(q.correct), q.answered, q.right, _percent(q.facility),
                  *[q.counts.get(label, "") for label in labels]] for q in report.questions), width=16)
    second = book.create_sheet("每人成绩")
    write_sheet(second, ["昵称", "作答题数", "答对题数", "是否计入班级", "说明"],
                ([neutralise(p.nickname), p.answered, p.score,
                  "已移出" if p.removed else ("是" if p.counted else ("否" if p.counted is False else "未交卷")),
                  neutralise(p.note or "")] for p in report.players), width=16)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_rows(report: GameReport) -> list[dict[str, Any]]:
    """Each question for the page: its bars as shares of the players who answered."""
    out = []
    for q in report.questions:
        top = max(q.answered, 1)
        out.append({"line": q, "facility": _percent(q.facility),
                    "bars": [(label, count, round(count * 100 / top)) for label, count in q.counts.items()]})
    return out
