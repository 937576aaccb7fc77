"""The shipped systemd unit (deploy/systemd/fzkt.service) passes `systemd-analyze verify` with the
code where the tests run instead of /srv/fzkt (verify checks that ExecStart exists), and starts
what the README says. No timers are shipped yet (backups and retention come with their commands)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.conftest import DEPLOY, ROOT, replace_each

pytestmark = [pytest.mark.deploy]
UNITS = sorted((DEPLOY / "systemd").glob("*.service")) + sorted((DEPLOY / "systemd").glob("*.timer"))


def test_every_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.fail("systemd-analyze is missing (Debian package systemd)", pytrace=False)
    assert [unit.name for unit in UNITS] == ["fzkt.service"]
    for unit in UNITS:
        text = replace_each(unit.read_text(), {"/srv/fzkt": str(ROOT)}, f"deploy/systemd/{unit.name}")
        (tmp_path / unit.name).write_text(text)
        done = subprocess.run([analyze, "verify", str(tmp_path / unit.name)], capture_output=True, text=True,
                              timeout=60, cwd=tmp_path)
        # verify exits 0 on unknown keys and bad values (it only warns), so any output is a failure.
        assert done.returncode == 0 and done.stderr == "" and done.stdout == "", (unit.name, done.stdout, done.stderr)


def test_the_app_unit_runs_gunicorn_behind_nginx_with_the_env_file() -> None:
    unit = (DEPLOY / "systemd" / "fzkt.service").read_text()
    assert "ExecStart=/srv/fzkt/.venv/bin/gunicorn --workers 4 --bind 127.0.0.1:8000 " in unit
    assert "EnvironmentFile=/etc/fzkt/fzkt.env" in unit and "User=fzkt" in unit and "Type=notify" in unit
    assert "server 127.0.0.1:8000;" in (DEPLOY / "nginx" / "fzkt.conf").read_text()
    env = (DEPLOY / "fzkt.env.example").read_text()
    assert "TRUSTED_PROXIES=1" in env.splitlines()
