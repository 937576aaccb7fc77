"""Nickname rules, the one home for every name a learner types (the quiz start, the API, the pledge's
typed signature): 1-20 characters after NFKC normalisation and trimming, nothing invisible, no markup, no
stacked marks or extra-wide glyphs, no look-alike letters from two alphabets, no phone numbers.

NFKC comes first, so every later check sees what a person sees: full-width digits are digits
(`１３８…` is a phone number), `Ａｄｍｉｎ` and `𝒜` are plain Latin letters, an ideographic space is a
space. What NFKC leaves that a board cannot show safely is refused: control and format characters
(the right-to-left override, the zero-width joiner, …), line and paragraph separators, invisible
"letters" (the Hangul fillers, the blank Braille pattern), pile-ups of combining marks, and glyphs far
wider than a character (ﷺ, ﷽, cuneiform). So a name of at most MAX_LENGTH characters, none of them
wider than a Chinese character, never takes more than MAX_WIDTH columns on a board.
"""

from __future__ import annotations

import re
import unicodedata

from app.quiz.errors import InvalidNickname

MAX_LENGTH = 20
MAX_WIDTH = 2 * MAX_LENGTH  # display columns: at most 20 characters, none wider than a Chinese one
MAX_MARKS = 3  # combining marks on one character (Tibetan stacks need a few; "Zalgo" text has dozens)
TAG_RE = re.compile(r"<[^>]*>")
PHONE_RE = re.compile(r"1[3-9][0-9]{9}")
ID_CARD_RE = re.compile(r"[0-9]{17}[0-9Xx]")
# Chinese numerals, read as the digits a phone number would be written with.
NUMERALS = {ch: str(n) for n, chars in enumerate(["〇零", "一壹", "二贰", "三叁", "四肆", "五伍", "六陆", "七柒", "八捌", "九玖"])
            for ch in chars}
# Letters and symbols that print as nothing: Hangul fillers, the half-width filler, the blank Braille
# pattern, Khmer inherent vowels, the combining grapheme joiner (the Cf characters are refused anyway).
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u034f")
# Glyphs many characters wide that NFKC keeps as one: Arabic ligature signs, the two- and three-em
# dashes, Tamil signs, cuneiform, Egyptian and Anatolian hieroglyphs.
WIDE_RANGES = ((0xFDF0, 0xFDFF), (0x2E3A, 0x2E3B), (0x0BF5, 0x0BFA), (0x12000, 0x1254F), (0x13000, 0x1345F),
               (0x14400, 0x1467F))
EXPANDS = 3  # a character NFKC spells out as more than this (ﷺ becomes 18 letters) is a wide ligature
# Alphabets whose letters pass for one another (Latin a, Cyrillic а, Greek α): a name mixes none of them.
LOOKALIKE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})


def _wide(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in WIDE_RANGES)


def _invisible(ch: str) -> bool:
    category = unicodedata.category(ch)
    return (category in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} or (category == "Zs" and ch != " ")
            or ch in INVISIBLE)


def _marks_piled(name: str) -> bool:
    run = 0
    for ch in name:
        run = run + 1 if unicodedata.category(ch) in {"Mn", "Me"} else 0
        if run > MAX_MARKS:
            return True
    return False


def _scripts(name: str) -> set[str]:
    """The look-alike alphabets the name's letters come from."""
    found = set()
    for ch in name:
        if unicodedata.category(ch).startswith("L"):
            script = unicodedata.name(ch, "").split(" ", 1)[0]
            if script in LOOKALIKE_SCRIPTS:
                found.add(script)
    return found


def _as_digits(name: str, numerals: bool = False) -> str:
    """The name with every decimal digit written as an ASCII digit (Arabic-Indic ٣ …), and with
    `numerals` Chinese numerals too (一三八… is how a phone number slips past a digit filter)."""
    out = []
    for ch in name:
        value = unicodedata.decimal(ch, None)
        out.append(str(value) if value is not None else NUMERALS.get(ch, ch) if numerals else ch)
    return "".join(out)


def clean_nickname(raw: object, noun: str = "昵称") -> str:
    """Return the nickname to store (NFKC, trimmed), or raise InvalidNickname with a message a person
    can act on. `noun` names the field in the messages (the pledge's typed signature is a 名字)."""
    if not isinstance(raw, str):
        raise InvalidNickname(f"请填写一个{noun}。")
    if any(_wide(ch) or len(unicodedata.normalize("NFKC", ch)) > EXPANDS for ch in raw):
        raise InvalidNickname(f"{noun}里有特别宽的符号（比如 ﷺ），请只用文字、数字或表情。")
    name = unicodedata.normalize("NFKC", raw).strip()
    if not name:
        raise InvalidNickname("请填写一个昵称，比如“小明”或“3号同学”。" if noun == "昵称" else f"请写下你的{noun}。")
    if any(_invisible(ch) for ch in name):
        raise InvalidNickname(f"{noun}里有看不见的控制字符、换行或空白符号，请重新输入。")
    if TAG_RE.search(name) or "<" in name or ">" in name:
        if not TAG_RE.sub("", name).strip():
            raise InvalidNickname(f"{noun}不能只有网页代码，请输入文字。")
        raise InvalidNickname(f"{noun}里不能有 < > 这样的网页代码符号。")
    if _marks_piled(name):
        raise InvalidNickname(f"{noun}里叠加的符号太多，请重新输入。")
    if len(name) > MAX_LENGTH:
        raise InvalidNickname(f"{noun}最多 {MAX_LENGTH} 个字，现在是 {len(name)} 个。")
    if len(_scripts(name)) > 1:
        raise InvalidNickname(f"{noun}里混用了长得很像的不同字母（比如拉丁字母和俄文字母），请只用一种。")
    phone_digits = re.sub(r"[^0-9]", "", _as_digits(name, numerals=True))
    if PHONE_RE.search(phone_digits) or ID_CARD_RE.search(_as_digits(name)):
        raise InvalidNickname(f"为了保护隐私，请不要用手机号或身份证号当{noun}。")
    return name
