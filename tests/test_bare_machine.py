"""The two commands on a bare machine: scripts/system-deps, and a fresh clone without a secret key.

Everything here runs the real thing in a subprocess: the script with dpkg-query and apt-get, the
Makefile, `python -m flask --app wsgi …` and gunicorn on a copy of the repository that has never been
set up (no instance/secret_key, no database, no SECRET_KEY in the environment).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "system-deps"
IS_ROOT = os.geteuid() == 0
# Settings a developer's shell may hold; a fresh machine has none of them.
APP_VARIABLES = ("SECRET_KEY", "APP_ENV", "DATABASE_URL", "AUDIO_DIR", "QUESTION_BANK_DIR", "FLASK_APP",
                 "FLASK_DEBUG", "SYSTEM_DEPS_PACKAGES", "PYTHONPATH")


def _missing_package() -> str:
    return f"fzkt-missing-{uuid.uuid4().hex[:8]}"  # a name no Debian archive has


def _clean_env(**extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in APP_VARIABLES}
    return {**env, **extra}


def _as_unprivileged(command: list[str]) -> list[str]:
    """Run as `nobody` when we are root; a non-root runner is unprivileged already."""
    if IS_ROOT:
        return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
    return command


def _installed(package: str) -> bool:
    done = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", package], capture_output=True, text=True)
    return done.stdout == "installed"


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.fixture(scope="module")
def fresh_clone() -> Iterator[Path]:
    """The repository as a fresh clone would have it (every file git would commit, taken from the
    working tree), in a directory every user may read, so `nobody` can run it too."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    target = Path(tempfile.mkdtemp(prefix="fzkt-clone-"))  # not under pytest's basetemp, which is 0700
    try:
        target.chmod(0o755)
        for name in filter(None, listed):
            source = ROOT / name
            if source.is_file():  # a file deleted in the working tree is not part of the clone
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
        for folder in [target, *(p for p in target.rglob("*") if p.is_dir())]:
            folder.chmod(0o755)
        assert not (target / "instance" / "secret_key").exists() and not (target / ".venv").exists()
        yield target
    finally:
        shutil.rmtree(target)


def _flask(clone: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=clone, env=_clean_env(**env),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)


# -- scripts/system-deps ---------------------------------------------------------------------------------


