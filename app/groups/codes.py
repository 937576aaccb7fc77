"""Join codes: short, easy to read aloud and to type on a phone, with no look-alike characters."""

from __future__ import annotations

import re
import secrets

from app.groups.errors import InvalidJoinCode

JOIN_CODE_RE = re.compile(r"^[A-Z0-9]{4,12}$")  # what may be typed (older or imported codes included)
# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read off a projector is typed right the first time.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    """Shown as two groups of three (ABC-DEF); typed with or without the dash."""
    return f"{code[:3]}-{code[3:]}" if len(code) == LENGTH else code


def clean_join_code(raw: object) -> str | None:
    """A typed join code: spaces and dashes dropped, upper-cased, 4-12 letters or digits; None if empty."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise InvalidJoinCode()
    code = re.sub(r"[\s-]", "", raw).upper()
    if not code:
        return None
    if not JOIN_CODE_RE.match(code):
        raise InvalidJoinCode()
    return code
