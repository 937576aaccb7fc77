"""Join codes: short, easy to read aloud and to type on a phone, with no look-alike characters."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read off a projector is typed right the first time.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    """Shown as two groups of three (ABC-DEF); typed with or without the dash."""
    return f"{code[:3]}-{code[3:]}" if len(code) == LENGTH else code
