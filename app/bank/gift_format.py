"""GIFT (Moodle's text format) in and out.

Each item is one GIFT question titled with its id, in a category `反诈课堂/<pattern>/<audiences>`, or
`反诈课堂/<pattern>/staff/<role>` for an item written for one post (so the role survives an LMS too).
The explanation is the general feedback, followed by lines 规则：…, 做法：…, 出处：… so that a question
edited in an LMS still carries them. Speech text and scenario structure travel in `// fzkt:` comment
lines (Moodle ignores comments), quiz definitions in `// fzkt-quiz:` lines.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.bank.errors import Problem
from app.bank.gift_moodle import UNSUPPORTED, Block, GiftQuestion, GiftSyntaxError, blocks, read_question, restore
from app.bank.gift_text import FORMAT_PREFIX
from app.bank.loader import OPTION_KEYS as OPTION_LETTERS
from app.bank.loader import Collector, parse_item, parse_quiz
from app.bank.safe_files import MAX_FILE_QUESTIONS, too_many_questions
from app.bank.schema import Bank, Question, QuizDef

ROOT_CATEGORY = "反诈课堂"
SPECIAL = "~=#{}:"
FEEDBACK_FIELDS = {"规则": "rule", "做法": "action", "出处": "source"}


def escape(text: str) -> str:
    out = "".join("\\" + ch if ch in SPECIAL or ch == "\\" else ch for ch in text)
    return out.replace("\n", "\\n")


def _category_name(name: str) -> str:
    return name.replace("/", "//")  # Moodle's escape for a slash inside one category name


def _split_category(path: str) -> list[str]:
    return [part.replace("\0", "/") for part in path.replace("//", "\0").split("/")]


def _our_category(path: list[str]) -> list[str]:
    """[pattern, audiences, role?] from a category path. Moodle exports it under its own parents
    ($course$/top/默认类别/反诈课堂/…), so whatever comes before 反诈课堂 is dropped."""
    parts = [part for part in path if part]
    if ROOT_CATEGORY in parts:
        return parts[parts.index(ROOT_CATEGORY) + 1:]
    return [part for part in parts if part != "top" and not (part.startswith("$") and part.endswith("$"))]


# ---------------------------------------------------------------- writing


def _html(text: str) -> str:
    """Text as GIFT [html]: options and feedback take the question's format, so they are escaped
    for HTML too. A text that itself starts like a format mark gets an explicit [html] first."""
    markup = html.escape(text, quote=False)
    return escape(("[html]" if FORMAT_PREFIX.match(markup) else "") + markup)


def _paragraphs(text: str) -> str:
    """One <p> per line; an empty line is an empty <p></p>, so blank lines come back."""
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in text.split("\n")) if text else ""


def _question_text(q: Question) -> str:
    prompt = f"<p><strong>{html.escape(q.prompt, quote=False)}</strong></p>"
    return "[html]" + escape(_paragraphs(q.scenario) + prompt)


def _feedback(q: Question) -> str:
    return escape(_paragraphs(f"{q.explanation}\n规则：{q.rule}\n做法：{q.action}\n出处：{q.source}"))


def _answers(q: Question) -> list[str]:
    if q.kind == "judge":
        return ["TRUE" if q.answers[0] == "yes" else "FALSE"]
    if q.kind == "single":
        # A wrong option whose text starts with % gets an explicit weight of 0, so that its own
        # "%50%…" is never read as a weight (in Moodle or here).
        return [("=" if o.key in q.answers else "~%0%" if o.text.startswith("%") else "~") + _html(o.text)
                for o in q.options]
    share = f"{100 / len(q.answers):.5f}".rstrip("0").rstrip(".")
    return [(f"~%{share}%" if o.key in q.answers else "~%-100%") + _html(o.text) for o in q.options]


def _meta(q: Question) -> dict[str, Any]:
    meta: dict[str, Any] = {"kind": q.kind}
    if q.speech:
        meta["speech"] = q.speech
    if q.case_id:
        meta["case"] = {"id": q.case_id, "title": q.case_title, "step": q.step, "steps": q.steps}
    return meta


def write_gift(bank: Bank, out: Path) -> Path:
    lines = ["// 反诈课堂题库（GIFT 格式，可导入 Moodle 等学习平台）", ""]
    for quiz in bank.quizzes:
        spec = {"id": quiz.id, "title": quiz.title, "audience": quiz.audience, "count": quiz.count,
                "pass_mark": quiz.pass_mark, "patterns": list(quiz.patterns), "scenarios": quiz.scenarios,
                "description": quiz.description, "items": list(quiz.items), "roles": list(quiz.roles)}
        lines.append("// fzkt-quiz: " + json.dumps(spec, ensure_ascii=False))
    category = None
    for q in bank.questions:
        wanted = f"$course$/{ROOT_CATEGORY}/{_category_name(q.pattern)}/{','.join(q.audiences)}"
        if q.role:
            wanted += f"/{_category_name(q.role)}"
        if wanted != category:
            lines += ["", f"$CATEGORY: {wanted}"]
            category = wanted
        lines += ["", "// fzkt: " + json.dumps(_meta(q), ensure_ascii=False)]
        lines.append(f"::{escape(q.item_id)}::{_question_text(q)}{{")
        lines += [f"\t{a}" for a in _answers(q)]
        lines.append(f"\t####{_feedback(q)}")
        lines.append("}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


# ---------------------------------------------------------------- reading


def _feedback_fields(feedback: str) -> dict[str, str]:
    lines = feedback.strip().split("\n")
    found: dict[str, str] = {}
    while lines:
        match = re.match(r"^(规则|做法|出处)[：:]\s*(.*)$", lines[-1].strip())
        if not match:
            break
        found[FEEDBACK_FIELDS[match.group(1)]] = match.group(2).strip()
        lines.pop()
    found["explanation"] = "\n".join(lines).strip()
    return found


@dataclass
class _Record:
    line: int
    question: GiftQuestion
    category: list[str]
    meta: dict[str, Any]


def _read_comments(block: Block, quizzes: list[dict[str, Any]], out: Collector) -> dict[str, Any]:
    """Quiz definitions go to `quizzes`; returns the block's own `// fzkt:` item data."""
    meta: dict[str, Any] = {}
    for line in block.comments:
        for prefix in ("// fzkt-quiz:", "// fzkt:"):
            if not line.startswith(prefix):
                continue
            try:
                value = json.loads(line[len(prefix):])
            except json.JSONDecodeError:
                out.problems.append(Problem(out.file, None, None, f"注释行里的数据格式不对：{line[:40]}", row=block.line))
                break
            if prefix == "// fzkt-quiz:":
                quizzes.append(value)
            elif isinstance(value, dict):
                meta = value
            break
    return meta


