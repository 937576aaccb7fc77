"""Chinese sentence packer for gTTS: whole sentences, at most 100 characters per request.

gTTS's own tokenizer splits at every comma and never re-merges, so one question became 18 tiny
requests with their own edge silences. This packs whole sentences (ending in 。！？；!?; or a line
break) greedily into chunks of <= limit characters, keeping the punctuation so Google paces
itself; a sentence that is too long is split at ，、：,: and only then cut hard.
"""

from __future__ import annotations

import re

CHUNKER_ID = "zh_chunks/1"
GOOGLE_MAX_CHARS = 100
_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;\n]+|$)")
_CLAUSE_RE = re.compile(r"[^，、：,:]*(?:[，、：,:]+|$)")


def _pieces(text: str, pattern: re.Pattern[str]) -> list[str]:
    return [p for p in pattern.findall(text) if p]


def _fit(sentence: str, limit: int) -> list[str]:
    """Pieces of one sentence, each <= limit: clauses first, then a hard cut."""
    if len(sentence) <= limit:
        return [sentence]
    out: list[str] = []
    for clause in _pieces(sentence, _CLAUSE_RE):
        out.extend(clause[i : i + limit] for i in range(0, len(clause), limit))
    return out


def zh_chunks(text: str, limit: int = GOOGLE_MAX_CHARS) -> list[str]:
    """Chunks of <= limit characters; nothing but whitespace at chunk edges is dropped."""
    pieces: list[str] = []
    for sentence in _pieces(text, _SENTENCE_RE):
        pieces.extend(_fit(sentence, limit))
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + len(piece) > limit:
            chunks.append(current)
            current = ""
        current += piece
    if current:
        chunks.append(current)
    stripped = [c.strip() for c in chunks]
    return [c for c in stripped if c]
