"""Several real gunicorn worker processes: racing taps still store exactly one answer."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.quiz.models import Answer
from tests.helpers import count_rows, wait_until_serving

pytestmark = pytest.mark.commits  # the workers are other processes
ROOT = Path(__file__).resolve().parent.parent
TAPS = 12


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(port: int, method: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = json.loads(response.read() or b"{}")
    conn.close()
    return response.status, data


@pytest.fixture()
def gunicorn(app, database_url, tmp_path):
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "gunicorn-test-secret", "APP_ENV": "testing"}
    with log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "4", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
        )
        try:
            wait_until_serving(process, log, lambda: _request(port, "GET", "/api/v1/quizzes")[0] == 200)
            yield port
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


@pytest.mark.slow
def test_twelve_taps_across_four_workers_store_one_answer(app, gunicorn):
    status, started = _request(gunicorn, "POST", "/api/v1/attempts", {"quiz_id": "staff-training", "nickname": "赵医生"})
    assert status == 201
    path = f"/api/v1/attempts/{started['attempt_id']}/questions/1/answer"
    barrier = threading.Barrier(TAPS)
    statuses: list[int] = []

    def tap() -> None:
        barrier.wait()
        statuses.append(_request(gunicorn, "POST", path, {"choices": ["A"]}, started["token"])[0])

    threads = [threading.Thread(target=tap) for _ in range(TAPS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(statuses) == [200] + [409] * (TAPS - 1)
    assert count_rows(app, Answer, Answer.attempt_id == started["attempt_id"]) == 1
