"""Read question_bank/ YAML with safe loading into validated Question and QuizDef objects."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, TypeGuard

from app.bank.errors import BankError, Problem
from app.bank.limits import (
    MAX_QUESTIONS,
    MIN_QUESTIONS,
    PASS_MARK_DEFAULT,
    PASS_MARK_MAX,
    PASS_MARK_MIN,
    valid_count,
    valid_pass_mark,
)
from app.bank.safe_files import (
    MAX_FILE_QUESTIONS,
    MAX_YAML_BYTES,
    MAX_YAML_DEPTH,
    FileRefused,
    check_size,
    too_many_questions,
)
from app.bank.schema import Bank, Option, Question, QuizDef
from app.bank.taxonomy import AUDIENCES, JUDGE_OPTIONS, KINDS, PATTERNS, ROLES, RULES

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
OPTION_KEYS = "ABCDEF"
ITEM_FIELDS = {
    "id", "pattern", "audiences", "kind", "scenario", "prompt", "options", "answer",
    "explanation", "rule", "action", "source", "speech", "title", "steps", "role",
}
STEP_FIELDS = {
    "kind", "scenario", "prompt", "options", "answer", "explanation", "rule", "action",
    "source", "speech",
}
QUIZ_FIELDS = {"id", "title", "audience", "count", "pass_mark", "patterns", "scenarios", "description", "items", "roles"}
SPEECH_FIELDS = {"scenario", "prompt", "options", "explanation"}
MIN_EXPLANATION = 30
# Options are shuffled per attempt, so an explanation may not point at one by its letter or position.
OPTION_REF_RE = re.compile(r"(?<![A-Za-z])(?:选项)?[A-F](?:项|是|里|说|不|、[A-F])|第[一二三四五六]种|第[一二三四五六]个选项|最后一种|选项[A-F]")
# Text that a speech engine reads wrongly: hotlines read as amounts (110 → 一百一十), Latin letters,
# brackets and masking stars. Such text needs a `speech` version, which must itself be free of them.
NEEDS_SPEECH_RE = re.compile(r"(?<!\d)(?:110|119|120|122|12315|12345|12348|12381|96110)(?!\d)|[A-Za-z()（）【】\[\]*]")
LIMITS = {"scenario": 1200, "prompt": 300, "explanation": 800, "action": 200, "source": 200}
# Invisible characters that reorder how text is shown (the right-to-left override and its kin, as in
# "Trojan Source"): a question would read differently on the page from what was checked and voiced.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
BIDI_MESSAGE = "有改变文字方向的隐藏字符（如“从右到左覆盖”U+202E），页面上显示的文字会和实际内容不一样，请删掉后再导入"


class Collector:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, item_id: str | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, item_id, field, message))


def _one_of(value: object, allowed: dict[str, Any]) -> TypeGuard[str]:
    return isinstance(value, str) and value in allowed


def _text(raw: Any) -> str:
    return unicodedata.normalize("NFC", raw).strip() if isinstance(raw, str) else ""


def _req_text(data: dict[str, Any], key: str, item_id: str, out: Collector, required: bool = True) -> str:
    raw = data.get(key)
    if raw is None:
        if required:
            out.add(item_id, key, "缺少这一项，请补上")
        return ""
    if not isinstance(raw, str):
        out.add(item_id, key, "应当是一段文字")
        return ""
    value = _text(raw)
    if required and not value:
        out.add(item_id, key, "不能为空")
    if BIDI_CONTROLS.intersection(value):
        out.add(item_id, key, BIDI_MESSAGE)
    limit = LIMITS.get(key)
    if limit and len(value) > limit:
        out.add(item_id, key, f"太长了（{len(value)} 字），最多 {limit} 字")
    return value


def _options(data: dict[str, Any], kind: str, item_id: str, out: Collector) -> tuple[Option, ...]:
    if kind == "judge":
        if "options" in data:
            out.add(item_id, "options", "判断题不用写选项，固定为“是 / 否”")
        return tuple(Option(key, text) for key, text in JUDGE_OPTIONS.items())
    raw = data.get("options")
    if not isinstance(raw, dict) or not raw:
        out.add(item_id, "options", "应当写成 A: … B: … 这样的选项列表")
        return ()
    options = []
    for key, text in raw.items():
        if not isinstance(key, str) or key not in OPTION_KEYS:
            out.add(item_id, "options", f"选项 {key!s} 的编号应当是 A 到 F 之一")
            continue
        value = _text(text) if isinstance(text, str) else ""
        if not value:
            out.add(item_id, "options", f"选项 {key} 没有内容")
        elif BIDI_CONTROLS.intersection(value):
            out.add(item_id, "options", f"选项 {key} {BIDI_MESSAGE}")
        options.append(Option(key, value))
    keys = [o.key for o in options]
    if keys != sorted(keys) or keys != list(OPTION_KEYS[: len(keys)]):
        out.add(item_id, "options", "选项应当从 A 开始依次编号（A、B、C…），不要跳号")
    if not 2 <= len(options) <= 6:
        out.add(item_id, "options", "选项应当有 2 到 6 个")
    texts = [o.text for o in options]
    if len(set(texts)) != len(texts):
        out.add(item_id, "options", "有两个选项的文字完全相同")
    return tuple(options)


def _answers(data: dict[str, Any], kind: str, options: tuple[Option, ...], item_id: str, out: Collector) -> tuple[str, ...]:
    raw = data.get("answer")
    if raw is None:
        out.add(item_id, "answer", "缺少正确答案")
        return ()
    if kind == "judge":
        by_text = {text: key for key, text in JUDGE_OPTIONS.items()}
        if not _one_of(raw, by_text):
            out.add(item_id, "answer", "判断题的答案应当是“是”或“否”")
            return ()
        return (by_text[raw],)
    values = raw if isinstance(raw, list) else [raw]
    if not all(isinstance(v, str) for v in values):
        out.add(item_id, "answer", "答案应当写选项编号，例如 B 或 [A, C]")
        return ()
    keys = {o.key for o in options}
    missing = [v for v in values if v not in keys]
    if missing:
        out.add(item_id, "answer", f"答案 {'、'.join(missing)} 不是这道题的选项")
    if len(set(values)) != len(values):
        out.add(item_id, "answer", "答案里有重复的选项")
    if kind == "single" and len(values) != 1:
        out.add(item_id, "answer", "单选题只能有一个正确答案")
    if kind == "multiple" and len(values) < 2:
        out.add(item_id, "answer", "多选题至少要有两个正确答案，只有一个请改成单选题")
    return tuple(sorted(values))


def _speech(data: dict[str, Any], item_id: str, out: Collector) -> dict[str, Any]:
    raw = data.get("speech")
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not set(raw) <= SPEECH_FIELDS:
        out.add(item_id, "speech", "朗读文本只能写 scenario、prompt、options、explanation 这几项")
        return {}
    return raw


def _check_speech(q: Question, out: Collector) -> None:
    """Every field that would read badly aloud has a speech version, and speech reads cleanly."""
    speech = q.speech
    spoken_options = speech.get("options") or {}
    if not isinstance(spoken_options, dict):
        out.add(q.item_id, "speech", "speech.options 应当写成 A: … 这样的读法列表")
        spoken_options = {}
    fields = [("scenario", q.scenario, speech.get("scenario")), ("prompt", q.prompt, speech.get("prompt")),
              ("explanation", q.explanation, speech.get("explanation"))]
    if q.kind != "judge":
        fields += [(f"options.{o.key}", o.text, spoken_options.get(o.key)) for o in q.options]
    for name, text, spoken in fields:
        if spoken is not None and (not isinstance(spoken, str) or NEEDS_SPEECH_RE.search(spoken)):
            out.add(q.item_id, f"speech.{name}", "朗读文本里不能有热线数字、英文字母、括号或星号，请写成读法（如 幺幺零）")
        elif spoken is None and text and (match := NEEDS_SPEECH_RE.search(text)):
            out.add(q.item_id, f"speech.{name}", f"“{match.group(0)}”朗读时会读错，请在 speech 里写出这段的读法")


def _unknown(data: dict[str, Any], allowed: set[str], item_id: str, out: Collector) -> None:
    for key in data:
        if key not in allowed:
            out.add(item_id, str(key), "不认识这个字段，是不是写错了？")


def _question(data: dict[str, Any], base: dict[str, Any], item_id: str, out: Collector, **case: Any) -> Question:
    kind = data.get("kind")
    if not _one_of(kind, KINDS):
        out.add(item_id, "kind", "题型应当是 single（单选）、multiple（多选）或 judge（判断）")
        kind = "single"
    options = _options(data, kind, item_id, out)
    answers = _answers(data, kind, options, item_id, out)
    explanation = _req_text(data, "explanation", item_id, out)
    speech = data.get("speech")
    spoken = str(speech.get("explanation", "")) if isinstance(speech, dict) else ""
    if OPTION_REF_RE.search(explanation) or OPTION_REF_RE.search(spoken):
        out.add(item_id, "explanation", "选项每次出现的顺序都会打乱，解析里不要用字母或“第几种”指代选项，请直接说出那个做法")
    if explanation and len(explanation) < MIN_EXPLANATION:
        out.add(item_id, "explanation", f"解析太短（{len(explanation)} 字），至少写 {MIN_EXPLANATION} 字，讲清为什么")
    rule = data.get("rule")
    if not _one_of(rule, RULES):
        out.add(item_id, "rule", f"规则应当是以下之一：{'、'.join(RULES)}")
    source = _req_text(data, "source", item_id, out, required=False) or base["source"]
    if not source:
        out.add(item_id, "source", "缺少出处：写文件和章节，例如“P3 四(一)”，或 public guidance")
    question = Question(
        item_id=item_id,
        pattern=base["pattern"],
        audiences=base["audiences"],
        role=base["role"],
        kind=kind,
        scenario=_req_text(data, "scenario", item_id, out, required=False),
        prompt=_req_text(data, "prompt", item_id, out),
        options=options,
        answers=answers,
        explanation=explanation,
        rule=str(rule),
        action=_req_text(data, "action", item_id, out),
        source=source,
        speech=_speech(data, item_id, out),
        file=out.file,
        **case,
    )
    _check_speech(question, out)
    return question


def _role(data: dict[str, Any], audiences: list[str], item_id: str, out: Collector) -> str | None:
    """An item written for one post (its listener acts as a teller, a nurse, a grid worker …) is for
    that post's staff only: never for students or elders, who should not be asked to act as officials."""
    role = data.get("role")
    if role is None or role == "":
        return None
    if not _one_of(role, ROLES):
        out.add(item_id, "role", f"岗位应当是以下之一：{'、'.join(ROLES)}；所有人都能做的题不填")
        return None
    if list(audiences) != ["staff"]:
        out.add(item_id, "role", "写了岗位的题是给这个岗位的职工做的，对象只能是 staff（职工）")
    return role


