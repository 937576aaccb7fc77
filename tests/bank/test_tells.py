"""Answer tells (app/bank/tells.py): each measure on small synthetic banks, each able to fail, and the
shipped bank meeting every goal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.bank.loader import read_bank
from app.bank.schema import Bank, Option, Question
from app.bank.tells import GOALS, is_scam_prompt, key_ratio, measure, tells_notes, tells_stats

ROOT = Path(__file__).resolve().parents[2]


def item(item_id: str, kind: str, options: list[str], answers: list[str], prompt: str = "怎么做？",
         speech: dict | None = None) -> Question:
    return Question(
        item_id=item_id, pattern="刷单返利", audiences=("student",), kind=kind, scenario="", prompt=prompt,
        options=tuple(Option(k, t) for k, t in zip("ABCDEF", options, strict=False)), answers=tuple(answers),
        explanation="解析", rule="三不一要", action="报警", source="P6 四.4", speech=speech or {},
    )


def single(n: int, key_len: int, other_len: int = 10, start: int = 0) -> list[Question]:
    """n single-choice items whose key (A) has key_len characters and three distractors other_len."""
    return [item(f"s{start + i}", "single", ["甲" * key_len, "乙" * other_len, "丙" * other_len, "丁" * other_len], ["A"])
            for i in range(n)]


def multiple(n: int, correct: int, options: int = 4, start: int = 0) -> list[Question]:
    keys = list("ABCDEF"[:options])
    return [item(f"m{start + i}", "multiple", [f"做法{k}" for k in keys], keys[:correct]) for i in range(n)]


def judge(n: int, answer: str, prompt: str = "这样做对吗？", start: int = 0) -> list[Question]:
    return [item(f"j{start + i}", "judge", ["是", "否"], [answer], prompt=prompt) for i in range(n)]


def balanced() -> list[Question]:
    """A bank that meets every goal; each test below breaks one measure of it."""
    return [
        *single(3, 12), *single(7, 10, start=3),  # key strictly longest in 30 %, mean ratio 1.06
        *multiple(4, 2), *multiple(4, 3, start=4), *multiple(2, 4, start=8),  # 40 % / 40 % / 20 % all correct
        *judge(6, "yes", "这是诈骗吗？"), *judge(4, "no", "这是诈骗吗？", start=6),  # 40 % legitimate
        *judge(2, "no", start=10),  # 否 in 6 of 12
    ]


def goals_of(questions: list[Question]) -> dict[str, bool | None]:
    return {g.name: g.met for g in measure(Bank(tuple(questions), ()))[1]}


def missed(questions: list[Question]) -> set[str]:
    return {name for name, met in goals_of(questions).items() if met is False}


def test_a_balanced_bank_meets_every_goal():
    assert missed(balanced()) == set()
    assert tells_notes(Bank(tuple(balanced()), ())) == []
    assert tells_stats(Bank(tuple(balanced()), ()))["all_met"] is True


def test_length_is_the_displayed_option_text_not_the_spoken_one():
    short_speech = item("x", "single", ["甲" * 13, "乙" * 10, "丙" * 10, "丁" * 10], ["A"],
                        speech={"options": {"A": "短"}})
    ratio, strictly_longest = key_ratio(short_speech)
    assert ratio == pytest.approx(1.3) and strictly_longest


def test_key_strictly_longest_share_fails_above_35_percent():
    bank = [q for q in balanced() if q.kind != "single"] + single(4, 11) + single(6, 10, start=4)
    assert missed(bank) == {"single.key_strictly_longest_share"}



def test_a_key_that_is_never_the_longest_is_a_tell_too():
    # a key as long as the longest distractor is not strictly the longest; the note names those ties
    bank = [q for q in balanced() if q.kind != "single"] + single(1, 12) + single(9, 10, start=1)
    assert missed(bank) == {"single.key_strictly_longest_share"}
    notes = tells_notes(Bank(tuple(bank), ()))
    assert "s1、s2" in notes[0] and "s0" not in notes[0]


def test_mean_key_ratio_fails_above_1_10():
    bank = [q for q in balanced() if q.kind != "single"] + single(3, 12) + single(7, 11, other_len=10, start=3)
    # every key longest but ratio 1.13: two goals; equal-length decoys that still tell only by the mean
    assert "single.mean_key_ratio" in missed(bank)
    longer_others = [item(f"r{i}", "single", ["甲" * 12, "乙" * 14, "丙" * 8, "丁" * 8], ["A"]) for i in range(7)]
    bank = [q for q in balanced() if q.kind != "single"] + longer_others + single(3, 12, other_len=11, start=7)
    assert missed(bank) == {"single.mean_key_ratio"}


def test_one_item_at_or_above_1_30_fails_and_is_named():
    bank = [q for q in balanced() if q.kind != "single"] + single(2, 12) + single(7, 10, start=2) + single(1, 13, start=99)
    assert missed(bank) == {"single.items_at_or_above_limit"}
    notes = tells_notes(Bank(tuple(bank), ()))
    assert len(notes) == 1 and "s99" in notes[0] and "1.30" in notes[0]


def test_one_count_of_correct_options_may_cover_at_most_half():
    bank = [q for q in balanced() if q.kind != "multiple"] + multiple(6, 3) + multiple(2, 2, start=6) + multiple(2, 4, start=8)
    assert missed(bank) == {"multiple.largest_count_share"}


def test_at_least_a_fifth_have_exactly_two_correct():
    bank = [q for q in balanced() if q.kind != "multiple"] + multiple(5, 3) + multiple(4, 4, start=5) + multiple(1, 2, start=9)
    assert missed(bank) == {"multiple.two_correct_share"}


def test_some_have_every_option_correct_or_five_options():
    bank = [q for q in balanced() if q.kind != "multiple"] + multiple(5, 2) + multiple(5, 3, start=5)
    assert missed(bank) == {"multiple.all_correct_or_five_options_share"}
    five = multiple(5, 2) + multiple(4, 3, start=5) + multiple(1, 3, options=5, start=9)
    assert missed([q for q in balanced() if q.kind != "multiple"] + five) == set()


@pytest.mark.parametrize(("scam_yes", "scam_no", "other_yes", "other_no"), [(7, 3, 2, 0), (6, 4, 0, 8)])
def test_judge_no_share_must_lie_between_35_and_65_percent(scam_yes, scam_no, other_yes, other_no):
    """否 in 3 of 12 (25 %), then in 12 of 18 (67 %); the legitimate share stays met (30 %, 40 %)."""
    bank = [q for q in balanced() if q.kind != "judge"] + judge(scam_yes, "yes", "这是诈骗吗？") + judge(
        scam_no, "no", "这是诈骗吗？", start=20) + judge(other_yes, "yes", start=40) + judge(other_no, "no", start=60)
    assert missed(bank) == {"judge.no_share"}


def test_scam_prompts_must_describe_a_legitimate_case_often_enough():
    others = [q for q in balanced() if q.kind != "judge"]
    bank = others + judge(8, "yes", "这是诈骗吗？") + judge(2, "no", "这是诈骗吗？", start=8) + judge(5, "no", start=10)
    assert missed(bank) == {"judge.scam_prompts_legitimate_share"}
    notes = tells_notes(Bank(tuple(bank), ()))
    assert "j0" in notes[0] and "j8" not in notes[0]


@pytest.mark.parametrize(("prompt", "scam"), [
    ("这是诈骗吗？", True), ("这是诈骗短信吗？", True), ("96110打来的电话是诈骗电话吗？", True),
    ("这是骗局吗？", True), ("这是不是诈骗？", True),
    ("这样的通知可信吗？", False), ("小彭把证件借给他，会有风险吗？", False), ("骗子接下来会怎么做？", False),
])
def test_which_prompts_ask_whether_it_is_a_scam(prompt, scam):
    assert is_scam_prompt(item("p", "judge", ["是", "否"], ["yes"], prompt=prompt)) is scam


def test_too_few_items_are_reported_but_not_judged():
    tiny = single(2, 12) + multiple(2, 3) + judge(3, "yes", "这是诈骗吗？")
    goals = goals_of(tiny)
    assert goals["single.key_strictly_longest_share"] is None and goals["multiple.two_correct_share"] is None
    assert goals["judge.scam_prompts_legitimate_share"] is None
    assert tells_stats(Bank(tuple(tiny), ()))["single"]["key_strictly_longest"] == 2
    assert GOALS.min_items == 10


def test_the_shipped_bank_meets_every_goal():
    bank, problems = read_bank(ROOT / "question_bank")
    assert problems == []
    figures, goals = measure(bank)
    assert [(g.name, g.value, g.items) for g in goals if not g.met] == [], figures


def test_stats_json_reports_tells_and_check_prints_no_tells_note(runner):
    stats = json.loads(runner.invoke(args=["bank", "stats", "--json"]).output)
    tells = stats["tells"]
    assert tells["all_met"] is True and {g["name"] for g in tells["goals"]} >= {
        "single.key_strictly_longest_share", "single.mean_key_ratio", "single.items_at_or_above_limit",
        "multiple.largest_count_share", "multiple.two_correct_share", "multiple.all_correct_or_five_options_share",
        "judge.no_share", "judge.scam_prompts_legitimate_share",
    }
    assert tells["thresholds"]["key_longest_max"] == 0.35
    check = runner.invoke(args=["bank", "check"])
    assert check.exit_code == 0 and "答案规律" not in check.output


def test_check_names_the_items_of_a_missed_goal_and_still_passes(runner, tmp_path):
    body = "items:\n" + "".join(
        f"""  - id: t{i}
    pattern: 刷单返利
    audiences: [student]
    kind: single
    prompt: 小林该怎么做？第{i}题
    options:
      A: 不理会，这是刷单诈骗，告诉老师和家长
      B: 先交押金
      C: 做几单试试
    answer: A
    explanation: 刷单返利是最常见的电信网络诈骗，先给小甜头，再让你垫付越来越多的钱，最后拉黑你。
    rule: 三不一要
    action: 不加群不垫付，告诉老师和家长
    source: P6 四.4
""" for i in range(10))
    (tmp_path / "items.yaml").write_text(body, encoding="utf-8")
    result = runner.invoke(args=["bank", "check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "提示：答案规律：单选题里正确选项最长" in result.output and "t0、t1" in result.output
    assert "题库检查通过" in result.output
