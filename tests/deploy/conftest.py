"""The production layout's servers, started for real from the shipped files in deploy/.

nginx (deploy/nginx/fzkt.conf), PgBouncer (deploy/pgbouncer/pgbouncer.ini) and gunicorn run as the
current user on free ports, with their files in a temporary directory; the shipped configuration is
templated only where a test must differ (ports, paths, the database name), and each replaced line
must be found, so a change to the shipped file that the tests no longer exercise fails here. Started
as root (CI), nginx's workers and PgBouncer drop to `nobody`, as they would to www-data and postgres:
so the files they read must be readable by another user, as in production.

Each module is marked `deploy` (and `commits`: other processes write the rows); `make test` runs
them in its SQLite pass and leaves them out of the PostgreSQL pass. The PgBouncer and two-host
tests use PostgreSQL whatever `--db` says: a role and database of their own (`deploy_database`),
made once per run; the single-host test runs on the suite's database (SQLite in that pass). Nothing is skipped: a missing program
fails. Every wait is bounded; every process is stopped at the end of its module.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy"
IS_ROOT = os.geteuid() == 0
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def program(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        pytest.fail(f"{name} is not installed: run scripts/system-deps test (Debian package {name})", pytrace=False)
    return found


# -- HTTP -----------------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    set_cookies: list[str] = field(default_factory=list)

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def call(port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
         form: dict[str, str] | None = None, timeout: float = 30) -> Reply:
    """One request on a fresh connection. `body` is sent as JSON, `form` as a urlencoded form."""
    from urllib.parse import urlencode

    sent = dict(headers or {})
    data: bytes | None = None
    if body is not None:
        data = json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    elif form is not None:
        data = urlencode(form).encode()
        sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        merged: dict[str, str] = {}
        for key, value in response.getheaders():  # repeated headers (two Vary lines) as one, comma-joined
            merged[key.lower()] = f"{merged[key.lower()]}, {value}" if key.lower() in merged else value
        return Reply(response.status, merged, response.read(), response.headers.get_all("Set-Cookie") or [])
    finally:
        conn.close()


def wait_until(check: Callable[[], bool], seconds: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(interval)


# -- processes ------------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    port: int
    extra: dict[str, Any] = field(default_factory=dict)

    def log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""


def start(name: str, command: list[str], *, port: int, log: Path, ready: Callable[[], bool],
          cwd: Path | None = None, env: dict[str, str] | None = None, wait: bool = True) -> Server:
    """Start a server in its own process group and wait (bounded) until `ready()` holds; with
    wait=False, call `ready(server)` later (servers that start side by side)."""
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    server = Server(name, process, log, port, {"ready": ready})
    return await_ready(server) if wait else server


def await_ready(server: Server) -> Server:
    ready, process, name = server.extra["ready"], server.process, server.name
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            if ready():
                return server
        except (OSError, http.client.HTTPException):
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop(server)
            raise AssertionError(f"{name} did not start: {server.log_tail()}")
        time.sleep(0.1)


def stop(server: Server) -> None:
    """SIGTERM to the server's process group, SIGKILL after 10 s; always reaped."""
    if server.process.poll() is None:
        try:
            os.killpg(server.process.pid, signal.SIGTERM)
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)
        except ProcessLookupError:
            server.process.wait(timeout=10)


@pytest.fixture(scope="module")
def work_dir() -> Iterator[Path]:
    """A temporary directory another user (nginx's workers, PgBouncer) can read: pytest's own are 0700."""
    path = Path(tempfile.mkdtemp(prefix="fzkt-deploy-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def shared_dir(parent: Path, name: str) -> Path:
    path = parent / name
    path.mkdir()
    path.chmod(0o755)
    return path


# -- gunicorn -------------------------------------------------------------------------------------------


def gunicorn(name: str, work: Path, env: dict[str, str], *, app: str = "wsgi:app", workers: int = 2,
             wait: bool = True) -> Server:
    """gunicorn as one app host: its own working directory, port, access log and caches; the code
    from the repository (as /srv/fzkt), the shipped gunicorn.conf.py; ready once /healthz says 200."""
    port = free_port()
    home = work / name
    home.mkdir(exist_ok=True)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "RATELIMIT_", "TTS_", "AUDIO_"))}
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--pythonpath", str(ROOT),
               "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--access-logfile", str(home / "access.log"),
               app]
    server = start(name, command, port=port, log=home / "gunicorn.log", cwd=home, env={**clean, **env},
                   ready=lambda: call(port, "GET", "/healthz", timeout=5).status == 200, wait=wait)
    server.extra["access_log"] = home / "access.log"
    return server


def access_lines(server: Server) -> list[str]:
    path: Path = server.extra["access_log"]
    return path.read_text().splitlines() if path.exists() else []


def warm_clip(audio_dir: Path, text: str) -> str:
    """Make the clip of `text` in audio_dir with espeak, as `tts warm` run on some host would; its URL."""
    from app.tts.service import audio_url
    from tests.conftest import make_app

    app = make_app("sqlite://", AUDIO_DIR=str(audio_dir), TTS_ENGINES=["espeak"], TTS_ON_DEMAND=True)
    with app.test_request_context():
        url = audio_url(text)
    assert url is not None, "espeak-ng could not make the clip"
    return url


# -- nginx ----------------------------------------------------------------------------------------------


def replace_each(text: str, replacements: dict[str, str], source: str) -> str:
    for old, new in replacements.items():
        assert old in text, f"{source} no longer has {old!r}: update the test's templating with it"
        text = text.replace(old, new)
    return text


