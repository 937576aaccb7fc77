"""The group report: a handful of aggregated queries over one group's current round.

The round is the one the group's boards show (app.groups.rounds): its latest opened assignment,
or free play (scope 0). Participation comes from GroupStats (kept at finish time); everything else
is grouped in SQL (one row per bucket, per question version or per person), never a loop over
every answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from sqlalchemy import Integer, and_, case, func, literal_column, select

from app.bank.models import Question
from app.bank.taxonomy import PATTERNS
from app.database import utcnow
from app.extensions import db
from app.groups.models import BoardEntry, Group, GroupStats
from app.groups.rates import sign_rate
from app.quiz.models import Answer, Attempt, AttemptQuestion
from app.reports.charts import WEAK_BELOW, Bar, accuracy_bar, bucket_of, distribution
from app.reports.formatting import percent, ratio
from app.reports.pending import Pending, pending_people
from app.reports.rounds import Round, in_round, round_of

PROMPT_CHARS = 30
WEAKEST_NAMED = 3


@dataclass(frozen=True)
class PatternRow:
    pattern: str
    family: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> Fraction:
        return ratio(self.correct, self.answered)

    @property
    def bar(self) -> Bar:
        return accuracy_bar(self.pattern, self.correct, self.answered)


@dataclass(frozen=True)
class ItemRow:
    item_id: str
    prompt: str
    pattern: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> Fraction:
        return ratio(self.correct, self.answered)

    @property
    def percent(self) -> int:
        return percent(self.accuracy)

    @property
    def weak(self) -> bool:
        return self.accuracy < WEAK_BELOW


@dataclass(frozen=True)
class GroupReport:
    round: Round
    participants: int
    permille_sum: int
    started: int
    finished: int
    pending: list[Pending]
    pending_total: int
    overdue: bool  # the assignment has closed: the pending are overdue
    buckets: list[int]
    patterns: list[PatternRow]
    items: list[ItemRow]
    generated_at: datetime = field(default_factory=utcnow)

    @property
    def group(self) -> Group:
        return self.round.group

    @property
    def participation(self) -> Fraction:
        return ratio(self.participants, self.group.size, cap=True)

    @property
    def completion(self) -> Fraction:
        return ratio(self.finished, self.started)

    @property
    def average(self) -> Fraction:
        """Average counted score as a share of the quiz (0–1)."""
        return ratio(self.permille_sum, self.participants * 1000)

    @property
    def sign_rate(self) -> Fraction:
        return sign_rate(self.group.pledges, self.group.size)

    @property
    def distribution(self) -> list[Bar]:
        return distribution(self.buckets)

    @property
    def weakest(self) -> list[PatternRow]:
        return self.patterns[:WEAKEST_NAMED]

    @property
    def weakest_sentence(self) -> str:
        """'本班最薄弱：冒充公检法（40%）、刷单返利（55%）、虚假招聘（60%）', or '' with no answers."""
        if not self.weakest:
            return ""
        named = "、".join(f"{p.pattern}（{percent(p.accuracy)}%）" for p in self.weakest)
        return f"{self.round.own}最薄弱：{named}"


def group_report(group: Group, now: datetime | None = None) -> GroupReport:
    now = now or utcnow()
    current = round_of(group, now)
    stats = db.session.get(GroupStats, (group.id, current.scope))
    started, finished = attempt_counts(current)
    pending, pending_total = pending_people(current)
    items = item_rows(current)
    return GroupReport(
        round=current,
        participants=stats.participants if stats else 0,
        permille_sum=stats.permille_sum if stats else 0,
        started=started,
        finished=finished,
        pending=pending,
        pending_total=pending_total,
        overdue=current.closed(now),
        buckets=score_buckets(current),
        patterns=pattern_rows(items),
        items=items,
        generated_at=now,
    )


def attempt_counts(current: Round) -> tuple[int, int]:
    """(started, finished) attempts of the group in this round, in one query."""
    row = db.session.execute(
        select(func.count(), func.count(Attempt.finished_at)).where(*in_round(current))
    ).one()
    return int(row[0]), int(row[1])


def score_buckets(current: Round) -> list[int]:
    """People per score bucket (0–59, 60–69, 70–79, 80–89, 90–100 %) among counted results."""
    tenth = (BoardEntry.permille // literal_column("100", Integer)).label("tenth")
    rows = db.session.execute(
        select(tenth, func.count())
        .where(BoardEntry.group_id == current.group.id, BoardEntry.scope == current.scope,
               BoardEntry.counted.is_(True))
        .group_by(tenth)
    ).all()
    counts = [0] * 5
    for value, n in rows:
        counts[bucket_of(int(value))] += int(n)
    return counts


def item_rows(current: Round) -> list[ItemRow]:
    """Per item: answers and right answers of the group's attempts in this round, weakest first.
    One GROUP BY per question version, then one read of the prompts of those versions."""
    right = func.sum(case((Answer.correct.is_(True), literal_column("1")), else_=literal_column("0")))
    rows = db.session.execute(
        select(Question.id, Question.item_id, Question.pattern, func.count(Answer.id), right)
        .select_from(Answer)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(AttemptQuestion, and_(AttemptQuestion.attempt_id == Answer.attempt_id,
                                    AttemptQuestion.position == Answer.position))
        .join(Question, Question.id == AttemptQuestion.question_id)
        .where(*in_round(current))
        .group_by(Question.id, Question.item_id, Question.pattern)
    ).all()
    if not rows:
        return []
    latest: dict[str, int] = {}
    totals: dict[str, list[int]] = {}
    patterns: dict[str, str] = {}
    for qid, item_id, pattern, answered, correct in rows:  # one row per question version, not per answer
        latest[item_id] = max(latest.get(item_id, 0), qid)
        patterns.setdefault(item_id, pattern)
        sums = totals.setdefault(item_id, [0, 0])
        sums[0] += int(answered)
        sums[1] += int(correct or 0)
    bodies = dict(db.session.execute(select(Question.id, Question.body).where(Question.id.in_(latest.values()))).tuples().all())
    items = [
        ItemRow(item_id, _prompt(bodies.get(latest[item_id])), patterns[item_id], answered, correct)
        for item_id, (answered, correct) in totals.items()
    ]
    return sorted(items, key=lambda r: (r.accuracy, -r.answered, r.item_id))


def _prompt(body: object) -> str:
    text = str(body.get("prompt", "")) if isinstance(body, dict) else ""
    text = " ".join(text.split())
    return text if len(text) <= PROMPT_CHARS else text[:PROMPT_CHARS] + "…"


def pattern_rows(items: list[ItemRow]) -> list[PatternRow]:
    """Accuracy per scam pattern (summed from the per-item aggregates), weakest first."""
    sums: dict[str, list[int]] = {}
    for item in items:
        pair = sums.setdefault(item.pattern, [0, 0])
        pair[0] += item.answered
        pair[1] += item.correct
    rows = [
        PatternRow(name, PATTERNS[name].family if name in PATTERNS else "", answered, correct)
        for name, (answered, correct) in sums.items()
    ]
    return sorted(rows, key=lambda r: (r.accuracy, -r.answered, r.pattern))
