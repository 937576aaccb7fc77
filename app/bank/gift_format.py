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
from pathlib import Path
from typing import Any

from app.bank.errors import Problem
from app.bank.loader import Collector, parse_item, parse_quiz
from app.bank.schema import Bank, Question, QuizDef

ROOT_CATEGORY = "反诈课堂"
SPECIAL = "~=#{}:"
FEEDBACK_FIELDS = {"规则": "rule", "做法": "action", "出处": "source"}


def escape(text: str) -> str:
    out = "".join("\\" + ch if ch in SPECIAL or ch == "\\" else ch for ch in text)
    return out.replace("\n", "\\n")


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _category_name(name: str) -> str:
    return name.replace("/", "//")  # Moodle's escape for a slash inside one category name


def _split_category(path: str) -> list[str]:
    return [part.replace("\0", "/") for part in path.replace("//", "\0").split("/")]


# ---------------------------------------------------------------- writing


def _question_text(q: Question) -> str:
    paragraphs = [f"<p>{html.escape(line)}</p>" for line in q.scenario.splitlines() if line.strip()]
    paragraphs.append(f"<p><strong>{html.escape(q.prompt)}</strong></p>")
    return "[html]" + escape("".join(paragraphs))


def _feedback(q: Question) -> str:
    return escape(f"{q.explanation}\n规则：{q.rule}\n做法：{q.action}\n出处：{q.source}")


def _answers(q: Question) -> list[str]:
    if q.kind == "judge":
        return ["TRUE" if q.answers[0] == "yes" else "FALSE"]
    if q.kind == "single":
        return [("=" if o.key in q.answers else "~") + escape(o.text) for o in q.options]
    share = f"{100 / len(q.answers):.5f}".rstrip("0").rstrip(".")
    return [(f"~%{share}%" if o.key in q.answers else "~%-100%") + escape(o.text) for o in q.options]


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


def _until(text: str, i: int, stop: str) -> int:
    """Index of the first unescaped `stop` at or after i, or -1."""
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == stop:
            return i
        i += 1
    return -1


def _parse_text(raw: str) -> tuple[str, str]:
    text = raw.strip()
    if text.startswith("[html]"):
        body = unescape(text[6:])
        paragraphs = [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", body, re.S)]
        prompt_match = re.search(r"<p><strong>(.*?)</strong></p>\s*$", body, re.S)
        if prompt_match and paragraphs:
            return "\n".join(paragraphs[:-1]), paragraphs[-1]
        plain = html.unescape(re.sub(r"<[^>]+>", "\n", body)).strip()
    else:
        plain = unescape(re.sub(r"^\[(?:moodle|plain|markdown)\]", "", text)).strip()
    scenario, _, prompt = plain.rpartition("\n")
    return scenario.strip(), prompt.strip()


def _parse_answers(body: str) -> tuple[list[tuple[bool, str]], str | None, str]:
    """(options as (correct, text), judge value 是/否 or None, general feedback)."""
    feedback = ""
    cut = body.find("####")
    while cut > 0 and body[cut - 1] == "\\":
        cut = body.find("####", cut + 4)
    if cut >= 0:
        body, feedback = body[:cut], unescape(body[cut + 4:].strip())
    stripped = body.strip()
    verdict = re.match(r"^(TRUE|FALSE|T|F)\b", stripped)
    if verdict:
        return [], "是" if verdict.group(1).startswith("T") else "否", feedback
    options: list[tuple[bool, str]] = []
    i, current, marker = 0, None, "~"
    tokens: list[tuple[str, str]] = []
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if current is not None:
                current += body[i : i + 2]
            i += 2
            continue
        if ch in "=~":
            if current is not None:
                tokens.append((marker, current))
            marker, current = ch, ""
        elif current is not None:
            current += ch
        i += 1
    if current is not None:
        tokens.append((marker, current))
    for mark, raw in tokens:
        raw = raw.split("#", 1)[0] if _until(raw, 0, "#") >= 0 else raw
        weight = re.match(r"^%(-?[\d.]+)%", raw)
        text = raw[weight.end():] if weight else raw
        correct = mark == "=" or (weight is not None and float(weight.group(1)) > 0)
        options.append((correct, unescape(text).strip()))
    return options, None, feedback


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


def _records(text: str, out: Collector) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    records: list[dict[str, Any]] = []
    quizzes: list[dict[str, Any]] = []
    category: list[str] = []
    meta: dict[str, Any] = {}
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        line_end = text.find("\n", i)
        line = text[i : line_end if line_end >= 0 else len(text)]
        if line.startswith("//"):
            for prefix, sink in (("// fzkt-quiz:", quizzes), ("// fzkt:", None)):
                if line.startswith(prefix):
                    try:
                        value = json.loads(line[len(prefix):])
                    except json.JSONDecodeError:
                        out.add(None, None, f"注释行里的数据格式不对：{line[:40]}")
                        break
                    if sink is None:
                        meta = value if isinstance(value, dict) else {}
                    else:
                        sink.append(value)
                    break
            i = line_end + 1 if line_end >= 0 else len(text)
            continue
        if line.startswith("$CATEGORY:"):
            category = _split_category(line[len("$CATEGORY:"):].strip())
            i = line_end + 1 if line_end >= 0 else len(text)
            continue
        open_at = _until(text, i, "{")
        close_at = _until(text, open_at + 1, "}") if open_at >= 0 else -1
        if open_at < 0 or close_at < 0:
            out.add(None, None, f"第 {text.count(chr(10), 0, i) + 1} 行附近的题目缺少 {{ }} 答案部分")
            break
        records.append({"head": text[i:open_at], "body": text[open_at + 1 : close_at], "category": category,
                        "meta": meta, "line": text.count("\n", 0, i) + 1})
        meta = {}
        i = close_at + 1
    return records, quizzes


def _item_data(record: dict[str, Any], index: int) -> dict[str, Any]:
    head = record["head"].strip()
    title = re.match(r"^::(.*?)::", head, re.S)
    item_id = unescape(title.group(1)).strip() if title else f"gift-{index}"
    scenario, prompt = _parse_text(head[title.end():] if title else head)
    options, verdict, feedback = _parse_answers(record["body"])
    meta = record["meta"]
    category = [c for c in record["category"] if c and c != "$course$"]
    if category and category[0] == ROOT_CATEGORY:
        category = category[1:]
    data: dict[str, Any] = {
        "id": item_id,
        "pattern": category[0] if category else None,
        "audiences": [a for a in (category[1] if len(category) > 1 else "").split(",") if a],
        "role": category[2] if len(category) > 2 else None,
        "scenario": scenario,
        "prompt": prompt,
        **_feedback_fields(feedback),
    }
    if verdict is not None:
        data["kind"], data["answer"] = "judge", verdict
    else:
        letters = "ABCDEF"
        data["options"] = {letters[n]: text for n, (_c, text) in enumerate(options[:6])}
        correct = [letters[n] for n, (c, _t) in enumerate(options[:6]) if c]
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
        data = _item_data(record, index)
        case = record["meta"].get("case") or {}
        case_id = case.get("id") or (data["id"].rsplit(".", 1)[0] if re.search(r"\.\d+$", data["id"]) else None)
        if not case_id:
            entries.append(data)
            continue
        group = cases.get(case_id)
        if group is None:
            group = {"id": case_id, "pattern": data["pattern"], "audiences": data["audiences"], "role": data["role"],
                     "kind": "scenario",
                     "title": case.get("title") or data["prompt"], "scenario": data["scenario"],
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