def parse_item(data: Any, out: Collector, index: int) -> list[Question]:
    if not isinstance(data, dict):
        out.add(f"第{index}题", None, "每道题应当是一组“字段: 内容”")
        return []
    item_id = data.get("id")
    if not isinstance(item_id, str) or not ID_RE.match(item_id):
        out.add(f"第{index}题", "id", "编号只能用小写字母、数字和连字符，例如 gjf-safe-account")
        item_id = f"第{index}题"
    _unknown(data, ITEM_FIELDS, item_id, out)
    pattern = data.get("pattern")
    if not _one_of(pattern, PATTERNS):
        out.add(item_id, "pattern", f"诈骗类型“{pattern}”不在类型表里，请从这些类型中选一个：{'、'.join(PATTERNS)}")
    audiences = data.get("audiences")
    if not isinstance(audiences, list) or not audiences or not all(_one_of(a, AUDIENCES) for a in audiences):
        out.add(item_id, "audiences", "对象应当是 student、elder、staff 中的一个或几个")
        audiences = []
    base = {
        "pattern": str(pattern),
        "audiences": tuple(sorted(set(audiences))),
        "role": _role(data, audiences, item_id, out),
        "source": _req_text(data, "source", item_id, out, required=data.get("kind") == "scenario"),
    }
    if data.get("kind") != "scenario" or not isinstance(data.get("kind"), str):
        return [_question(data, base, item_id, out)]
    title = _req_text(data, "title", item_id, out)
    intro = _req_text(data, "scenario", item_id, out)
    steps = data.get("steps")
    if not isinstance(steps, list) or not 2 <= len(steps) <= 4:
        out.add(item_id, "steps", "情景题应当有 2 到 4 步")
        return []
    questions = []
    for n, step in enumerate(steps, start=1):
        step_id = f"{item_id}.{n}"
        if not isinstance(step, dict):
            out.add(step_id, None, "每一步应当是一组“字段: 内容”")
            continue
        _unknown(step, STEP_FIELDS, step_id, out)
        step_data = dict(step)
        if n == 1:
            # The case's opening scene comes before the first step's own text.
            step_data["scenario"] = "\n".join(t for t in (intro, _text(step.get("scenario"))) if t)
        questions.append(
            _question(step_data, base, step_id, out, case_id=item_id, case_title=title, step=n, steps=len(steps))
        )
    return questions


