"""The ranking rules as properties (hypothesis) and as the worked examples on the pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.leaderboard.ranking import PersonRow, UnitRow, rank_people, rank_units

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)

people = st.lists(
    st.builds(
        lambda i, score, minutes: PersonRow(i, f"p{i}", score, 10, score * 100, minutes * 60, T0 + timedelta(minutes=minutes)),
        st.integers(1, 10_000), st.integers(0, 10), st.integers(0, 120),
    ),
    max_size=40, unique_by=lambda r: r.entry_id,
)

units = st.lists(
    st.builds(
        lambda i, size, participants, avg, minutes: UnitRow(
            i, f"g{i}", size, participants, participants * avg,
            T0 + timedelta(minutes=minutes) if participants else None),
        st.integers(1, 10_000), st.integers(1, 60), st.integers(0, 70), st.integers(0, 1000), st.integers(0, 600),
    ),
    max_size=30, unique_by=lambda r: r.unit_id,
)


@given(people)
def test_people_ranks_follow_score_and_ties_share_a_rank(rows):
    ranked = rank_people(rows)
    assert sorted(r.entry_id for _, r in ranked) == sorted(r.entry_id for r in rows)
    for (rank_a, a), (rank_b, b) in zip(ranked, ranked[1:], strict=False):
        assert a.permille >= b.permille
        if a.permille == b.permille:
            assert rank_a == rank_b and a.finished_at <= b.finished_at
        else:
            assert rank_b == 1 + sum(1 for _, r in ranked if r.permille > b.permille)
    if ranked:
        assert ranked[0][0] == 1


@given(units)
def test_unit_ranks_follow_rate_then_average_then_completion(rows):
    ranked = rank_units(rows)
    assert len(ranked) == len(rows)
    for (rank_a, a), (rank_b, b) in zip(ranked, ranked[1:], strict=False):
        assert (a.rate, a.average) >= (b.rate, b.average)
        if a.tie_key() == b.tie_key():
            assert rank_a == rank_b
        else:
            assert rank_a < rank_b
            better = [r for _, r in ranked if (-r.rate, -r.average, r.tie_key()[2]) < (-b.rate, -b.average, b.tie_key()[2])]
            assert rank_b == len(better) + 1
    for _, row in ranked:
        assert 0 <= row.rate <= 1


def test_a_small_ward_that_all_took_part_beats_a_big_department_at_half():
    ward = UnitRow(1, "十病区", 10, 10, 10 * 700, T0 + timedelta(hours=3))
    big = UnitRow(2, "行政科", 200, 100, 100 * 990, T0)
    ranked = rank_units([big, ward])
    assert [(rank, row.name) for rank, row in ranked] == [(1, "十病区"), (2, "行政科")]


def test_more_participants_than_expected_counts_as_full_not_more():
    crowded = UnitRow(1, "一班", 40, 45, 45 * 600, T0)
    full = UnitRow(2, "二班", 40, 40, 40 * 800, T0 + timedelta(minutes=5))
    ranked = rank_units([crowded, full])
    assert crowded.rate == 1 and [row.name for _, row in ranked] == ["二班", "一班"]  # equal rate: average decides


def test_equal_rate_and_average_earlier_completion_wins_and_full_ties_share():
    early = UnitRow(1, "甲", 10, 5, 5 * 800, T0)
    late = UnitRow(2, "乙", 10, 5, 5 * 800, T0 + timedelta(minutes=1))
    twin = UnitRow(3, "丙", 10, 5, 5 * 800, T0)
    ranked = rank_units([late, early, twin])
    assert [(rank, row.name) for rank, row in ranked] == [(1, "丙"), (1, "甲"), (3, "乙")]  # ties listed by name


def test_equal_scores_share_rank_and_earlier_finisher_is_listed_first():
    a = PersonRow(1, "小明", 8, 10, 800, 300, T0 + timedelta(minutes=9))
    b = PersonRow(2, "小红", 8, 10, 800, 900, T0 + timedelta(minutes=2))
    c = PersonRow(3, "小刚", 9, 10, 900, 999, T0 + timedelta(minutes=30))
    assert [(rank, row.nickname) for rank, row in rank_people([a, b, c])] == [(1, "小刚"), (2, "小红"), (2, "小明")]
