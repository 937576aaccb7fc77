"""GET /healthz for load balancers: 200 while the database answers (degraded when Redis or the
audio store does not), 503 when it does not; the version and statuses, never a secret."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from tests.conftest import make_app


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_healthy_with_the_database_the_schema_revision_and_the_version(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "ok" and body["version"] == "0.1.0"
    assert body["database"]["status"] == "ok" and body["database"]["revision"]
    assert body["redis"] == {"status": "not used"} and body["audio"] == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert client.head("/healthz").status_code == 200


def test_redis_down_or_no_audio_store_is_degraded_but_still_serving(app_factory, tmp_path: Path) -> None:
    app = app_factory(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{_closed_port()}/0", AUDIO_DIR=str(tmp_path / "gone"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "degraded"
    assert response.json["redis"] == {"status": "down"} and response.json["audio"] == {"status": "missing"}


def test_redis_that_answers_is_ok(app_factory) -> None:
    app = app_factory(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/14")  # the suite's Redis database
    assert app.test_client().get("/healthz").json["redis"] == {"status": "ok"}


def test_a_database_that_does_not_answer_is_503_without_secrets(tmp_path: Path) -> None:
    secret_url = f"postgresql+psycopg://fzkt:s3cret-pw@127.0.0.1:{_closed_port()}/fzkt"
    for url in (secret_url, f"sqlite:///{tmp_path / 'empty.db'}"):  # unreachable; reachable without tables
        app = make_app(url, SECRET_KEY="a-secret-that-must-not-show")
        response = app.test_client().get("/healthz")
        assert response.status_code == 503
        assert response.json["status"] == "down" and response.json["database"]["status"] == "down"
        text = json.dumps(response.json)
        assert "s3cret" not in text and "a-secret-that" not in text and "127.0.0.1" not in text
