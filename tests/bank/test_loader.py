"""The bank loader: typed items from YAML, and problems that name file, item and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.bank.loader import read_bank

ROOT = Path(__file__).resolve().parents[2]

GOOD_ITEM = """
  - id: {id}
    pattern: 刷单返利
    audiences: [student]
    kind: single
    scenario: 同学小林在群里看到“点赞一单赚3元，日结”的兼职广告。
    prompt: {prompt}
    options:
      A: 先交押金做任务
      B: 不理会，这是刷单诈骗
    answer: B
    explanation: 刷单返利是最常见的电信网络诈骗，先给小甜头，再让你垫付越来越多的钱，最后拉黑你。刷单本身也是违法的。
    rule: 三不一要
    action: 不加群不垫付，告诉老师和家长
    source: P6 四.4
"""


def write(tmp_path: Path, body: str, name: str = "items.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return tmp_path


def problems_of(tmp_path: Path, body: str) -> list[str]:
    _bank, problems = read_bank(write(tmp_path, body))
    return [str(p) for p in problems]


def test_shipped_bank_meets_the_coverage_the_campaign_needs():
    from collections import Counter

    from app.bank.taxonomy import PATTERNS, RULES

    bank, problems = read_bank(ROOT / "question_bank")
    assert problems == []
    questions = bank.questions
    assert len(questions) >= 200
    patterns = Counter(q.pattern for q in questions)
    assert set(patterns) == set(PATTERNS), "every pattern of the summary is covered"
    assert len(patterns) >= 25 and min(patterns.values()) >= 4
    audiences = Counter(a for q in questions for a in q.audiences)
    assert audiences["student"] >= 70 and audiences["elder"] >= 70 and audiences["staff"] >= 60
    kinds = Counter(q.kind for q in questions)
    assert kinds["single"] >= 60 and kinds["multiple"] >= 20 and kinds["judge"] >= 20
    cases = Counter(q.case_id for q in questions if q.case_id)
    assert len(cases) >= 20 and all(2 <= steps <= 4 for steps in cases.values())
    rules = Counter(q.rule for q in questions)
    assert set(rules) == set(RULES) and min(rules.values()) >= 3
    assert all(q.action and q.source and len(q.explanation) >= 30 for q in questions)


def test_shipped_quizzes_for_each_setting():
    bank, _ = read_bank(ROOT / "question_bank")
    quizzes = {q.id: q for q in bank.quizzes}
    assert (quizzes["student-basics"].count, quizzes["student-basics"].scenarios) == (15, 2)
    assert (quizzes["elder-listen"].count, quizzes["elder-listen"].scenarios) == (8, 0)
    assert (quizzes["staff-training"].count, quizzes["staff-training"].pass_mark) == (20, 80)
    themed = [q for q in bank.quizzes if q.patterns and q.count <= 6]
    assert len(themed) >= 7


def test_every_post_has_its_own_quiz_and_a_hospital_starts_with_its_own():
    from app.bank.taxonomy import ROLES
    from app.groups.kinds import KINDS

    bank, _ = read_bank(ROOT / "question_bank")
    by_role = {q.roles: q for q in bank.quizzes if len(q.roles) == 1}
    for role in ROLES:
        quiz = by_role[(role,)]
        assert (quiz.audience, quiz.count, quiz.pass_mark) == ("staff", 20, 80), role
        assert any(q.role == role for q in bank.pool(quiz)), role
    defaults = {q.id: q for q in bank.quizzes}
    assert defaults[KINDS["hospital"].default_quiz].roles == ("医院",)
    assert defaults[KINDS["agency"].default_quiz].roles == ()  # many posts: the quiz for every staff member
    assert not any(q.role for q in bank.pool(defaults["staff-training"]))


def test_a_role_is_for_staff_only_and_from_the_list(tmp_path):
    base = "items:" + GOOD_ITEM.format(id="sd-role", prompt="小林该怎么办？")
    found = problems_of(tmp_path, base.replace("audiences: [student]", "audiences: [student]\n    role: 学校"))
    assert any("题目 sd-role" in p and "字段 role" in p and "对象只能是 staff" in p for p in found), found
    found = problems_of(tmp_path, base.replace("audiences: [student]", "audiences: [staff]\n    role: 食堂"))
    assert any("字段 role" in p and "岗位应当是" in p for p in found), found
    bank, problems = read_bank(write(tmp_path, base.replace("audiences: [student]", "audiences: [staff]\n    role: 学校")))
    assert problems == [] and bank.questions[0].role == "学校"
    quiz = textwrap.dedent("""
        quizzes:
          - id: pupils
            title: 学生
            audience: student
            roles: [学校]
            count: 1
    """)
    assert any("题目 pupils" in p and "字段 roles" in p for p in problems_of(tmp_path, base + quiz))


def test_a_post_quiz_draws_its_posts_items_and_those_for_everyone(tmp_path):
    items = "items:" + "".join(
        GOOD_ITEM.format(id=f"sd-{n}", prompt=f"第{n}题怎么办？").replace("audiences: [student]", audiences)
        for n, audiences in enumerate(["audiences: [staff]\n    role: 学校", "audiences: [staff]\n    role: 医院",
                                       "audiences: [staff]", "audiences: [student, staff]"]))
    quizzes = textwrap.dedent("""
        quizzes:
          - id: teachers
            title: 教职工
            audience: staff
            roles: [学校]
            count: 3
          - id: everyone
            title: 职工
            audience: staff
            count: 2
          - id: pupils
            title: 学生
            audience: student
            count: 1
    """)
    bank, problems = read_bank(write(tmp_path, items + quizzes))
    assert problems == []
    pools = {quiz.id: [q.item_id for q in bank.pool(quiz)] for quiz in bank.quizzes}
    assert pools == {"teachers": ["sd-0", "sd-2", "sd-3"], "everyone": ["sd-2", "sd-3"], "pupils": ["sd-3"]}


def test_good_item_loads_into_typed_objects(tmp_path):
    bank, problems = read_bank(write(tmp_path, "items:" + GOOD_ITEM.format(id="sd-like", prompt="小林该怎么办？")))
    assert problems == []
    (q,) = bank.questions
    assert q.item_id == "sd-like" and q.kind == "single" and q.answers == ("B",)
    assert [o.text for o in q.options] == ["先交押金做任务", "不理会，这是刷单诈骗"]
    assert q.audiences == ("student",)


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (("answer: B", "answer: E"), "字段 answer", "不是这道题的选项"),
        (("pattern: 刷单返利", "pattern: 外星人诈骗"), "字段 pattern", "不在类型表里"),
        (("audiences: [student]", "audiences: [teacher]"), "字段 audiences", "student、elder、staff"),
        (("rule: 三不一要", "rule: 随便"), "字段 rule", "规则应当是"),
        (("    source: P6 四.4\n", ""), "字段 source", "缺少出处"),
        (("kind: single", "kind: essay"), "字段 kind", "题型"),
        (("explanation: 刷单", "explanation: 太短。\n    x: 刷单"), "字段 explanation", "解析太短"),
    ],
)
def test_each_fault_names_file_item_and_field(tmp_path, edit, field, words):
    body = "items:" + GOOD_ITEM.format(id="sd-faulty", prompt="小林该怎么办？")
    body = body.replace(*edit)
    found = problems_of(tmp_path, body)
    assert any("文件 items.yaml" in p and "题目 sd-faulty" in p and field in p and words in p for p in found), found


def test_multiple_choice_needs_two_answers(tmp_path):
    body = "items:" + GOOD_ITEM.format(id="sd-multi", prompt="以下哪些做法正确？").replace("kind: single", "kind: multiple")
    assert any("多选题至少要有两个正确答案" in p for p in problems_of(tmp_path, body))


def test_duplicate_ids_and_near_duplicate_prompts(tmp_path):
    body = "items:" + GOOD_ITEM.format(id="sd-a", prompt="小林该怎么办？") + GOOD_ITEM.format(id="sd-a", prompt="小林该怎么办!")
    found = problems_of(tmp_path, body)
    assert any("编号与" in p and "重复" in p for p in found)
    assert any("几乎相同" in p for p in found)


def test_scenario_steps_get_stable_ids_and_keep_order(tmp_path):
    body = """
    items:
      - id: case-demo
        pattern: 冒充公检法
        audiences: [elder]
        kind: scenario
        title: 演示
        source: P3 四(一)
        scenario: 开场情景。
        steps:
          - kind: judge
            prompt: 这是诈骗吗？
            answer: 是
            explanation: 公检法不会通过电话办案，也不会要求把钱转到安全账户，这一定是诈骗，要立即挂断。
            rule: 三不一要
            action: 挂断电话
          - scenario: 对方又说要你下载软件。
            kind: single
            prompt: 接下来怎么做？
            options: {A: 下载, B: 不下载，打电话报警核实}
            answer: B
            explanation: 不明软件可能让骗子看到你的屏幕和验证码，公安机关也不会让你下载软件配合调查，应当挂断后自己报警核实。
            rule: 三不一要
            action: 报警核实
    """
    bank, problems = read_bank(write(tmp_path, body))
    assert problems == []
    assert [q.item_id for q in bank.questions] == ["case-demo.1", "case-demo.2"]
    assert bank.questions[0].scenario.startswith("开场情景。")
    assert bank.questions[1].scenario == "对方又说要你下载软件。"
    assert {q.case_id for q in bank.questions} == {"case-demo"}
    assert bank.questions[0].source == "P3 四(一)"


def test_yaml_is_loaded_safely(tmp_path):
    body = "items:\n  - !!python/object/apply:os.system ['touch /tmp/pwned-by-yaml']\n"
    found = problems_of(tmp_path, body)
    assert found and "YAML 格式有误" in found[0]
    assert not Path("/tmp/pwned-by-yaml").exists()


def test_broken_yaml_and_missing_path_are_reported_in_words(tmp_path):
    assert "YAML 格式有误（第 3 行）" in problems_of(tmp_path, "items:\n  - id: [unclosed\n")[0]
    _bank, problems = read_bank(tmp_path / "nope")
    assert "找不到" in str(problems[0])


def test_quiz_that_cannot_be_filled_is_reported(tmp_path):
    body = "items:" + GOOD_ITEM.format(id="sd-one", prompt="小林该怎么办？") + textwrap.dedent(
        """
        quizzes:
          - id: too-big
            title: 太大
            audience: student
            count: 5
            pass_mark: 60
        """
    )
    assert any("题目 too-big" in p and "不够出 5 道" in p for p in problems_of(tmp_path, body))


def test_a_quiz_that_would_need_more_cases_than_it_asks_is_reported(tmp_path):
    """A quiz never tops up with extra cases, so its one-question items must fill what its cases leave."""
    case = textwrap.dedent("""
      - id: case-two
        pattern: 刷单返利
        audiences: [student]
        kind: scenario
        title: 两步
        source: P6 四.4
        scenario: 开场情景。
        steps:
          - kind: judge
            prompt: 这是诈骗吗？
            answer: 是
            explanation: 刷单返利是最常见的电信网络诈骗，先给小甜头，再让你垫付越来越多的钱，最后拉黑你。
            rule: 三不一要
            action: 不垫付
          - kind: judge
            prompt: 还要继续垫钱吗？
            answer: 否
            explanation: 越垫越多是刷单诈骗的套路，垫进去的钱拿不回来，应当立即停止，保留证据并报警。
            rule: 三不一要
            action: 停止垫付并报警
    """)
    body = "items:" + GOOD_ITEM.format(id="sd-one", prompt="小林该怎么办？") + textwrap.indent(case, "  ") + textwrap.dedent(
        """
        quizzes:
          - id: no-cases
            title: 不要情景题
            audience: student
            count: 3
            scenarios: 0
          - id: one-case
            title: 一个情景题
            audience: student
            count: 3
            scenarios: 1
        """
    )
    found = problems_of(tmp_path, body)
    assert any("题目 no-cases" in p and "一题一答的题只有 1 道" in p for p in found), found
    assert not any("one-case" in p for p in found), found


def test_text_that_reads_badly_aloud_needs_a_speech_version(tmp_path):
    body = "items:" + GOOD_ITEM.format(id="sd-hotline", prompt="小林该打110吗？")
    found = problems_of(tmp_path, body)
    assert any("题目 sd-hotline" in p and "字段 speech.prompt" in p and "“110”朗读时会读错" in p for p in found), found
    fixed = body.replace("    source: P6 四.4\n", "    source: P6 四.4\n    speech:\n      prompt: 小林该打幺幺零吗？\n")
    assert problems_of(tmp_path, fixed) == []
    bad_speech = fixed.replace("小林该打幺幺零吗？", "小林该打 APP 吗？")
    assert any("字段 speech.prompt" in p and "不能有" in p for p in problems_of(tmp_path, bad_speech))


def test_explanations_may_not_point_at_shuffled_options_by_letter(tmp_path):
    for wording in ("所以B是错的。", "第三种做法不可取。", "选项C不对。"):
        body = "items:" + GOOD_ITEM.format(id="sd-letter", prompt="小林该怎么办？").replace(
            "最后拉黑你。", "最后拉黑你。" + wording)
        found = problems_of(tmp_path, body)
        assert any("字段 explanation" in p and "不要用字母" in p for p in found), (wording, found)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(
    st.sampled_from(["id", "pattern", "audiences", "kind", "scenario", "prompt", "options", "answer", "explanation",
                     "rule", "action", "source", "speech", "steps", "title", "role", "zzz"]),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                 max_leaves=8),
    max_size=12,
))
def test_any_item_shape_gives_problems_never_a_crash(item):
    from app.bank.loader import Collector, parse_item

    out = Collector("fuzz.yaml")
    parse_item(item, out, 1)
    assert all(p.file == "fuzz.yaml" and p.message for p in out.problems)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(
    st.sampled_from(["id", "title", "audience", "count", "pass_mark", "patterns", "scenarios", "description", "items",
                     "roles"]),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                 max_leaves=8),
    max_size=9,
))
def test_any_quiz_shape_gives_problems_never_a_crash(quiz):
    from app.bank.loader import Collector, parse_quiz

    out = Collector("fuzz.yaml")
    parse_quiz({"id": "fuzz-quiz", **quiz} if "id" not in quiz else quiz, out, 1)
    assert all(p.message for p in out.problems)