def parse_quiz(data: Any, out: Collector, index: int) -> QuizDef | None:
    if not isinstance(data, dict):
        out.add(f"第{index}个测验", None, "每个测验应当是一组“字段: 内容”")
        return None
    quiz_id = data.get("id")
    if not isinstance(quiz_id, str) or not ID_RE.match(quiz_id):
        out.add(f"第{index}个测验", "id", "测验编号只能用小写字母、数字和连字符")
        return None
    _unknown(data, QUIZ_FIELDS, quiz_id, out)
    title = _req_text(data, "title", quiz_id, out)
    audience = data.get("audience")
    if not _one_of(audience, AUDIENCES):
        out.add(quiz_id, "audience", "对象应当是 student、elder 或 staff")
    count = data.get("count")
    if not valid_count(count):
        out.add(quiz_id, "count", f"题数应当是 {MIN_QUESTIONS} 到 {MAX_QUESTIONS} 之间的整数")
        count = MIN_QUESTIONS
    pass_mark = data.get("pass_mark", PASS_MARK_DEFAULT)
    if not valid_pass_mark(pass_mark):
        out.add(quiz_id, "pass_mark", f"及格线应当是 {PASS_MARK_MIN} 到 {PASS_MARK_MAX} 之间的整数（百分比）")
        pass_mark = PASS_MARK_DEFAULT
    patterns = data.get("patterns") or []
    if not isinstance(patterns, list) or any(not _one_of(p, PATTERNS) for p in patterns):
        out.add(quiz_id, "patterns", "诈骗类型列表里有不认识的类型")
        patterns = []
    items = data.get("items") or []
    if not isinstance(items, list) or not all(isinstance(i, str) and ID_RE.match(i.split(".")[0]) for i in items):
        out.add(quiz_id, "items", "题目编号列表应当是若干个题目编号")
        items = []
    roles = data.get("roles") or []
    if not isinstance(roles, list) or any(not _one_of(r, ROLES) for r in roles) or len(set(roles)) != len(roles):
        out.add(quiz_id, "roles", f"岗位列表里有不认识或重复的岗位（可用：{'、'.join(ROLES)}）")
        roles = []
    elif roles and audience != "staff":
        out.add(quiz_id, "roles", "只有职工（staff）的测验才能按岗位出题")
    scenarios = data.get("scenarios", 0)
    if not isinstance(scenarios, int) or isinstance(scenarios, bool) or scenarios < 0:
        out.add(quiz_id, "scenarios", "情景题数量应当是不小于 0 的整数")
        scenarios = 0
    return QuizDef(
        id=quiz_id, title=title, audience=str(audience), count=count, pass_mark=pass_mark,
        patterns=tuple(patterns), scenarios=scenarios, items=tuple(items), roles=tuple(roles),
        description=_req_text(data, "description", quiz_id, out, required=False), file=out.file,
    )


