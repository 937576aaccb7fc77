"""Display text -> the text an engine reads aloud. Pure and versioned.

Bump SPEECH_TEXT_VERSION whenever the output of `speech_text` changes for some input: the version
is part of every clip key, so old files are simply no longer used (and `tts gc` removes them).

Rules, in order:
- an item's own `speech` text wins over the display text (it still gets the tidying below);
- lines become sentences; brackets, quotes and masking stars are dropped, their content kept;
- Latin acronyms through a table (APP -> 手机应用, QQ -> 扣扣, ...), other Latin words spelled
  letter by letter;
- hotlines and phone numbers digit by digit with 1 -> 幺 and 0 -> 零 (110 -> 幺幺零), also 3-6
  digit runs right after 拨打/电话/热线/专线; years digit by digit (2024年 -> 二零二四年);
  percentages as 百分之, decimals with 点; amounts are left alone (5000元 stays 5000元);
- ASCII punctuation becomes Chinese punctuation, so every engine pauses in the same places.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

SPEECH_TEXT_VERSION = 1

# Option labels are their own shared clips: labels change per attempt (shuffled options), the
# player plays the label clip and then the option's text clip.
LABEL_CLIPS: dict[str, str] = {key: f"选项{key}" for key in "ABCDEF"}

HOTLINE_DIGITS = str.maketrans("0123456789", "零幺二三四五六七八九")
PLAIN_DIGITS = str.maketrans("0123456789", "零一二三四五六七八九")

# Latin words with a Chinese reading. Keys match case-insensitively and only as whole Latin words;
# a Chinese suffix in the key swallows the redundant word (ATM机 -> 自动取款机, not ...机机).
ACRONYMS: dict[str, str] = {
    "APP": "手机应用",
    "APPS": "手机应用",
    "APK": "安装包",
    "QQ": "扣扣",
    "WIFI": "无线网络",
    "WI-FI": "无线网络",
    "ETC": "E T C",
    "ATM机": "自动取款机",
    "ATM": "自动取款机",
    "POS机": "刷卡机",
    "POS": "刷卡机",
    "SIM卡": "手机卡",
    "AI": "人工智能",
    "ID": "账号",
    "URL": "网址",
    "TV": "电视",
    "OK": "好",
}

# Full-width digits and Latin letters (１１０, ＡＰＰ) read like their ASCII forms.
_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF21 + i: ord("A") + i for i in range(26)} | {
    0xFF41 + i: ord("a") + i for i in range(26)
}
# Characters removed with their content kept: brackets, quotes, masking stars.
_DROP = str.maketrans("", "", "“”‘’\"'「」『』【】〖〗《》〈〉()（）[]［］{}｛｝〔〕*＊")
_ASCII_PUNCT = str.maketrans({",": "，", ".": "。", "?": "？", "!": "！", ";": "；", ":": "：", "&": "和", "/": "、"})
_UNITS = "元块角分万千百亿岁年月日号个次天人斤克米%％"
_AMOUNT_GUARD = rf"(?!\d|\.\d|\s*[{_UNITS}])"
_NUMBER_START = r"(?<!\d)(?<!\d\.)(?<![¥￥$])"
_KNOWN_HOTLINES = ("96110", "12315", "12321", "12345", "12348", "12381", "110", "119", "120", "122")
_HOTLINE_RE = re.compile(rf"{_NUMBER_START}(?:{'|'.join(_KNOWN_HOTLINES)}|95\d{{3}}){_AMOUNT_GUARD}")
_AFTER_TRIGGER_RE = re.compile(rf"(拨打|电话|热线|专线)([是为：:\s]*)(\d{{3,6}}){_AMOUNT_GUARD}")
_MOBILE_RE = re.compile(rf"{_NUMBER_START}1[3-9]\d{{9}}(?!\d)")
_YEAR_RE = re.compile(rf"{_NUMBER_START}(\d{{4}})(?=年)")
_TIME_RE = re.compile(r"(?<!\d)([01]?\d|2[0-3]):([0-5]\d)(?!\d)")
_PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_DECIMAL_RE = re.compile(r"(\d)\.(\d+)")
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_RANGE_RE = re.compile(r"(?<=\d)\s*[~～]\s*(?=\d)")
_ACRONYM_RE = re.compile(
    r"(?<![A-Za-z])(?:" + "|".join(re.escape(k) for k in sorted(ACRONYMS, key=len, reverse=True)) + r")(?![A-Za-z])",
    re.IGNORECASE,
)
_LATIN_RE = re.compile(r"[A-Za-z]+")
_SPACES_RE = re.compile(r"[ \t\u3000\u00a0]+")
_SPACE_NEAR_WIDE_RE = re.compile(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ")
_PUNCT = "，。！？；：、"
_PUNCT_RUN_RE = re.compile(f"[{_PUNCT}]{{2,}}")
_DASHES_RE = re.compile(r"[—–]+|-{2,}")
_ELLIPSIS_RE = re.compile(r"…+|\.{3,}|⋯+")
_STRONG = "？！。；：，、"  # which mark survives a run of marks, strongest first


def _digits(match: re.Match[str]) -> str:
    return match.group(0).translate(HOTLINE_DIGITS)


def _after_trigger(match: re.Match[str]) -> str:
    return match.group(1) + match.group(2) + match.group(3).translate(HOTLINE_DIGITS)


def _acronym(match: re.Match[str]) -> str:
    word = match.group(0)
    for key, spoken in ACRONYMS.items():
        if key.upper() == word.upper():
            return f" {spoken} "
    return word


def _spell(match: re.Match[str]) -> str:
    word = match.group(0)
    if len(word) == 1:
        return word.upper()
    return " " + " ".join(word.upper()) + " "


def _punct_run(match: re.Match[str]) -> str:
    run = match.group(0)
    return next(mark for mark in _STRONG if mark in run)


def _lines(text: str) -> str:
    """Each line ends as a sentence, so engines pause between lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    ended = [line if line[-1] in _PUNCT + ",.!?;:" else line + "。" for line in lines[:-1]]
    return "".join(ended + lines[-1:])


