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


def _played_many_times(quiz, pool, sessions: int, seed: int):
    """One participant playing `quiz` session after session: each draw sees what came before."""
    seen: set[str] = set()
    rng = random.Random(seed)
    for _ in range(sessions):
        drawn = draw(quiz, pool, seen, rng)
        seen |= {d.question.item_id for d in drawn}
        yield drawn


def test_every_quiz_keeps_its_audience_and_kind_promise_over_many_draws(db):
    """However often a quiz is played, it never falls back to items outside its promise: only its
    audience (and patterns); a post's items only in a quiz for that post, so no student's or elder's
    quiz asks its listener to act as an official; exactly its number of multi-step cases (elder-listen
    none), the rest one-question items, seen ones again once the fresh ones run out."""
    pool = _pool(db)
    quizzes = db.session.scalars(select(Quiz).where(Quiz.organisation_id.is_(None))).all()
    assert {"elder-listen", "student-basics", "staff-training", "staff-hospital"} <= {q.id for q in quizzes}
    for quiz in quizzes:
        accepted = [q for q in pool if quiz.accepts(q)]
        cases_there = len({q.case_id for q in accepted if q.case_id})
        for seed in range(3):
            # Enough sessions to exhaust the fresh items several times over.
            for drawn in _played_many_times(quiz, pool, sessions=len(accepted) // quiz.question_count * 3 + 3, seed=seed):
                questions = [d.question for d in drawn]
                assert len(questions) == quiz.question_count, quiz.id
                for q in questions:
                    assert quiz.audience in q.audiences, (quiz.id, q.item_id)
                    assert not quiz.patterns or q.pattern in quiz.patterns, (quiz.id, q.item_id)
                    assert q.role is None or q.role in (quiz.roles or []), (quiz.id, q.item_id)
                    if quiz.audience != "staff":
                        assert q.role is None and q.audiences != ["staff"], (quiz.id, q.item_id)
                cases = {q.case_id for q in questions if q.case_id}
                assert len(cases) == min(quiz.scenarios, cases_there), (quiz.id, sorted(cases))
                if quiz.id == "elder-listen":
                    assert not cases


def test_elder_and_student_quizzes_never_ask_the_listener_to_act_as_an_official(db):
    """The items where the listener is a teller, a nurse, a grid worker … carry a role and are staff-only."""
    pool = {q.item_id: q for q in _pool(db)}
    acting = ["dx-gjf-grid-worker-visit", "ya-hx-hospital-guide-desk", "ya-hx-hotel-saturday-report",
              "ya-qx-grid-worker-visit", "ya-tz-bank-counter", "yb-bed-presale-report", "yb-bed-unregistered-prepay",
              "yb-art-staff-bus", "yb-sale-ad-patrol", "xs-tutor-student-lost-money", "zg-teller-secret-200k.1"]
    for item_id in acting:
        assert pool[item_id].role and pool[item_id].audiences == ["staff"], item_id
    for quiz in db.session.scalars(select(Quiz).where(Quiz.audience != "staff")):
        assert not any(quiz.accepts(q) for q in pool.values() if q.role), quiz.id


def test_a_role_quiz_asks_its_own_posts_items_first(db):
    pool = _pool(db)
    quiz = db.session.get(Quiz, "staff-hospital")
    assert quiz.roles == ["医院"] and quiz.question_count == 20 and quiz.pass_mark == 80
    own = [q for q in pool if q.role == "医院" and q.case_id is None and quiz.accepts(q)]
    assert len(own) >= 3
    for seed in range(10):
        drawn = [d.question for d in draw(quiz, pool, set(), random.Random(seed))]
        assert {q.item_id for q in own} <= {q.item_id for q in drawn}, "a fresh draw leaves out its own post's items"
        assert {q.role for q in drawn if q.case_id} == {"医院"}, "its one case is the post's own"
        assert {q.role for q in drawn} == {"医院", None}, "nothing of another post"


def test_a_quiz_of_chosen_items_may_fill_up_with_their_cases(db):
    """A local case or a teacher's upload promises its own items, cases included, whatever `scenarios` says."""
    pool = _pool(db)
    case = next(q.case_id for q in pool if q.case_id and q.steps == 3)
    quiz = Quiz(id="local-case", title="本地案例", audience="elder", question_count=3, pass_mark=60, patterns=[],
                scenarios=0, item_ids=[case], roles=[])
    drawn = draw(quiz, pool, set(), random.Random(1))
    assert [d.question.step for d in drawn] == [1, 2, 3] and {d.question.case_id for d in drawn} == {case}
