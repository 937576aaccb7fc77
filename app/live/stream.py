"""The snapshots as Server-Sent Events, served by Flask for now: bounded, so a stream never holds a
worker for long. The first bytes are `retry:` and the current snapshot (so a buffering proxy shows at
once); then a new event whenever the version moves (checked every STEP seconds, so a burst of answers
becomes one event), a comment heartbeat every HEARTBEAT seconds, and the stream ends after
LIVE_STREAM_SECONDS; EventSource reconnects by itself with Last-Event-ID. Each event's id is its
version, and every event is a whole snapshot. A separate read-only fan-out process (gunicorn's ASGI
worker) can later serve the same stream from the same `version` column without holding app workers."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

from flask import current_app

from app.extensions import db
from app.live.errors import GameNotFound
from app.live.snapshot import snapshot, version_of_pin

RETRY_MS = 2000
HEARTBEAT = 15.0
STEP = 0.5


def event(version: int, data: dict[str, object]) -> str:
    return f"id: {version}\nevent: snapshot\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def events(pin: str, last_id: int | None) -> Iterator[str]:
    seconds = float(current_app.config.get("LIVE_STREAM_SECONDS", 25))
    step = float(current_app.config.get("LIVE_STREAM_STEP", STEP))
    yield f"retry: {RETRY_MS}\n\n"
    sent = last_id
    now = time.monotonic()
    end, beat = now + seconds, now + HEARTBEAT
    while True:
        try:
            game_id, version = version_of_pin(pin)
        except GameNotFound:
            return  # the game is gone (its PIN freed): the page says so on its next fetch
        if version != sent:
            yield event(version, snapshot(game_id, version))
            sent, beat = version, time.monotonic() + HEARTBEAT
        db.session.rollback()  # hold no transaction between looks
        now = time.monotonic()
        if now >= end:
            return
        if now >= beat:
            yield ": 心跳\n\n"
            beat = now + HEARTBEAT
        time.sleep(min(step, max(end - now, 0)))