def nginx(work: Path, upstream_ports: list[int], audio_dir: Path) -> Server:
    """nginx with the shipped site (deploy/nginx/fzkt.conf), in a main configuration like Debian's."""
    binary = program("nginx")
    port = free_port()
    home = work / "nginx"
    home.mkdir()
    site = replace_each((DEPLOY / "nginx" / "fzkt.conf").read_text(), {
        "    server 127.0.0.1:8000;\n": "".join(f"    server 127.0.0.1:{p};\n" for p in upstream_ports),
        "    listen 80;\n": f"    listen 127.0.0.1:{port};\n",
        "    listen [::]:80;\n": "",
        "/srv/fzkt/static/": f"{ROOT / 'static'}/",
        "/srv/fzkt/audio/": f"{audio_dir}/",
    }, "deploy/nginx/fzkt.conf")
    (home / "fzkt.conf").write_text(site)
    temp = "\n".join(f"    {kind}_temp_path {home / 'tmp' / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                                    "uwsgi", "scgi"))
    (home / "tmp").mkdir()
    (home / "nginx.conf").write_text(f"""
{'user nobody nogroup;' if IS_ROOT else ''}
daemon off;
worker_processes 2;
pid {home / 'nginx.pid'};
error_log {home / 'error.log'} warn;
events {{ worker_connections 512; }}
http {{
    sendfile on;
    tcp_nopush on;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {home / 'access.log'};
{temp}
    include {home / 'fzkt.conf'};
}}
""")
    base = [binary, "-c", str(home / "nginx.conf"), "-p", f"{home}/", "-e", str(home / "error.log")]
    checked = subprocess.run([*base, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    return start("nginx", base, port=port, log=home / "nginx.log",
                 ready=lambda: call(port, "GET", "/healthz", timeout=5).status == 200)


# -- PostgreSQL and PgBouncer ---------------------------------------------------------------------------


@dataclass
class DeployDatabase:
    name: str
    role: str
    password: str
    scram_secret: str

    def url(self, port: int = 5432) -> str:
        return f"postgresql+psycopg://{self.role}:{self.password}@127.0.0.1:{port}/{self.name}"


@pytest.fixture(scope="session")
def deploy_database() -> Iterator[DeployDatabase]:
    """A PostgreSQL role with a password and a database it owns, migrated and with the shipped bank,
    whatever --db says; dropped at the end of the run."""
    import psycopg

    from app.bank.importer import import_bank
    from app.bank.loader import load_bank
    from app.extensions import db
    from app.migrations import upgrade
    from tests.conftest import PG_ADMIN_URL, make_app

    name = f"fzkt_deploy_{uuid.uuid4().hex[:10]}"
    password = secrets.token_hex(12)
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}", pytrace=False)
    with admin:
        admin.execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'")
        admin.execute(f'CREATE DATABASE "{name}" OWNER "{name}"')
        secret = admin.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", [name]).fetchone()
    assert secret and secret[0].startswith("SCRAM-SHA-256$"), "PostgreSQL should store SCRAM secrets"
    database = DeployDatabase(name, name, password, secret[0])
    try:
        app = make_app(database.url())
        with app.app_context():
            upgrade()
            import_bank(load_bank(ROOT / "question_bank"))
            db.session.remove()
            db.engine.dispose()
        yield database
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{name}"')


def pgbouncer(work: Path, database: DeployDatabase) -> Server:
    """PgBouncer with the shipped configuration (transaction mode, SCRAM sign-in from userlist.txt)."""
    import psycopg

    binary = program("pgbouncer")
    port = free_port()
    home = shared_dir(work, "pgbouncer")
    (home / "userlist.txt").write_text(f'"{database.role}" "{database.scram_secret}"\n')
    (home / "userlist.txt").chmod(0o644)  # read by `nobody` when the tests run as root
    ini = replace_each((DEPLOY / "pgbouncer" / "pgbouncer.ini").read_text(), {
        "\nfzkt = host=127.0.0.1 port=5432 dbname=fzkt\n": f"\n{database.name} = host=127.0.0.1 port=5432 dbname={database.name}\n",
        "\nlisten_port = 6432\n": f"\nlisten_port = {port}\n",
        "\nunix_socket_dir = /var/run/postgresql\n": "\nunix_socket_dir =\n",
        "\nlogfile = /var/log/postgresql/pgbouncer.log\n": "\nlogfile =\n",  # stderr, into the test's log
        "\npidfile = /var/run/postgresql/pgbouncer.pid\n": "\npidfile =\n",
        "\nauth_file = /etc/pgbouncer/userlist.txt\n": f"\nauth_file = {home / 'userlist.txt'}\n",
    }, "deploy/pgbouncer/pgbouncer.ini")
    for must in ("\npool_mode = transaction\n", "\nauth_type = scram-sha-256\n"):
        assert must in ini
    (home / "pgbouncer.ini").write_text(ini)
    (home / "pgbouncer.ini").chmod(0o644)
    plain = database.url(port).replace("postgresql+psycopg://", "postgresql://")

    def ready() -> bool:
        try:
            with psycopg.connect(plain, connect_timeout=2, prepare_threshold=None) as conn:
                return conn.execute("SELECT 1").fetchone() == (1,)
        except psycopg.OperationalError:
            return False

    command = [binary, str(home / "pgbouncer.ini"), *(["-u", "nobody"] if IS_ROOT else [])]
    return start("pgbouncer", command, port=port, log=work / "pgbouncer.log", ready=ready)
