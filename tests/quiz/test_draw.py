"""Drawing questions: fresh items first, scenarios whole and in order, options shuffled per attempt."""

from __future__ import annotations

import random

from sqlalchemy import select

from app.bank.models import Question, Quiz
from app.quiz.draw import draw


def _pool(db):
    return db.session.scalars(select(Question).where(Question.current.is_(True))).all()


def test_draw_fills_the_quiz_and_keeps_scenario_steps_consecutive(db):
    pool = _pool(db)
    for quiz in db.session.scalars(select(Quiz)):
        for seed in range(20):
            drawn = draw(quiz, pool, set(), random.Random(seed))
            assert len(drawn) == quiz.question_count, quiz.id
            assert all(quiz.accepts(d.question) for d in drawn)
            ids = [d.question.item_id for d in drawn]
            assert len(set(ids)) == len(ids)
            for i, d in enumerate(drawn):
                q = d.question
                if q.case_id and q.step and q.step > 1:
                    assert drawn[i - 1].question.case_id == q.case_id and drawn[i - 1].question.step == q.step - 1
            cases = {d.question.case_id for d in drawn if d.question.case_id}
            assert len(cases) >= quiz.scenarios


def test_unseen_items_come_first_until_the_pool_runs_out(db):
    quiz = db.session.get(Quiz, "elder-listen")
    pool = [q for q in _pool(db) if quiz.accepts(q)]
    seen: set[str] = set()
    rng = random.Random(7)
    rounds = 0
    while len(seen) + quiz.question_count <= len([q for q in pool if q.case_id is None]):
        drawn = draw(quiz, pool, seen, rng)
        ids = {d.question.item_id for d in drawn}
        assert not ids & seen, "a seen item came back while fresh ones remained"
        seen |= ids
        rounds += 1
    assert rounds >= 2
    # Once the pool runs out the quiz is still full, topped up with seen items.
    assert len(draw(quiz, pool, {q.item_id for q in pool}, rng)) == quiz.question_count


def test_option_order_is_shuffled_per_attempt_but_judge_stays_yes_no(db):
    quiz = db.session.get(Quiz, "staff-training")
    pool = _pool(db)
    orders: dict[str, set[tuple[str, ...]]] = {}
    for seed in range(40):
        for d in draw(quiz, pool, set(), random.Random(seed)):
            orders.setdefault(d.question.item_id, set()).add(tuple(d.option_order))
            if d.question.kind == "judge":
                assert d.option_order == ["yes", "no"]
    shuffled = [item for item, seen in orders.items() if len(seen) > 1]
    assert shuffled, "options were never shuffled"
    # The correct option lands on more than one label position across attempts.
    positions = set()
    for seed in range(40):
        for d in draw(quiz, pool, set(), random.Random(seed)):
            if d.question.kind == "single":
                positions.add(d.option_order.index(d.question.answers[0]))
    assert len(positions) >= 3