def _depth(yaml: Any, text: str, loader: Any) -> int:
    """How deep lists and mappings nest, read from the parser's events (stops past MAX_YAML_DEPTH)."""
    depth = deepest = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_YAML_DEPTH:
                break
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            depth -= 1
    return deepest


def parse_yaml_file(path: Path, label: str | None = None) -> tuple[list[Question], list[QuizDef], list[Problem]]:
    import yaml  # only the bank commands read YAML: web workers never load it (about 1 MB each)

    # libyaml's loader when PyYAML has it (its wheels do): ten times faster than the pure-Python one,
    # the same safe subset. It recurses in C when it builds nested lists, so the nesting is checked
    # first on its (flat) event stream.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out = Collector(label or path.name)
    try:
        check_size(path, MAX_YAML_BYTES)
        text = path.read_text(encoding="utf-8")
        if _depth(yaml, text, loader) > MAX_YAML_DEPTH:
            out.add(None, None, f"YAML 的列表和字段嵌套太深（超过 {MAX_YAML_DEPTH} 层），无法读取")
            return [], [], out.problems
        doc = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader (CSafeLoader or SafeLoader)
    except FileRefused as exc:
        out.add(None, None, exc.message)
        return [], [], out.problems
    except UnicodeDecodeError:
        out.add(None, None, "文件不是 UTF-8 编码，请用 UTF-8 保存")
        return [], [], out.problems
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else "某处"
        out.add(None, None, f"YAML 格式有误（{where}）：{getattr(exc, 'problem', exc)}")
        return [], [], out.problems
    if doc is None:
        return [], [], []
    if not isinstance(doc, dict) or not set(doc) <= {"family", "items", "quizzes"}:
        out.add(None, None, "文件顶层只能有 family、items、quizzes 三项")
        return [], [], out.problems
    for key in ("items", "quizzes"):
        if doc.get(key) is not None and not isinstance(doc[key], list):
            out.add(None, key, f"{key} 应当是一个列表（每项以“- ”开头）")
            return [], [], out.problems
    if len(doc.get("items") or []) > MAX_FILE_QUESTIONS:
        out.add(None, "items", too_many_questions(len(doc["items"])).message)
        return [], [], out.problems
    questions: list[Question] = []
    for i, raw in enumerate(doc.get("items") or [], start=1):
        questions.extend(parse_item(raw, out, i))
    quizzes = [q for i, raw in enumerate(doc.get("quizzes") or [], start=1) if (q := parse_quiz(raw, out, i))]
    return questions, quizzes, out.problems


