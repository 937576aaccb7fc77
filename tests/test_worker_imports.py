"""A web worker loads only what serving needs: each worker's memory is counted once per worker."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

# Loaded where a command, an export or a QR code needs them, never by `import wsgi`.
NOT_IN_A_WORKER = ["yaml", "openpyxl", "segno", "alembic", "flask_limiter"]


def test_serving_does_not_load_the_tools_of_commands_and_exports(database_url: str) -> None:
    probe = (
        "import json, sys; import wsgi; "
        "print(json.dumps({name: name in sys.modules for name in sys.argv[1:]}))"
    )
    other_dialect = "sqlite" if database_url.startswith("postgresql") else "postgresql"
    names = [*NOT_IN_A_WORKER, f"sqlalchemy.dialects.{other_dialect}"]
    env = dict(os.environ, DATABASE_URL=database_url, APP_ENV="production", SECRET_KEY="x" * 48)
    done = subprocess.run([sys.executable, "-c", probe, *names], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert not any(loaded.values()), {name for name, present in loaded.items() if present}
