"""Notes `bank check` prints beside a valid bank (not faults): other features register what they
check in the factory (speech: items whose spoken text runs over its budget), so the bank imports none."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Flask, current_app

from app.bank.schema import Bank

EXTENSION = "bank.check_notes"
NoteSource = Callable[[Bank], Iterable[str]]


def register_notes(app: Flask, source: NoteSource) -> None:
    app.extensions.setdefault(EXTENSION, []).append(source)


def check_notes(bank: Bank) -> list[str]:
    return [note for source in current_app.extensions.get(EXTENSION, []) for note in source(bank)]