@lru_cache(maxsize=16384)
def speech_text(display: str, override: str | None = None) -> str:
    """The text an engine reads for `display`; an item's own `speech` text wins when given."""
    source = override if isinstance(override, str) and override.strip() else display
    text = unicodedata.normalize("NFC", source or "")
    text = _lines(text)
    text = text.translate(_FULLWIDTH).translate(_DROP)
    text = _ACRONYM_RE.sub(_acronym, text)
    text = _LATIN_RE.sub(_spell, text)
    text = _PERCENT_RE.sub(r"百分之\1", text)
    text = _TIME_RE.sub(r"\1点\2分", text)
    text = _AFTER_TRIGGER_RE.sub(_after_trigger, text)
    text = _HOTLINE_RE.sub(_digits, text)
    text = _MOBILE_RE.sub(_digits, text)
    text = _YEAR_RE.sub(lambda m: m.group(1).translate(PLAIN_DIGITS), text)
    text = _THOUSANDS_RE.sub("", text)
    text = _DECIMAL_RE.sub(lambda m: m.group(1) + "点" + m.group(2).translate(PLAIN_DIGITS), text)
    text = _RANGE_RE.sub("到", text)
    text = _ELLIPSIS_RE.sub("。", text)
    text = _DASHES_RE.sub("，", text)
    text = text.replace("～", "").replace("~", "").replace("-", " ").replace("=", "等于").replace("+", "加")
    text = re.sub(r"[@#^_|\\<>`$]", " ", text)
    text = text.translate(_ASCII_PUNCT)
    text = _SPACES_RE.sub(" ", text)
    text = _SPACE_NEAR_WIDE_RE.sub("", text)
    text = _PUNCT_RUN_RE.sub(_punct_run, text)
    return text.strip(" " + "，、；：")


def clips_for(body: dict[str, Any], kind: str) -> dict[str, str]:
    """Part name -> speech text for one stored question body (app.bank.schema.Question.body()).

    Parts: "scenario" (when there is one), "prompt", "option:<bank key>" for every option (judge
    items too: 是 / 否), "explanation". Option labels are the shared LABEL_CLIPS.
    """
    speech = body.get("speech") or {}
    spoken_options = speech.get("options") if kind != "judge" else None
    if not isinstance(spoken_options, dict):
        spoken_options = {}
    clips: dict[str, str] = {}
    scenario = speech_text(body.get("scenario") or "", speech.get("scenario"))
    if scenario:
        clips["scenario"] = scenario
    clips["prompt"] = speech_text(body.get("prompt") or "", speech.get("prompt"))
    for option in body.get("options") or []:
        clips[f"option:{option['key']}"] = speech_text(option["text"], spoken_options.get(option["key"]))
    clips["explanation"] = speech_text(body.get("explanation") or "", speech.get("explanation"))
    return {part: text for part, text in clips.items() if text}


# What one item may say aloud: its scenario, prompt, options and explanation (the option labels are
# shared clips, fetched once). Each item's clips must stay under 200 KB: at 32 kbps that is 50 s of
# audio, and espeak-ng at the default rate (175) speaks about 3.8 characters of our text a second,
# about 1 050 bytes a character (measured: tests/tts/test_budget.py), so 170 characters (~45 s,
# ~180 KB) leaves room for pauses. Longer display text gets a shorter spoken version in the item's
# `speech` fields; `bank check` names the items over it.
ITEM_SPOKEN_BUDGET = 170
ITEM_AUDIO_BUDGET_BYTES = 200_000


def spoken_length(body: dict[str, Any], kind: str) -> int:
    """Characters an item reads aloud, counted on the speech texts (clips_for), labels excluded."""
    return sum(len(text) for text in clips_for(body, kind).values())


def over_budget_notes(bank: Any) -> list[str]:
    """`bank check` notes (registered in the factory): items whose spoken text is over the budget."""
    notes = []
    for question in bank.questions:
        n = spoken_length(question.body(), question.kind)
        if n > ITEM_SPOKEN_BUDGET:
            notes.append(f"{question.item_id} 朗读约 {n} 字，超过每题 {ITEM_SPOKEN_BUDGET} 字的朗读预算（语音会超过 200 KB）；"
                         "可以在 speech 里写更短的读法。")
    return notes
