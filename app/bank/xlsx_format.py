"""Excel (.xlsx) banks: a sheet 题目 with one row per answerable item and Chinese headers, and an
optional sheet 测验. Rows go through the same validation as YAML; problems name the row and column.

Files are read by app.bank.safe_files within its caps (size, rows, cells, no DTD) and taken as
teachers fill them: the header row may stand under a title row, headers and codes (answer, kind,
step, 题数 …) may be typed full-width (Ｃ, ２０, 朗读:情景), a judge answer may be 对 or 错, and
every message names the sheet's own row number.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from app.bank.errors import Problem
from app.bank.limits import PASS_MARK_DEFAULT
from app.bank.loader import Collector, parse_item, parse_quiz
from app.bank.safe_files import (
    MAX_FILE_QUESTIONS,
    FileRefused,
    Formula,
    Sheet,
    cell_text,
    find_header,
    read_capped,
    too_many_questions,
)
from app.bank.schema import Bank, Option, Question, QuizDef
from app.bank.taxonomy import AUDIENCES, JUDGE_OPTIONS, KINDS, PATTERNS, ROLES, RULES
from app.bank.xlsx_reader import read_xlsx
from app.spreadsheets import write_sheet

# openpyxl is imported where a workbook is written (reading is app.bank.safe_files): web workers
# that never touch Excel do not carry it (about 10 MB per worker).

ITEMS_SHEET = "题目"
QUIZZES_SHEET = "测验"
HELP_SHEET = "填写说明"
LETTERS = "ABCDEF"

ITEM_COLUMNS: list[tuple[str, str]] = [
    ("编号", "id"), ("诈骗类型", "pattern"), ("对象", "audiences"), ("题型", "kind"), ("岗位", "role"),
    ("情景题编号", "case_id"), ("情景题标题", "case_title"), ("步骤", "step"),
    ("情景", "scenario"), ("问题", "prompt"),
    *[(f"选项{letter}", f"option.{letter}") for letter in LETTERS],
    ("答案", "answer"), ("解析", "explanation"), ("规则", "rule"), ("做法", "action"), ("出处", "source"),
    ("朗读：情景", "speech.scenario"), ("朗读：问题", "speech.prompt"),
    ("朗读：选项", "speech.options"), ("朗读：解析", "speech.explanation"),
]
QUIZ_COLUMNS: list[tuple[str, str]] = [
    ("编号", "id"), ("标题", "title"), ("对象", "audience"), ("题数", "count"), ("及格线", "pass_mark"),
    ("诈骗类型", "patterns"), ("情景题数", "scenarios"), ("说明", "description"), ("题目编号", "items"),
    ("岗位", "roles"),
]
# Columns added after the template first shipped: a sheet made from an older template may lack them.
OPTIONAL_HEADERS = {"岗位"}
HEADER_OF = {key: header for header, key in ITEM_COLUMNS}
QUIZ_HEADER_OF = {key: header for header, key in QUIZ_COLUMNS}
# Columns holding codes rather than prose: typed full-width (Ｃ, ２, ／) they are read as ASCII.
CODE_KEYS = {"id", "pattern", "audiences", "audience", "kind", "role", "roles", "case_id", "step", "answer", "rule",
             "count", "pass_mark", "patterns", "scenarios", "items"}
NARROW = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}  # full-width forms -> ASCII
JUDGE_WORDS = {"是": "是", "对": "是", "正确": "是", "√": "是", "✓": "是", "✔": "是", "TRUE": "是",
               "否": "否", "错": "否", "错误": "否", "×": "否", "✗": "否", "✘": "否", "FALSE": "否"}
LETTERS_RE = re.compile(r"[A-F]{2,6}")
SYNTHETIC_RE = re.compile(r"^第\d+(?:题|个测验)")  # the loader's name for an item or quiz without a usable id
FORMULA_MESSAGE = "这一格是公式，但文件里没有它的计算结果：请在 Excel 或 WPS 里打开文件保存一次，或把公式换成文字"
KIND_NAMES = {"单选": "single", "单选题": "single", "多选": "multiple", "多选题": "multiple",
              "判断": "judge", "判断题": "judge", **{k: k for k in KINDS}}
AUDIENCE_NAMES = {**{v: k for k, v in AUDIENCES.items()}, **{k: k for k in AUDIENCES}}
SPLIT_RE = re.compile(r"[、,，;；\s]+")


def _cell(value: Any) -> str:
    return cell_text(value).strip()


def _narrow(text: str) -> str:
    """Full-width letters, digits and signs (Ｃ, ２０, ：) as ASCII; everything else unchanged."""
    return text.translate(NARROW)


def _header_key(value: Any) -> str:
    return "".join(_narrow(_cell(value)).split())


def _split(value: str) -> list[str]:
    return [part for part in SPLIT_RE.split(value) if part]


def _speech_options(raw: str) -> dict[str, str]:
    spoken: dict[str, str] = {}
    for part in raw.splitlines():
        part = part.replace("＝", "=", 1)
        if "=" in part:
            key, _, text = part.partition("=")
            spoken[_narrow(key).strip().upper()] = text.strip()
    return spoken


def _step_fields(row: dict[str, str]) -> dict[str, Any]:
    kind = KIND_NAMES.get(row["kind"], row["kind"])
    data: dict[str, Any] = {"kind": kind, "prompt": row["prompt"], "explanation": row["explanation"],
                            "rule": row["rule"], "action": row["action"]}
    if row["scenario"]:
        data["scenario"] = row["scenario"]
    options = {letter: row[f"option.{letter}"] for letter in LETTERS if row[f"option.{letter}"]}
    if kind != "judge":
        data["options"] = options
        answer = row["answer"].upper()
        answers = list(answer) if LETTERS_RE.fullmatch(answer) else _split(answer)  # ABD as A、B、D
        data["answer"] = answers if kind == "multiple" else (answers[0] if len(answers) == 1 else answers)
    else:
        if options:
            data["options"] = options
        data["answer"] = JUDGE_WORDS.get(row["answer"].upper(), row["answer"])
    speech: dict[str, Any] = {}
    for key in ("scenario", "prompt", "explanation"):
        if row[f"speech.{key}"]:
            speech[key] = row[f"speech.{key}"]
    if row["speech.options"]:
        speech["options"] = _speech_options(row["speech.options"])
    if speech:
        data["speech"] = speech
    return data


def _rows(sheet: Sheet, columns: list[tuple[str, str]], out: Collector) -> list[tuple[int, dict[str, str]]]:
    header_at, index = find_header(sheet.rows, {_header_key(h): key for h, key in columns}, _header_key)
    missing = [h for h, key in columns if key not in index and h not in OPTIONAL_HEADERS]
    if missing:
        out.add(None, None, f"工作表“{sheet.title}”第 {header_at} 行（表头）缺少这些列：{'、'.join(missing)}（请用模板的表头）")
        return []
    headers = {key: header for header, key in columns}
    rows = []
    for number, values in sheet.rows:
        if number <= header_at:
            continue
        row = {key: "" for _, key in columns}
        for key, i in index.items():
            value = values[i] if i < len(values) else None
            if isinstance(value, Formula):
                out.problems.append(Problem(out.file, None, headers[key], FORMULA_MESSAGE, row=number))
            text = _cell(value)
            row[key] = _narrow(text) if key in CODE_KEYS else text
        if any(row.values()):
            rows.append((number, row))
    return rows


def _located(problems: list[Problem], where: dict[str, int], file: str,
             header_of: dict[str, str] = HEADER_OF) -> list[Problem]:
    """Point YAML-style problems at the spreadsheet row and column they came from. An item or quiz
    without a usable id is named by its row alone (never by the loader's 第7题)."""
    located = []
    for p in problems:
        row = p.row or where.get(p.item_id or "")
        item_id = None if row and p.item_id and SYNTHETIC_RE.match(p.item_id) else p.item_id
        field = p.field or ""
        column: str | None
        if header_of is not HEADER_OF:
            column = header_of.get(field, field or None)
        elif field.startswith("speech.options"):
            column = HEADER_OF["speech.options"]
        elif field.startswith("speech."):
            column = HEADER_OF.get(field, field)
        elif field.startswith("options"):
            column = "选项A–F"
        elif field == "steps":
            column = HEADER_OF["step"]
        elif field == "title":
            column = HEADER_OF["case_title"]
        else:
            column = HEADER_OF.get(field, field or None)
        located.append(Problem(file, item_id, column, p.message, row=row))
    return located


def _items(rows: list[tuple[int, dict[str, str]]], out: Collector) -> tuple[list[Question], dict[str, int]]:
    where: dict[str, int] = {}
    entries: list[dict[str, Any]] = []
    entry_rows: list[list[int]] = []  # the sheet rows of each entry (a case: one per step)
    cases: dict[str, dict[str, Any]] = {}
    for number, row in rows:
        base = {"pattern": row["pattern"], "source": row["source"],
                "audiences": [AUDIENCE_NAMES.get(a, a) for a in _split(row["audiences"])]}
        if row["role"]:
            base["role"] = row["role"]
        case_id = row["case_id"]
        if not case_id:
            entries.append({"id": row["id"], **base, **_step_fields(row)})
            entry_rows.append([number])
            where.setdefault(row["id"], number)
            continue
        case = cases.get(case_id)
        if case is None:
            case = {"id": case_id, **base, "kind": "scenario", "title": row["case_title"],
                    "scenario": row["scenario"], "steps": []}
            cases[case_id] = case
            entries.append(case)
            entry_rows.append([])
            where.setdefault(case_id, number)
        entry_rows[next(i for i, e in enumerate(entries) if e is case)].append(number)
        step = _step_fields(row)
        if not case["steps"]:
            step.pop("scenario", None)  # the first row's scenario is the case's opening scene
        if row["source"] and row["source"] != case["source"]:
            step["source"] = row["source"]
        case["steps"].append(step)
        n = len(case["steps"])
        where.setdefault(f"{case_id}.{n}", number)
        if row["step"] and row["step"] != str(n):
            out.add(f"{case_id}.{n}", "step", f"步骤应当依次是 1、2、3…，这一行应为 {n}")
    questions: list[Question] = []
    for i, (entry, numbers) in enumerate(zip(entries, entry_rows, strict=True), start=1):
        # parse_item names an entry without a usable id 第{i}题 (steps 第{i}题.n): that is this row
        where[f"第{i}题"] = numbers[0]
        where.update({f"第{i}题.{n}": number for n, number in enumerate(numbers, start=1)})
        questions.extend(parse_item(entry, out, i))
    return questions, where


def _sheet(sheets: list[Sheet], title: str) -> Sheet | None:
    return next((sheet for sheet in sheets if _header_key(sheet.title) == title), None)


def _quizzes(sheet: Sheet, out: Collector) -> tuple[list[QuizDef], dict[str, int]]:
    quizzes: list[QuizDef] = []
    where: dict[str, int] = {}
    for i, (number, row) in enumerate(_rows(sheet, QUIZ_COLUMNS, out), start=1):
        data: dict[str, Any] = {"id": row["id"], "title": row["title"],
                                "audience": AUDIENCE_NAMES.get(row["audience"], row["audience"])}
        for key in ("count", "pass_mark", "scenarios"):
            if row[key]:  # ① or ² are digits to str.isdigit but not numbers: parse_quiz explains
                data[key] = int(row[key]) if row[key].isascii() and row[key].isdigit() else row[key]
        if row["patterns"]:
            data["patterns"] = _split(row["patterns"])
        if row["description"]:
            data["description"] = row["description"]
        if row["items"]:
            data["items"] = _split(row["items"])
        if row["roles"]:
            data["roles"] = _split(row["roles"])
        where.setdefault(row["id"], number)
        where[f"第{i}个测验"] = number
        if quiz := parse_quiz(data, out, i):
            quizzes.append(quiz)
    return quizzes, where


def parse_xlsx(path: Path) -> tuple[list[Question], list[QuizDef], list[Problem]]:
    out = Collector(path.name)
    try:
        book = read_xlsx(read_capped(path))
    except FileRefused as exc:
        out.add(None, None, exc.message)
        return [], [], out.problems
    items = _sheet(book.sheets, ITEMS_SHEET)
    if items is None:
        out.add(None, None, f"找不到工作表“{ITEMS_SHEET}”（请用模板）")
        return [], [], out.problems
    rows = _rows(items, ITEM_COLUMNS, out)
    if len(rows) > MAX_FILE_QUESTIONS:
        return [], [], [Problem(path.name, None, None, too_many_questions(len(rows)).message)]
    questions, where = _items(rows, out)
    problems = _located(out.problems, where, path.name)
    quizzes: list[QuizDef] = []
    sheet = _sheet(book.sheets, QUIZZES_SHEET)
    if sheet is not None:
        quiz_out = Collector(path.name)
        quizzes, quiz_where = _quizzes(sheet, quiz_out)
        problems += _located(quiz_out.problems, quiz_where, path.name, QUIZ_HEADER_OF)
    return questions, quizzes, problems


def _row_of(q: Question) -> list[Any]:
    options = {o.key: o.text for o in q.options} if q.kind != "judge" else {}
    spoken = q.speech.get("options") or {}
    answer = JUDGE_OPTIONS[q.answers[0]] if q.kind == "judge" else ",".join(q.answers)
    values = {
        "id": q.item_id, "pattern": q.pattern, "audiences": "、".join(AUDIENCES[a] for a in q.audiences),
        "kind": {"single": "单选", "multiple": "多选", "judge": "判断"}[q.kind], "role": q.role or "",
        "case_id": q.case_id or "", "case_title": q.case_title or "", "step": q.step or "",
        "scenario": q.scenario, "prompt": q.prompt,
        **{f"option.{letter}": options.get(letter, "") for letter in LETTERS},
        "answer": answer, "explanation": q.explanation, "rule": q.rule, "action": q.action, "source": q.source,
        "speech.scenario": q.speech.get("scenario", ""), "speech.prompt": q.speech.get("prompt", ""),
        "speech.options": "\n".join(f"{k}={v}" for k, v in spoken.items()),
        "speech.explanation": q.speech.get("explanation", ""),
    }
    return [values[key] for _, key in ITEM_COLUMNS]


def _quiz_row(quiz: QuizDef) -> list[Any]:
    return [quiz.id, quiz.title, AUDIENCES[quiz.audience], quiz.count, quiz.pass_mark,
            "、".join(quiz.patterns), quiz.scenarios, quiz.description, "、".join(quiz.items), "、".join(quiz.roles)]


def _help_sheet(book: Any) -> None:
    sheet = book.create_sheet(HELP_SHEET)
    lines = [
        ["列", "怎么填"],
        ["编号", "每道题一个，只用小写字母、数字和连字符，例如 local-2026-11-shoujia；改题时编号不变"],
        ["诈骗类型", "从下面“诈骗类型”一栏选一个，照抄文字"],
        ["对象", "学生、长辈、职工，可以填几个，用顿号隔开"],
        ["题型", "单选、多选或判断；判断题不用填选项，答案填“是”或“否”"],
        ["岗位", "答题人要以某个岗位的身份处理（柜员劝阻、护士接家属电话、网格员走访）的职工题才填，从下面“岗位”一栏选一个，对象只能填职工；人人都能做的题留空"],
        ["情景题编号 / 标题 / 步骤", "多步情景题：每一步占一行，填同一个情景题编号和标题，步骤依次填 1、2、3；普通题留空"],
        ["答案", "单选填一个字母，如 B；多选填几个字母，如 A,C；判断填 是 或 否"],
        ["解析", "至少 30 个字，讲清为什么，以及该怎么做"],
        ["规则", "从下面“规则”一栏选一个"],
        ["出处", "文件和章节，例如 P3 四(一)；本地案例写“本地案例+日期”"],
        ["测验：题目编号", "只出这几道题时填写，用顿号隔开；不填则按对象和诈骗类型从题库里抽题"],
        ["测验：岗位", "职工测验按岗位出题时填写，例如 医院；会抽这个岗位的题和不分岗位的职工题，不会抽别的岗位的题"],
        ["朗读", "文字里有热线号码、英文字母或括号时，写出读法，例如 拨打幺幺零；选项的读法每行一个，写成 A=…（换行）B=…"],
        [],
        ["诈骗类型", "、".join(PATTERNS)],
        ["规则", "、".join(RULES)],
        ["岗位", "、".join(ROLES)],
    ]
    for line in lines:
        sheet.append(line)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100


def write_xlsx(bank: Bank, out: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    items = book.worksheets[0]  # a new workbook's one sheet
    items.title = ITEMS_SHEET
    write_sheet(items, [h for h, _ in ITEM_COLUMNS], [_row_of(q) for q in bank.questions])
    write_sheet(book.create_sheet(QUIZZES_SHEET), [h for h, _ in QUIZ_COLUMNS], [_quiz_row(q) for q in bank.quizzes])
    _help_sheet(book)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def template_bank() -> Bank:
    """One example row a teacher or community worker can copy, and one quiz that uses it."""
    example = Question(
        item_id="local-example-1", pattern="冒充客服退款", audiences=("elder", "staff"), kind="single",
        scenario="王阿姨接到电话：“您网购的羽绒服有质量问题，我们给您退款三倍。请下载会议软件，开启屏幕共享，我教您操作。”",
        prompt="王阿姨应该怎么做？",
        options=(Option("A", "按对方说的下载软件，开启屏幕共享"), Option("B", "先把银行卡号告诉对方，方便退款"),
                 Option("C", "挂断电话，到购物平台官方页面核实"), Option("D", "问对方工号，对上了就照做")),
        answers=("C",),
        explanation="正规商家退款会原路退回，不会让你下载会议软件或开启屏幕共享。屏幕共享会让骗子看到你的验证码和银行卡信息。应当挂断电话，到购物平台的官方订单页面核实。",
        rule="三不一要", action="挂断电话，到购物平台官方页面核实", source="本地案例 2026-11",
    )
    quiz = QuizDef(id="local-theme", title="本周本地案例", audience="elder", count=1, pass_mark=PASS_MARK_DEFAULT,
                   description="社区工作人员导入的本地案例", items=("local-example-1",))
    return Bank((example,), (quiz,))
