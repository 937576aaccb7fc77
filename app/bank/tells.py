"""Answer tells: regularities that let someone score without knowing the answer (issue 13, section 1).

Campaigns rank classes and units by these scores, so the bank must not reward test-taking tricks:
"pick the longest option", "tick all but the silly one", "a 这是诈骗吗 question is always 是".
`bank stats --json` reports the figures under `tells`; `bank check` prints a 提示 line, with item
ids, for every goal the bank misses (a note, not a fault: exit 0).

Length of an option is the number of characters (Unicode code points) of its displayed text, as
the loader keeps it (NFC, trimmed): every Chinese character, digit and punctuation mark counts 1.
The spoken `speech` version is not counted; learners compare what they see.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from statistics import mean
from typing import Any

from app.bank.schema import Bank, Question


@dataclass(frozen=True)
class Goals:
    """Every threshold of the tells measures, in one place."""

    key_longest_max: float = 0.35  # single: share of items whose key is strictly the longest option
    key_longest_min: float = 0.15  # ... and at least this share: a key that is never the longest is a tell too
    mean_ratio_max: float = 1.10  # single: mean of (key length / mean distractor length)
    item_ratio_limit: float = 1.30  # single: no item at or above this ratio
    one_count_max: float = 0.50  # multiple: no one number of correct options covers more than this share
    two_correct_min: float = 0.20  # multiple: at least this share has exactly two correct options
    all_or_five_min: float = 0.05  # multiple: at least this share has every option correct, or 5+ options
    judge_no_min: float = 0.35  # judge: share answered 否, lower bound
    judge_no_max: float = 0.65  # judge: share answered 否, upper bound
    legit_min: float = 0.30  # judge: share of 这是诈骗吗-style prompts that describe a legitimate case
    min_items: int = 10  # a share over fewer items says nothing: below this the goal is not judged


GOALS = Goals()

# A judge prompt that asks whether what was described is a scam: 这是诈骗吗？ 是诈骗短信吗？ 这是骗局吗？
# 是不是诈骗？ (answered 否, the item describes a legitimate case).
SCAM_PROMPT_RE = re.compile(r"是(?:不是)?(?:一[个场起条])?(?:诈骗|骗局|骗子)[\u4e00-\u9fff]{0,4}吗?[？?]\s*$")


def is_scam_prompt(question: Question) -> bool:
    return question.kind == "judge" and bool(SCAM_PROMPT_RE.search(question.prompt))


def _key_and_others(question: Question) -> tuple[int, list[int]]:
    """Displayed length of a single-choice item's key, and of each distractor."""
    key = question.answers[0]
    lengths = {o.key: len(o.text) for o in question.options}
    return lengths[key], [n for k, n in lengths.items() if k != key]


def key_ratio(question: Question) -> tuple[float, bool]:
    """(key length / mean distractor length, key strictly the longest) of a single-choice item."""
    key, others = _key_and_others(question)
    if not others:
        return 1.0, False
    return key / max(mean(others), 1), key > max(others)


def _ties_longest(question: Question) -> bool:
    key, others = _key_and_others(question)
    return bool(others) and key == max(others)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


@dataclass(frozen=True)
class Goal:
    name: str
    wanted: str
    value: float | int
    met: bool | None  # None: too few items to judge
    items: tuple[str, ...] = ()  # the items to rewrite when the goal is missed


def _goal(name: str, wanted: str, value: float | int, ok: bool, judged: bool, items: list[str]) -> Goal:
    return Goal(name, wanted, value, ok if judged else None, tuple(items) if judged and not ok else ())


def _single(questions: list[Question], g: Goals) -> tuple[dict[str, Any], list[Goal]]:
    ratios = {q.item_id: key_ratio(q) for q in questions}
    longest = [i for i, (_, strict) in ratios.items() if strict]
    # too few keys are the longest: the items whose key ties the longest distractor are the easy ones to turn
    tied = [q.item_id for q in questions if _ties_longest(q)]
    high = sorted((i for i, (r, _) in ratios.items() if r >= g.item_ratio_limit), key=lambda i: -ratios[i][0])
    mean_ratio = round(mean(r for r, _ in ratios.values()), 3) if ratios else 0.0
    above_mean = sorted((i for i, (r, _) in ratios.items() if r > g.mean_ratio_max), key=lambda i: -ratios[i][0])
    judged = len(questions) >= g.min_items
    longest_share = _share(len(longest), len(questions))
    figures = {
        "items": len(questions),
        "key_strictly_longest": len(longest),
        "key_strictly_longest_share": longest_share,
        "mean_key_ratio": mean_ratio,
        "items_at_or_above_limit": {i: round(ratios[i][0], 2) for i in high},
    }
    goals = [
        _goal("single.key_strictly_longest_share", f"{g.key_longest_min:.0%}–{g.key_longest_max:.0%}", longest_share,
              g.key_longest_min <= longest_share <= g.key_longest_max, judged,
              longest if longest_share > g.key_longest_max else tied),
        _goal("single.mean_key_ratio", f"≤ {g.mean_ratio_max:.2f}", mean_ratio,
              mean_ratio <= g.mean_ratio_max, judged, above_mean),
        # a single item at or above the limit is a tell however small the bank
        _goal("single.items_at_or_above_limit", f"0 at ≥ {g.item_ratio_limit:.2f}", len(high), not high, True, high),
    ]
    return figures, goals


