"""The state machine as a property: random sequences of host and player actions (stale clicks,
joins, answers to the open, a past or a future question, double taps, removals) never skip a
question, never store or count an answer twice, never accept an answer outside its open question,
and never put a key in a snapshot before the reveal. At the podium every attempt is finished with
the score its stored answers give."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.live import answering, hosting, machine
from app.live.errors import AlreadyAnswered, NotAllowedNow, QuestionClosed, Removed, StaleVersion
from app.live.games import fresh
from app.live.players import active_players
from app.live.snapshot import snapshot
from app.quiz.models import Answer, Attempt
from tests.live.builders import class_with_teacher, join, new_game, right_labels, wrong_labels

PLAYERS = 4
STEP = st.one_of(
    st.tuples(st.just("host"), st.sampled_from(machine.ACTIONS + ("reveal", "next", "next")), st.booleans()),
    st.tuples(st.just("join"), st.integers(0, PLAYERS - 1), st.booleans()),
    st.tuples(st.just("answer"), st.integers(0, PLAYERS - 1), st.booleans()),
    st.tuples(st.just("late"), st.integers(0, PLAYERS - 1), st.booleans()),
    st.tuples(st.just("kick"), st.integers(0, PLAYERS - 1), st.booleans()),
)


def _no_key_before_reveal(shown: dict, state: str) -> None:
    if state in ("lobby", "question"):
        assert shown["reveal"] is None and shown["podium"] is None and shown["ranking"] is None
    if shown["question"] is not None:
        text = json.dumps(shown["question"], ensure_ascii=False)
        assert "correct" not in text and "explanation" not in text and "answers" not in text


def test_random_host_and_player_actions_keep_the_rules(db):
    group, teacher = class_with_teacher()
    reached: set[int] = set()
    over: list[int] = []

    @given(steps=st.lists(STEP, min_size=5, max_size=45))
    @settings(max_examples=35, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(steps):
        running = fresh(new_game(group, teacher, "student-basics").id)
        if running.version != 1:  # a game that saw no action is reused; any other is ended above
            running = new_game(group, teacher, "student-basics")
        reached.add(running.id)
        game_id, count = running.id, running.question_count
        joined: dict[int, object] = {}
        kicked: set[int] = set()
        model: dict[tuple[int, int], bool] = {}  # (player, n) -> right
        for kind, who, flag in steps:
            game = fresh(game_id)
            before = (game.state, game.position, game.paused)
            if kind == "host":
                seen = game.state_version - 1 if flag else game.version
                try:
                    expected = machine.after(machine.Phase(*before), who, count, active_players(game_id))
                except NotAllowedNow:
                    expected = None
                try:
                    after = hosting.act(game_id, who, seen)
                except StaleVersion:
                    assert flag, "a current version is never stale"
                    continue
                except NotAllowedNow:
                    assert expected is None
                    continue
                assert not flag, "a stale version never moves the game"
                assert (after.state, after.position, after.paused) == (expected.state, expected.position, expected.paused)
                assert after.position in (before[1], before[1] + 1), "never skips a question"
                if after.state == "question" and before[0] != "question":
                    assert after.position == before[1] + 1 and after.answered == 0
            elif kind == "join":
                if who in joined or game.over:
                    continue
                joined[who] = join(game, f"同学{who}").player
            elif kind == "kick":
                if who not in joined or game.over:
                    continue
                hosting.remove_player(game, joined[who].id)
                kicked.add(who)
            elif who in joined:  # an answer to the open question, or (late) to the one before
                n = game.position - 1 if kind == "late" else game.position
                if not 1 <= n <= count:
                    continue
                choice = right_labels(game, n) if flag else wrong_labels(game, n)
                open_now = (game.state == "question" and game.position == n and not game.paused
                            and who not in kicked and (who, n) not in model)
                player = joined[who]
                try:
                    recorded = answering.answer(game_id, player, n, choice)
                except (QuestionClosed, AlreadyAnswered, Removed) as refused:
                    assert not open_now, f"refused an answer to an open question: {refused.code}"
                    if isinstance(refused, AlreadyAnswered):
                        assert (who, n) in model
                    continue
                assert open_now, "accepted an answer outside its open question"
                assert recorded.choices == sorted(choice)
                model[(who, n)] = flag
                try:  # the double tap
                    answering.answer(game_id, player, n, choice)
                    raise AssertionError("a second answer was accepted")
                except AlreadyAnswered as again:
                    assert again.choices == sorted(choice)
            game = fresh(game_id)
            shown = snapshot(game_id)
            assert shown["version"] == game.version and shown["state"] == game.state
            _no_key_before_reveal(shown, game.state)
            if game.state == "question":
                stored = db.session.scalar(select(func.count()).select_from(Answer).where(
                    Answer.position == game.position,
                    Answer.attempt_id.in_([p.attempt_id for p in joined.values()])))
                assert game.answered == stored, "已答 counts each stored answer once"
        stored_rows = db.session.scalar(select(func.count()).select_from(Answer).where(
            Answer.attempt_id.in_([p.attempt_id for p in joined.values()]))) if joined else 0
        assert stored_rows == len(model)
        game = fresh(game_id)
        if not game.over:  # the host ends every game in the end (早退 included): the records must follow
            hosting.act(game_id, "end", game.version)
            game = fresh(game_id)
        if game.over:
            over.append(game_id)
            for who, player in joined.items():
                attempt = db.session.get(Attempt, player.attempt_id, populate_existing=True)
                if who in kicked:
                    assert not attempt.finished
                    continue
                assert attempt.finished
                assert attempt.score == sum(1 for (w, _n), right in model.items() if w == who and right)

    run()
    assert len(reached) > 5 and set(over) == reached, "the examples played several games, each to its end"