def _refusal(question: GiftQuestion) -> str:
    if question.qtype == "description":
        return f"这是{UNSUPPORTED['description']}。请删掉这段，或者给它加上选项，写成选择题或判断题"
    return (f"这是{UNSUPPORTED[question.qtype]}，反诈课堂只能播放选择题（单选、多选）和判断题。"
            "请改成选择题或判断题，或者从文件里删掉")


def _records(text: str, out: Collector) -> tuple[list[_Record], list[dict[str, Any]]]:
    """Moodle's reading: one question per blank-line-separated block, each checked for its type."""
    records: list[_Record] = []
    quizzes: list[dict[str, Any]] = []
    category: list[str] = []
    questions = 0
    for block in blocks(text):
        meta = _read_comments(block, quizzes, out)
        if block.lines and block.lines[0].startswith("$CATEGORY:"):
            category = _split_category(restore(block.lines[0][len("$CATEGORY:"):]).strip())
            block = Block(block.line + 1, block.lines[1:])
        if not block.lines:
            continue
        questions += 1
        if questions > MAX_FILE_QUESTIONS:  # the cap of app.bank.safe_files, before more is read
            out.problems.append(Problem(out.file, None, None, too_many_questions().message))
            return [], quizzes
        try:
            question = read_question(block)
        except GiftSyntaxError as exc:
            out.problems.append(Problem(out.file, None, None, str(exc), row=block.line))
            continue
        if question.qtype in UNSUPPORTED:
            out.problems.append(Problem(out.file, question.name, None, _refusal(question), row=block.line))
            continue
        records.append(_Record(block.line, question, category, meta))
    return records, quizzes