def _multiple(questions: list[Question], g: Goals) -> tuple[dict[str, Any], list[Goal]]:
    counts = Counter(len(q.answers) for q in questions)
    top, top_n = counts.most_common(1)[0] if counts else (0, 0)
    two = counts.get(2, 0)
    all_or_five = [q.item_id for q in questions if len(q.answers) == len(q.options) or len(q.options) >= 5]
    n = len(questions)
    judged = n >= g.min_items
    top_share, two_share, five_share = _share(top_n, n), _share(two, n), _share(len(all_or_five), n)
    figures = {
        "items": n,
        "correct_counts": {str(k): counts[k] for k in sorted(counts)},
        "largest_count_share": top_share,
        "two_correct_share": two_share,
        "all_correct_or_five_options": len(all_or_five),
        "all_correct_or_five_options_share": five_share,
    }
    goals = [
        _goal("multiple.largest_count_share", f"≤ {g.one_count_max:.0%}", top_share,
              top_share <= g.one_count_max, judged,
              [q.item_id for q in questions if len(q.answers) == top]),
        _goal("multiple.two_correct_share", f"≥ {g.two_correct_min:.0%}", two_share,
              two_share >= g.two_correct_min, judged,
              [q.item_id for q in questions if len(q.answers) != 2]),
        _goal("multiple.all_correct_or_five_options_share", f"≥ {g.all_or_five_min:.0%}", five_share,
              five_share >= g.all_or_five_min, judged, []),
    ]
    return figures, goals


def _judge(questions: list[Question], g: Goals) -> tuple[dict[str, Any], list[Goal]]:
    no = [q.item_id for q in questions if q.answers == ("no",)]
    yes = [q.item_id for q in questions if q.answers != ("no",)]
    scam = [q for q in questions if is_scam_prompt(q)]
    legit = [q.item_id for q in scam if q.answers == ("no",)]
    no_share, legit_share = _share(len(no), len(questions)), _share(len(legit), len(scam))
    figures = {
        "items": len(questions),
        "no": len(no),
        "no_share": no_share,
        "scam_prompts": len(scam),
        "scam_prompts_legitimate": len(legit),
        "scam_prompts_legitimate_share": legit_share,
    }
    goals = [
        _goal("judge.no_share", f"{g.judge_no_min:.0%}–{g.judge_no_max:.0%}", no_share,
              g.judge_no_min <= no_share <= g.judge_no_max, len(questions) >= g.min_items,
              yes if no_share < g.judge_no_min else no),
        _goal("judge.scam_prompts_legitimate_share", f"≥ {g.legit_min:.0%}", legit_share,
              legit_share >= g.legit_min, len(scam) >= g.min_items,
              [q.item_id for q in scam if q.answers != ("no",)]),
    ]
    return figures, goals


def measure(bank: Bank, goals: Goals = GOALS) -> tuple[dict[str, Any], list[Goal]]:
    by_kind: dict[str, list[Question]] = {"single": [], "multiple": [], "judge": []}
    for q in bank.questions:
        by_kind.setdefault(q.kind, []).append(q)
    single, g1 = _single(by_kind["single"], goals)
    multiple, g2 = _multiple(by_kind["multiple"], goals)
    judge, g3 = _judge(by_kind["judge"], goals)
    return {"single": single, "multiple": multiple, "judge": judge}, [*g1, *g2, *g3]


def tells_stats(bank: Bank, goals: Goals = GOALS) -> dict[str, Any]:
    """The `tells` key of `bank stats --json`."""
    figures, results = measure(bank, goals)
    return {
        "length": "characters of the displayed option text",
        **figures,
        "goals": [{"name": r.name, "wanted": r.wanted, "value": r.value, "met": r.met} for r in results],
        "thresholds": asdict(goals),
        "all_met": all(r.met is not False for r in results),
    }


_WORDS = {
    "single.key_strictly_longest_share": "单选题里正确选项最长（严格最长）的占 {value:.0%}，目标 {wanted}"
                                         "（太多是“挑最长的”，太少是“别挑最长的”）",
    "single.mean_key_ratio": "单选题正确选项与干扰项的平均长度比为 {value:.2f}，目标 {wanted}",
    "single.items_at_or_above_limit": "单选题正确选项长度达到干扰项 {limit:.2f} 倍的有 {value} 道，目标 0 道",
    "multiple.largest_count_share": "多选题里同一个正确选项数占了 {value:.0%}，目标 {wanted}",
    "multiple.two_correct_share": "多选题里恰好两个正确选项的占 {value:.0%}，目标 {wanted}",
    "multiple.all_correct_or_five_options_share": "多选题里全部选项都正确或有五个以上选项的占 {value:.0%}，目标 {wanted}",
    "judge.no_share": "判断题答案为“否”的占 {value:.0%}，目标 {wanted}",
    "judge.scam_prompts_legitimate_share": "问“这是诈骗吗”的判断题里，描述正常情况（答“否”）的占 {value:.0%}，目标 {wanted}",
}


def tells_notes(bank: Bank, goals: Goals = GOALS) -> list[str]:
    """`bank check` notes: one line per missed goal, naming the items to rewrite."""
    notes = []
    for r in measure(bank, goals)[1]:
        if r.met is not False:
            continue
        line = "答案规律：" + _WORDS[r.name].format(value=r.value, wanted=r.wanted, limit=goals.item_ratio_limit)
        notes.append(f"{line}。可改写：{'、'.join(r.items)}" if r.items else f"{line}。")
    return notes
