"""The yardstick for bench/run.py: a bare Flask app served by gunicorn exactly like the real one.

GET  /    returns a tiny JSON document and touches nothing else: the ceiling for any Flask route
          on this machine with this server setup.
POST /rw  one read and one write with plain SQLAlchemy (no Flask-SQLAlchemy, no limiter, no
          validation): the reference "one-read-one-write SQLAlchemy route" the issue compares
          against. It is only registered when BENCH_DATABASE_URL is set; bench/run.py creates its
          two tables (bench_ref, bench_ref_log) in the throwaway database beforehand.

Run by bench/run.py as `gunicorn --chdir bench -w N -b 127.0.0.1:PORT bare_app:app`.
"""

from __future__ import annotations

import os
import time
from typing import Any

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/")
def index() -> Any:
    return jsonify(ok=True)


_url = os.environ.get("BENCH_DATABASE_URL", "")
if _url:
    from sqlalchemy import create_engine, event, text

    if _url.startswith("postgresql://"):
        _url = "postgresql+psycopg://" + _url.split("://", 1)[1]
    engine = create_engine(_url)

    if engine.dialect.name == "sqlite":
        # The same connection settings the real app uses (app.database.configure_sqlite).
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 5000")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

    READ = text("SELECT v FROM bench_ref WHERE id = :id")
    WRITE = text("INSERT INTO bench_ref_log (k, v, at) VALUES (:k, :v, :at)")

    @app.post("/rw")
    def read_write() -> Any:
        data = request.get_json(force=True, silent=True) or {}
        k = int(data.get("k", 0)) % 100
        with engine.begin() as conn:
            v = conn.execute(READ, {"id": k}).scalar_one()
            conn.execute(WRITE, {"k": k, "v": v, "at": time.time()})
        return jsonify(k=k, v=v)