def _answer(question: GiftQuestion, meta: dict[str, Any]) -> tuple[list[str], list[str], str | None]:
    """(option texts, correct letters, what is wrong with them or None)."""
    texts = [c.text for c in question.choices]
    if question.single:  # one `=` answer: partial-credit (~%50%) options are wrong answers here
        correct = [n for n, c in enumerate(question.choices) if c.fraction >= 1]
        if len(correct) > 1:
            return texts, [], (f"有 {len(correct)} 个满分答案（=），单选题只能有一个；几个都对请写成多选题"
                               "（每个正确选项写成 ~%50% 这样的分值，不用 =）")
    else:  # weights only: Moodle's multiple response, every option with credit is part of the answer
        correct = [n for n, c in enumerate(question.choices) if c.fraction > 0]
    if len(texts) > len(OPTION_LETTERS):
        return texts, [], f"有 {len(texts)} 个选项，最多 {len(OPTION_LETTERS)} 个"
    return texts, [OPTION_LETTERS[n] for n in correct], None


def _item_data(record: _Record, index: int, out: Collector) -> dict[str, Any] | None:
    question, meta = record.question, record.meta
    item_id = question.name or f"gift-{index}"
    scenario, _, prompt = question.text.rpartition("\n")
    category = _our_category(record.category)
    data: dict[str, Any] = {
        "id": item_id,
        "pattern": category[0] if category else None,
        "audiences": [a for a in (category[1] if len(category) > 1 else "").split(",") if a],
        "role": category[2] if len(category) > 2 else None,
        "scenario": scenario.strip(),
        "prompt": prompt.strip(),
        **_feedback_fields(question.feedback),
    }
    if question.qtype == "truefalse":
        data["kind"], data["answer"] = "judge", "是" if question.truth else "否"
    else:
        texts, correct, fault = _answer(question, meta)
        if fault:
            out.problems.append(Problem(out.file, item_id, None, fault, row=record.line))
            return None
        data["options"] = dict(zip(OPTION_LETTERS, texts, strict=False))
        kind = meta.get("kind") or ("multiple" if len(correct) > 1 else "single")
        data["kind"] = kind
        data["answer"] = correct if kind == "multiple" else (correct[0] if len(correct) == 1 else correct)
    if meta.get("speech"):
        data["speech"] = meta["speech"]
    return data


def parse_gift(path: Path) -> tuple[list[Question], list[QuizDef], list[Problem]]:
    out = Collector(path.name)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        out.add(None, None, "文件不是 UTF-8 编码，请用 UTF-8 保存")
        return [], [], out.problems
    records, quiz_specs = _records(text, out)
    entries: list[dict[str, Any]] = []
    cases: dict[str, dict[str, Any]] = {}
    for index, record in enumerate(records, start=1):
        data = _item_data(record, index, out)
        if data is None:
            continue
        case = record.meta.get("case") or {}
        case_id = case.get("id") or (data["id"].rsplit(".", 1)[0] if re.search(r"\.\d+$", data["id"]) else None)
        if not case_id:
            entries.append(data)
            continue
        group = cases.get(case_id)
        if group is None:
            group = {"id": case_id, "pattern": data["pattern"], "audiences": data["audiences"], "role": data["role"],
                     "kind": "scenario", "title": case.get("title") or data["prompt"], "scenario": data["scenario"],
                     "source": data["source"], "steps": []}
            cases[case_id] = group
            entries.append(group)
            data["scenario"] = ""
        step = {k: v for k, v in data.items() if k not in {"id", "pattern", "audiences", "role"}}
        if not step.get("scenario"):
            step.pop("scenario", None)
        if step.get("source") == group["source"]:
            step.pop("source")
        group["steps"].append(step)
    questions: list[Question] = []
    for i, entry in enumerate(entries, start=1):
        questions.extend(parse_item(entry, out, i))
    quizzes = [q for i, spec in enumerate(quiz_specs, start=1) if (q := parse_quiz(spec, out, i))]
    return questions, quizzes, out.problems


