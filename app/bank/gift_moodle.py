"""Moodle's GIFT grammar, read as Moodle reads it (question/format/gift/format.php), in linear time.

Questions are separated by blank lines; lines starting with // are comments; `\\` escapes
~ = # { } : and the backslash itself, and `\\n` is a line break. Moodle tells a question's type from
its answer part: none at all is a description, `{}` an essay, `{#…}` numerical, any `~` multiple
choice, `=` with `->` matching, T/TRUE/F/FALSE true-false, anything else short answer; text after
the closing brace makes it a missing-word question. 反诈课堂 plays multiple choice and true-false;
every other type is reported by name (UNSUPPORTED), never imported as something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from app.bank.gift_text import split_format, to_plain

# Escaped control characters are swapped for private-use characters while the structure is read,
# so an escaped # or ~ is never taken for a separator; `restore` puts them back.
ESCAPES = {"\\": "\ue05c", ":": "\ue03a", "#": "\ue023", "=": "\ue03d", "{": "\ue07b", "}": "\ue07d", "~": "\ue07e"}
ESCAPE_RE = re.compile(r"\\([\\:#={}~n])")
RESTORE = {v: k for k, v in ESCAPES.items()}
RESTORE_RE = re.compile("[" + "".join(ESCAPES.values()) + "]")
WEIGHT_RE = re.compile(r"^%(-?\d{1,3}(?:\.\d*)?)%")
# One text (a question's text, an answer or the feedback) with its markup: the bank's longest field is
# 1 200 characters (app.bank.loader.LIMITS), so this only stops what is not a question, before its
# markup is read.
MAX_TEXT_CHARS = 20_000
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
# Past this many answers a question is refused for their number (at most six): they are counted, not
# read, so a file of a million `~a` answers costs a split, not a million conversions (app.bank.safe_files).
MAX_CHOICES_READ = 26
UNSUPPORTED = {
    "description": "说明文字（description）：缺少 { } 答案部分，不是一道题",
    "essay": "问答题（essay）",
    "numerical": "数值题（numerical）",
    "matching": "匹配题（matching）",
    "short answer": "简答题（short answer）",
    "missing word": "填空题（missing word，答案部分在题目文字中间）",
}


def hide_escapes(text: str) -> str:
    return ESCAPE_RE.sub(lambda m: "\n" if m.group(1) == "n" else ESCAPES[m.group(1)], text)


def restore(text: str) -> str:
    return RESTORE_RE.sub(lambda m: RESTORE[m.group(0)], text)


@dataclass
class Block:
    """One blank-line-separated block: its question lines (trimmed, escapes hidden) and comments."""

    line: int  # 1-based line of its first question line (or of its first line when it has none)
    lines: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def blocks(text: str) -> Iterator[Block]:
    block: Block | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            if block is not None:
                yield block
            block = None
            continue
        if block is None:
            block = Block(number)
        if line.startswith("//"):
            block.comments.append(line)
        else:
            if not block.lines:
                block.line = number
            block.lines.append(hide_escapes(line))
    if block is not None:
        yield block


@dataclass(frozen=True)
class Choice:
    text: str
    fraction: float  # 1 for `=`, the %weight% / 100, else 0
    full: bool  # written with `=`


@dataclass
class GiftQuestion:
    name: str | None
    qtype: str  # "multichoice", "truefalse", or a key of UNSUPPORTED
    text: str = ""  # question text as plain text
    choices: list[Choice] = field(default_factory=list)
    single: bool = True  # multiple choice with one `=` answer (radio buttons) rather than weights
    truth: bool | None = None
    feedback: str = ""  # general feedback (after ####) as plain text


class GiftSyntaxError(ValueError):
    """The block cannot be read as a question; the message is plain Chinese."""


def _name(text: str) -> tuple[str | None, str]:
    if not text.startswith("::"):
        return None, text
    end = text.find("::", 2)
    if end < 0:
        return None, text[2:]
    return restore(text[2:end]).strip(), text[end + 2:].strip()


def _plain(raw: str, default: str) -> str:
    fmt, text = split_format(raw.strip(), default)
    if len(text) > MAX_TEXT_CHARS:
        raise GiftSyntaxError(f"有一段文字太长了（{len(text)} 个字符），题目、选项和解析每段最多 {MAX_TEXT_CHARS} 个字符；"
                              "题目之间要空一行")
    return to_plain(restore(text), fmt)


def _choices(answers: str, fmt: str) -> list[Choice]:
    parts = answers.replace("=", "~=").split("~")
    if not parts[0].strip():
        parts = parts[1:]
    if len(parts) > MAX_CHOICES_READ:
        return [Choice("", 0.0, False)] * len(parts)
    choices = []
    for part in parts:
        part = part.strip()
        full = part.startswith("=")
        fraction = 1.0 if full else 0.0
        if full:
            part = part[1:]
        elif weight := WEIGHT_RE.match(part):
            fraction, part = float(weight.group(1)) / 100, part[weight.end():]
        text = part.split("#", 1)[0]  # an escaped \# is hidden, so only a real # starts the feedback
        choices.append(Choice(_plain(text, fmt), fraction, full))
    return choices


def read_question(block: Block) -> GiftQuestion:
    """The block as Moodle reads it. Raises GiftSyntaxError for a block Moodle refuses too, or for a text
    far longer than any question's (its markup is then never read)."""
    name, text = _name("\n".join(block.lines).strip())
    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        return GiftQuestion(name, "description", text=_plain(text, "moodle"))
    if start < 0 or end < start:
        raise GiftSyntaxError("{ } 没有配对：答案部分要用一对 { } 括起来（文字里的 { } 请写成 \\{ \\}）")
    after = text[end + 1:].strip()
    if "{" in after:
        raise GiftSyntaxError("一段里有两组 { } 答案：题目之间要空一行")
    answers = text[start + 1 : end].strip()
    question_text = text[:start]
    feedback = ""
    if (cut := answers.rfind("####")) >= 0:
        answers, feedback = answers[:cut].strip(), answers[cut + 4:]
    fmt, _ = split_format(question_text.strip(), "moodle")
    found = GiftQuestion(name, "", text=_plain(question_text, "moodle"), feedback=_plain(feedback, fmt))
    verdict = answers.split("#", 1)[0].strip()
    if not answers:
        found.qtype = "essay"
    elif answers.startswith("#"):
        found.qtype = "numerical"
    elif "~" in answers:
        found.qtype, found.single, found.choices = "multichoice", "=" in answers, _choices(answers, fmt)
    elif "=" in answers and "->" in answers:
        found.qtype = "matching"
    elif verdict in TRUE_FALSE:
        found.qtype, found.truth = "truefalse", TRUE_FALSE[verdict]
    else:
        found.qtype = "short answer"
    if after and found.qtype in ("multichoice", "truefalse"):
        found.qtype = "missing word"
    return found