def test_system_deps_finds_the_packages_of_this_machine_installed() -> None:
    """The real lists: this machine ran the script (CI), so both modes find everything and exit 0."""
    for mode in ("run", "test"):
        done = subprocess.run([str(SCRIPT), mode], env=_clean_env(), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "installing" not in done.stdout


@pytest.mark.skipif(not IS_ROOT, reason="the install path needs root (the unprivileged path is tested below)")
def test_as_root_a_missing_package_goes_to_apt_get_update_and_install() -> None:
    missing = _missing_package()
    assert _installed("dpkg") and not _installed(missing)
    done = subprocess.run([str(SCRIPT), "run"], env=_clean_env(SYSTEM_DEPS_PACKAGES=f"dpkg {missing}"),
                          capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    # Only the missing package is asked for, and apt-get really ran (it cannot find a made-up name).
    assert f"system-deps: installing {missing}\n" in done.stdout
    assert f"Unable to locate package {missing}" in output or "apt-get update failed" in output, output
    assert done.returncode == 1
    assert "Traceback" not in output


def test_without_root_it_prints_the_apt_get_line_and_stops(fresh_clone: Path) -> None:
    missing = _missing_package()
    script = fresh_clone / "scripts" / "system-deps"
    done = subprocess.run(_as_unprivileged([str(script), "test"]),
                          env=_clean_env(SYSTEM_DEPS_PACKAGES=f"espeak-ng {missing}"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    # Two lines and nothing else: no apt-get, no PostgreSQL or Redis step of the test mode.
    assert done.stderr.splitlines() == [
        f"system-deps: missing Debian packages: {missing}. Install them, then try again:",
        f"sudo apt-get install -y --no-install-recommends {missing}",
    ]


@pytest.mark.parametrize("target", ["run", "test"])
def test_make_checks_the_packages_before_doing_anything_else(fresh_clone: Path, target: str) -> None:
    missing = _missing_package()
    done = subprocess.run(_as_unprivileged(["make", "--no-print-directory", "-C", str(fresh_clone), target]),
                          env=_clean_env(SYSTEM_DEPS_PACKAGES=missing), capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert f"sudo apt-get install -y --no-install-recommends {missing}" in done.stderr
    assert done.stdout.splitlines() == [f"scripts/system-deps {target}"]  # make echoed the script, then stopped
    assert not (fresh_clone / ".venv").exists() and not (fresh_clone / "instance" / "secret_key").exists()


# -- commands on a fresh clone, without a secret key --------------------------------------------------------


def test_content_commands_run_on_a_fresh_clone_without_a_secret_key(fresh_clone: Path, tmp_path: Path) -> None:
    checked = _flask(fresh_clone, "bank", "check")
    assert checked.returncode == 0, checked.stderr
    assert "题库检查通过" in checked.stdout

    stats = _flask(fresh_clone, "bank", "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["questions"] > 0

    exported = _flask(fresh_clone, "bank", "export", "--format", "gift", str(tmp_path / "bank.gift"))
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "bank.gift").stat().st_size > 0

    template = _flask(fresh_clone, "bank", "template", str(tmp_path / "template.xlsx"))
    assert template.returncode == 0, template.stderr
    assert (tmp_path / "template.xlsx").stat().st_size > 0

    for done in (checked, stats, exported, template):
        assert "Traceback" not in done.stderr and "InsecureConfiguration" not in done.stderr
    # A command makes no key of its own on disk: that stays `make run`'s job.
    assert not (fresh_clone / "instance" / "secret_key").exists()


@pytest.fixture(scope="module")
def upgraded_database(fresh_clone: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'app.db'}"
    done = _flask(fresh_clone, "db", "upgrade", DATABASE_URL=url)
    assert done.returncode == 0, done.stderr
    return url


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["db", "upgrade", "no-such-revision"], 1, "no-such-revision"),
        (["org", "create", "--name", "一中", "--kind", "castle"], 2, "--kind"),
        (["org", "create", "--kind", "school"], 2, "--name"),
        (["group", "create", "--org", "999", "--name", "一班", "--size", "40"], 1, ""),
        (["campaign", "create", "--name", "<b>"], 1, ""),
        (["user", "create", "--email", "a@school.cn", "--role", "janitor"], 1, "janitor"),
        (["user", "create", "--email", "a@school.cn", "--role", "teacher"], 1, "--org"),
        (["tts", "warm", "--engine", "no-such-engine"], 2, "no-such-engine"),
        (["bank", "frobnicate"], 2, "frobnicate"),
    ],
)
def test_a_refusal_is_one_line_never_a_traceback(fresh_clone: Path, upgraded_database: str, args: list[str],
                                                 code: int, words: str) -> None:
    done = _flask(fresh_clone, *args, DATABASE_URL=upgraded_database)
    assert done.returncode == code, done.stderr
    assert words in _one_line(done.stderr)
    assert "Traceback" not in done.stderr


def test_a_command_on_a_database_without_tables_says_so_in_one_line(fresh_clone: Path, tmp_path: Path) -> None:
    done = _flask(fresh_clone, "org", "create", "--name", "一中", "--kind", "school",
                  DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    assert done.returncode == 1
    line = _one_line(done.stderr)
    assert line.startswith("Error: ") and "db upgrade" in line and "organisations" in line


# -- serving in production without a key -----------------------------------------------------------------


def test_gunicorn_in_production_without_a_key_refuses_in_one_line(fresh_clone: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "wsgi:app"], cwd=fresh_clone,
                          env=_clean_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    refusals = [line for line in done.stderr.splitlines() if "Refusing to serve" in line]
    assert refusals == [refusals[0]] and refusals[0].startswith("Refusing to serve in production")
    assert "SECRET_KEY" in refusals[0] and "instance/secret_key" in refusals[0]
    assert "Traceback" not in done.stderr
    assert "App failed to load" in done.stderr  # gunicorn stopped; it does not keep rebooting workers


def test_flask_run_in_production_without_a_key_refuses_in_one_line(fresh_clone: Path) -> None:
    done = _flask(fresh_clone, "run", "--port", "0")
    assert done.returncode == 1
    assert _one_line(done.stderr).startswith("Error: Refusing to serve in production")


@pytest.mark.parametrize(
    ("setting", "value", "words"),
    [
        ("TRUSTED_PROXIES", "abc", "TRUSTED_PROXIES"),
        ("BOARD_CACHE_SECONDS", "soon", "BOARD_CACHE_SECONDS"),
        ("RATELIMIT_ANSWER", "lots", "RATELIMIT_ANSWER"),
        ("DATABASE_URL", "garbage://x", "DATABASE_URL"),
        ("LOCAL_TIMEZONE", "Mars/Base", "LOCAL_TIMEZONE"),
    ],
)
def test_a_setting_that_cannot_be_used_refuses_in_one_line_naming_it(fresh_clone: Path, setting: str, value: str,
                                                                      words: str) -> None:
    done = _flask(fresh_clone, "bank", "stats", "--json", **{setting: value})
    assert done.returncode == 1
    line = _one_line(done.stderr)
    assert line.startswith("Error: 设置有误") and words in line
    assert "Traceback" not in done.stderr