# Control characters (NUL above all: PostgreSQL refuses it in text, SQLite would store it) and halves
# of surrogate pairs (a JSON escape can make one) are refused in any text of a bank file, from the command line or an upload.
HIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
HIDDEN_MESSAGE = "有看不见的控制字符（如 NUL），请删掉后再试"


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def hidden_characters(questions: list[Question], quizzes: list[QuizDef]) -> list[Problem]:
    """One problem per field holding a control character, named by the file's own ids."""
    problems = []
    for q in questions:
        fields: dict[str, object] = {
            "scenario": q.scenario, "prompt": q.prompt, "options": [o.text for o in q.options],
            "explanation": q.explanation, "rule": q.rule, "action": q.action, "source": q.source,
            "title": q.case_title, "speech": q.speech,
        }
        problems += [Problem(q.file, q.item_id, key, HIDDEN_MESSAGE) for key, value in fields.items()
                     if any(HIDDEN_RE.search(s) for s in _strings(value))]
    for quiz in quizzes:
        texts = {"title": quiz.title, "description": quiz.description}
        problems += [Problem(quiz.file, quiz.id, key, HIDDEN_MESSAGE) for key, value in texts.items()
                     if HIDDEN_RE.search(value)]
    return problems


def cross_check(questions: list[Question], quizzes: list[QuizDef]) -> list[Problem]:
    """Checks across files: hidden characters, unique ids, near-duplicate prompts, and quizzes that can be filled."""
    problems: list[Problem] = hidden_characters(questions, quizzes)
    seen: dict[str, Question] = {}
    for q in questions:
        if q.item_id in seen:
            problems.append(Problem(q.file, q.item_id, "id", f"编号与 {seen[q.item_id].file} 里的题目重复"))
        seen[q.item_id] = q
    prompts: dict[str, Question] = {}
    for q in questions:
        norm = re.sub(r"[\s\W_]+", "", q.scenario + q.prompt)
        other = prompts.get(norm)
        if other is not None:
            problems.append(Problem(q.file, q.item_id, "prompt", f"与题目 {other.item_id} 的情景和问题几乎相同"))
        prompts[norm] = q
    quiz_ids: set[str] = set()
    bank = Bank(tuple(questions), tuple(quizzes))
    for quiz in quizzes:
        if quiz.id in quiz_ids:
            problems.append(Problem(quiz.file, quiz.id, "id", "测验编号重复"))
        quiz_ids.add(quiz.id)
        pool = bank.pool(quiz)
        if len(pool) < quiz.count:
            problems.append(Problem(quiz.file, quiz.id, "count", f"符合条件的题只有 {len(pool)} 道，不够出 {quiz.count} 道"))
        cases = Counter(q.case_id for q in pool if q.case_id)
        if len(cases) < quiz.scenarios:
            problems.append(Problem(quiz.file, quiz.id, "scenarios", f"符合条件的情景题只有 {len(cases)} 个"))
        # A quiz asks exactly its `scenarios` cases and fills up with one-question items, never with
        # more cases (app.quiz.draw), so those must fill it even when the shortest cases are drawn.
        singles = len(pool) - sum(cases.values())
        shortest = sum(sorted(cases.values())[: quiz.scenarios])
        if not quiz.items and len(pool) >= quiz.count and singles + shortest < quiz.count:
            problems.append(Problem(quiz.file, quiz.id, "count", f"一题一答的题只有 {singles} 道，加上 {quiz.scenarios} 个情景题"
                                    f"也不够出 {quiz.count} 道（不会用更多情景题补足）"))
    return problems


