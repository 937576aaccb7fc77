"""Drawn signatures: a path of straight strokes, "M x y L x y L x y M x y …", in a fixed box.

The browser sends a path string; nothing else is ever accepted. It is checked token by token
(only M and L, each followed by exactly two plain numbers inside the box), rebuilt in a canonical
form and stored; pages draw it with their own <svg><path>, so no submitted markup reaches a page.
"""

from __future__ import annotations

import re

from app.records.errors import InvalidSignature

WIDTH = 600  # the signature pad's viewBox: static/js/signature.js draws in the same units
HEIGHT = 200
MAX_CHARS = 20_000  # Pledge.signature_svg_path
_NUMBER_RE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,2})?")
_SEPARATORS_RE = re.compile(r"[ ,]+")


def _number(token: str, limit: int) -> str:
    if not _NUMBER_RE.fullmatch(token):
        raise InvalidSignature()
    value = float(token)
    if value > limit:
        raise InvalidSignature()
    return f"{value:g}"


def clean_path(raw: object) -> str:
    """The canonical path for a submitted drawing, "" when nothing was drawn; InvalidSignature
    (422, in Chinese) for anything that is not a plain M/L path inside the box."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise InvalidSignature()
    if len(raw) > MAX_CHARS:
        raise InvalidSignature("签名太长了，请点“清除重写”，写得简单一些。")
    text = raw.strip()
    if not text:
        return ""
    tokens = _SEPARATORS_RE.split(text)
    if tokens[0] != "M" or len(tokens) % 3:
        raise InvalidSignature()
    out: list[str] = []
    lines = 0
    for i in range(0, len(tokens), 3):
        command, x, y = tokens[i : i + 3]
        if command not in ("M", "L"):
            raise InvalidSignature()
        lines += command == "L"
        out += [command, _number(x, WIDTH), _number(y, HEIGHT)]
    if not lines:
        raise InvalidSignature("签名板上只有一个点，请用手指写下名字，或在上面的框里打字。")
    return " ".join(out)
