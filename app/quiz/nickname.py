"""Nickname rules: 1-20 characters after trimming and NFC normalisation, no markup, no phone numbers."""

from __future__ import annotations

import re
import unicodedata

from app.quiz.errors import InvalidNickname

MAX_LENGTH = 20
TAG_RE = re.compile(r"<[^>]*>")
PHONE_RE = re.compile(r"1[3-9]\d{9}")
ID_CARD_RE = re.compile(r"\d{17}[\dXx]")


def clean_nickname(raw: object) -> str:
    """Return the nickname to store, or raise InvalidNickname with a message a person can act on."""
    if not isinstance(raw, str):
        raise InvalidNickname("请填写一个昵称。")
    name = unicodedata.normalize("NFC", raw).strip()
    if not name:
        raise InvalidNickname("请填写一个昵称，比如“小明”或“3号同学”。")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} for ch in name):
        raise InvalidNickname("昵称里有看不见的控制字符，请重新输入。")
    if TAG_RE.search(name) or "<" in name or ">" in name:
        if not TAG_RE.sub("", name).strip():
            raise InvalidNickname("昵称不能只有网页代码，请输入文字。")
        raise InvalidNickname("昵称里不能有 < > 这样的网页代码符号。")
    if len(name) > MAX_LENGTH:
        raise InvalidNickname(f"昵称最多 {MAX_LENGTH} 个字，现在是 {len(name)} 个。")
    digits = re.sub(r"\D", "", name)
    if PHONE_RE.search(digits) or ID_CARD_RE.search(name):
        raise InvalidNickname("为了保护隐私，请不要用手机号或身份证号当昵称。")
    return name