SUFFIXES = {".yaml", ".yml", ".xlsx", ".gift"}


def bank_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
    return [path]


def parse_file(path: Path) -> tuple[list[Question], list[QuizDef], list[Problem]]:
    try:
        check_size(path)  # every format: a reader never starts on a file past the cap (app.bank.safe_files)
    except FileRefused as exc:
        return [], [], [Problem(path.name, None, None, exc.message)]
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from app.bank.xlsx_format import parse_xlsx

        return parse_xlsx(path)
    if suffix == ".gift":
        from app.bank.gift_format import parse_gift

        return parse_gift(path)
    if suffix in {".yaml", ".yml"}:
        return parse_yaml_file(path)
    return [], [], [Problem(path.name, None, None, "只支持 .yaml、.xlsx（Excel）和 .gift 题库文件")]


def read_bank(path: Path) -> tuple[Bank, list[Problem]]:
    """Read a folder or one file. Returns the bank and every problem found (empty when valid)."""
    questions: list[Question] = []
    quizzes: list[QuizDef] = []
    problems: list[Problem] = []
    if not path.exists():
        return Bank((), ()), [Problem(str(path), None, None, "找不到这个文件或文件夹")]
    files = bank_files(path)
    if path.is_dir() and not files:
        problems.append(Problem(str(path), None, None, "文件夹里没有题库文件（.yaml、.xlsx 或 .gift）"))
    for file in files:
        qs, qz, probs = parse_file(file)
        questions += qs
        quizzes += qz
        problems += probs
    problems += cross_check(questions, quizzes)
    return Bank(tuple(questions), tuple(quizzes)), problems


def load_bank(path: Path) -> Bank:
    bank, problems = read_bank(path)
    if problems:
        raise BankError(problems)
    return bank
