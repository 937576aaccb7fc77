"""Load benchmark of the quiz API against a bare Flask route, both under gunicorn, on 127.0.0.1.

    .venv/bin/python bench/run.py [--quick] [--backends sqlite,postgresql] [--workers 2,4]
                                  [--duration 10] [--json out.json]

For every backend and worker count it makes a throwaway database (a SQLite file in a temporary
directory, or a PostgreSQL database bench_<random> that is dropped WITH (FORCE) at the end),
migrates it and imports the question bank with the app's own CLI, then:

  1. serves bench/bare_app.py with gunicorn (same worker class and count) and drives with wrk
     GET / (the bare route) and POST /rw (one read + one write with plain SQLAlchemy);
  2. serves wsgi:app with gunicorn and drives with wrk
       question fetch     GET  /api/v1/attempts/{id}/questions/{n}
       answer submission  POST /api/v1/attempts/{id}/questions/{n}/answer
     over attempts created beforehand through POST /api/v1/attempts; every answer goes to a slot
     that has not been answered yet, so any non-2xx is a real failure;
  3. measures one user answering alone (sequential requests, one client), and the resident
     memory of every gunicorn worker after the load.

It prints a table with requests/s, p50 and p99 and each figure's ratio to the bare route, and a
PASS/MISS line per target of the issue. Measurements are not assertions: the exit status is 0
unless the harness itself failed. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import math
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
REPLAY_LUA = BENCH / "replay.lua"
HOST = "127.0.0.1"
PG_ADMIN_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"

# The targets, all on two sync workers.
TARGET_ANSWER_RATIO = 0.12
TARGET_FETCH_RATIO = 0.25
TARGET_SINGLE_ANSWER_P50_MS = 3.0
TARGET_WORKER_RSS_MB = 80.0
TARGET_WORKERS = 2

ANSWER_BODY = json.dumps({"choices": ["A"]})  # "A" exists on every question; right or wrong does not matter
SINGLE_USER_REQUESTS = 300
LOG_PATTERNS = {
    "tracebacks": re.compile(r"Traceback \(most recent call last\)"),
    "database is locked": re.compile(r"database is locked", re.I),
    "OperationalError": re.compile(r"OperationalError"),
    "IntegrityError": re.compile(r"IntegrityError"),
    "unhandled error": re.compile(r"unhandled error on"),
    "worker timeout": re.compile(r"WORKER TIMEOUT"),
    "worker died": re.compile(r"Worker \(pid:\d+\) (exited with code [1-9]|was sent SIG(?!TERM))"),
}


class HarnessError(RuntimeError):
    """The benchmark itself could not run (as opposed to a slow or failing app)."""


# --------------------------------------------------------------------------------------------
# Results


@dataclass
class LoadResult:
    endpoint: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    non2xx: int
    codes: dict[str, int]
    socket_errors: dict[str, int]
    wraps: int
    connections: int
    samples: list[str] = field(default_factory=list)  # first non-2xx responses: "status body"
    cpu_ours: float = 0.0  # CPUs busy in the server, its database backends and wrk during the load
    cpu_other: float = 0.0  # CPUs busy in everything else on the machine at the same time
    ratio_rps: float | None = None  # rps / bare rps
    ratio_p50: float | None = None  # p50 / bare p50
    ratio_p99: float | None = None


@dataclass
class SingleUser:
    endpoint: str
    requests: int
    p50_ms: float
    p99_ms: float
    mean_ms: float
    non2xx: int


@dataclass
class RunResult:
    backend: str
    workers: int
    quiz: str
    question_count: int
    loads: list[LoadResult] = field(default_factory=list)
    single: list[SingleUser] = field(default_factory=list)
    app_worker_rss_mb: list[float] = field(default_factory=list)
    bare_worker_rss_mb: list[float] = field(default_factory=list)
    log_findings: dict[str, dict[str, int]] = field(default_factory=dict)
    log_samples: dict[str, list[str]] = field(default_factory=dict)
    attempts_created: int = 0
    attempt_create_failures: dict[str, int] = field(default_factory=dict)

    def load(self, endpoint: str) -> LoadResult | None:
        return next((r for r in self.loads if r.endpoint == endpoint), None)

    def single_user(self, endpoint: str) -> SingleUser | None:
        return next((r for r in self.single if r.endpoint == endpoint), None)


# --------------------------------------------------------------------------------------------
# Small helpers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def sa_url(url: str) -> str:
    """The SQLAlchemy URL for a DATABASE_URL (the app does the same rewrite for PostgreSQL)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[k]


_ip_counter = itertools.count(1)
_ip_lock = threading.Lock()


def next_ip() -> str:
    """A distinct client address per simulated learner (sent as X-Forwarded-For, see README)."""
    with _ip_lock:
        i = next(_ip_counter)
    return f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"


def request(
    port: int,
    method: str,
    path: str,
    body: str | None = None,
    headers: dict[str, str] | None = None,
    conn: http.client.HTTPConnection | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    own = conn is None
    c = conn or http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        hdrs = dict(headers or {})
        if body is not None:
            hdrs["Content-Type"] = "application/json"
        c.request(method, path, body=body.encode() if body is not None else None, headers=hdrs)
        resp = c.getresponse()
        data = resp.read()
        return resp.status, data
    finally:
        if own:
            c.close()


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may contain spaces; the fields after the closing parenthesis do not.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == master:
            pids.append(int(entry))
    return sorted(pids)


CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_ticks(pid: int) -> int | None:
    """utime + stime of one process, in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def system_busy_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as f:
        values = [int(v) for v in f.readline().split()[1:9]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# --------------------------------------------------------------------------------------------
# The harness: owns every process and database it creates and removes them on the way out.


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    log: Path
    name: str


@dataclass
class Attempt:
    id: str
    token: str
    question_count: int
    ip: str


class Harness:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="fzkt-bench-"))
        self.procs: list[subprocess.Popen[bytes]] = []
        self.pg_databases: list[str] = []
        self.secret_key = secrets.token_hex(32)
        self.gunicorn = str(VENV_BIN / "gunicorn")
        self.flask = str(VENV_BIN / "flask")
        self.wrk_bin = shutil.which("wrk") or "/usr/bin/wrk"
        self.current_workers = 1
        self._connections = 2
        self._failures_lock = threading.Lock()
        self.current_pg_db = ""

    # ---- processes

    def spawn(self, cmd: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> subprocess.Popen[bytes]:
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                cmd,
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen[bytes], grace: float = 10) -> None:
        """Stop a process we started, then anything left in its process group (gunicorn's workers)."""
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers gracefully
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        # Leftover workers of a dead master, or a master that ignored SIGTERM.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
        if proc in self.procs:
            self.procs.remove(proc)

    def run_cli(self, cmd: list[str], env: dict[str, str], log: Path, timeout: float) -> tuple[int, str]:
        proc = self.spawn(cmd, env, log)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop(proc)
            raise HarnessError(f"{' '.join(cmd)} did not finish in {timeout:.0f} s (log: {log})") from None
        self.stop(proc)
        return rc, log.read_text(encoding="utf-8", errors="replace")

    def cleanup(self) -> None:
        for proc in list(self.procs):
            self.stop(proc, grace=5)
        for name in list(self.pg_databases):
            try:
                self.drop_pg_database(name)
            except Exception as exc:  # noqa: BLE001 - report and carry on cleaning
                print(f"warning: could not drop PostgreSQL database {name}: {exc}", file=sys.stderr)
        if self.args.keep:
            print(f"kept logs and request files in {self.tmp}", file=sys.stderr)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- databases

    def pg_admin(self) -> Any:
        import psycopg

        return psycopg.connect(self.args.pg_admin, autocommit=True, connect_timeout=10)

    def create_pg_database(self, tag: str) -> str:
        name = f"bench_{secrets.token_hex(4)}_{tag}"
        with self.pg_admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.pg_databases.append(name)
        admin = self.args.pg_admin.rsplit("/", 1)[0]
        return f"{admin}/{name}"

    def pg_backend_pids(self) -> list[int]:
        if not self.current_pg_db:
            return []
        with self.pg_admin() as conn:
            rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.current_pg_db,))
            return [int(r[0]) for r in rows]

    def drop_pg_database(self, name: str) -> None:
        with self.pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.pg_databases.remove(name)

    def new_database(self, backend: str, tag: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.tmp / (tag + '.db')}"
        if backend == "postgresql":
            return self.create_pg_database(tag)
        raise HarnessError(f"unknown backend {backend!r} (use sqlite or postgresql)")

    def app_env(self, url: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "RATELIMIT_"))}
        env.update(
            DATABASE_URL=url,
            APP_ENV="production",
            SECRET_KEY=self.secret_key,
            # One trusted proxy: each simulated learner gets its own X-Forwarded-For address, so the
            # per-IP flood limit (2000/min) does not turn a one-machine load test into 429s.
            TRUSTED_PROXIES="1",
            PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        )
        if self.args.limits == "off":
            env["RATELIMIT_ENABLED"] = "0"
        elif self.args.limits == "redis":
            env["RATELIMIT_STORAGE_URI"] = self.args.redis_uri
        return env  # "on": the shipped default storage (worker-memory://)

    def prepare_database(self, url: str, tag: str) -> None:
        env = self.app_env(url)
        log = self.tmp / f"{tag}-setup.log"
        rc, out = self.run_cli([self.flask, "--app", "wsgi", "db", "upgrade"], env, log, timeout=180)
        if rc != 0:
            raise HarnessError(f"flask db upgrade failed (exit {rc}):\n{out[-2000:]}")
        for attempt in range(1, self.args.import_retries + 2):
            rc, out = self.run_cli([self.flask, "--app", "wsgi", "bank", "import"], env, log, timeout=180)
            if rc == 0:
                break
            if attempt > self.args.import_retries:
                raise HarnessError(f"flask bank import failed (exit {rc}):\n{out[-2000:]}")
            print(
                f"  bank import failed (the bank may be mid-edit); retrying in {self.args.import_wait:.0f} s",
                flush=True,
            )
            time.sleep(self.args.import_wait)
        self.create_reference_tables(url)

    def create_reference_tables(self, url: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(sa_url(url))
        serial = "SERIAL" if engine.dialect.name == "postgresql" else "INTEGER"
        try:
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE bench_ref (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)"))
                conn.execute(
                    text(
                        f"CREATE TABLE bench_ref_log (id {serial} PRIMARY KEY, k INTEGER NOT NULL, "
                        "v INTEGER NOT NULL, at FLOAT NOT NULL)"
                    )
                )
                conn.execute(
                    text("INSERT INTO bench_ref (id, v) VALUES (:id, :v)"), [{"id": i, "v": i * 7} for i in range(100)]
                )
        finally:
            engine.dispose()

    def slot_steps(self, url: str, attempt_ids: set[str]) -> dict[tuple[str, int], int | None]:
        from sqlalchemy import create_engine, text

        engine = create_engine(sa_url(url))
        try:
            with engine.connect() as conn:
                rows = conn.execute(
                    text(
                        "SELECT aq.attempt_id, aq.position, q.step FROM attempt_questions aq "
                        "JOIN questions q ON q.id = aq.question_id"
                    )
                )
                return {(a, p): s for a, p, s in rows if a in attempt_ids}
        finally:
            engine.dispose()

    # ---- servers

    def start_server(self, name: str, workers: int, env: dict[str, str], ready_path: str, tag: str) -> Server:
        port = free_port()
        cmd = [self.gunicorn, "-k", "sync", "-w", str(workers), "-b", f"{HOST}:{port}", "--no-control-socket"]
        cmd += ["--chdir", str(BENCH), "bare_app:app"] if name == "bare" else ["wsgi:app"]
        log = self.tmp / f"{tag}-{name}-gunicorn.log"
        proc = self.spawn(cmd, env, log)
        server = Server(proc, port, log, name)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise HarnessError(
                    f"gunicorn ({name}) exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}"
                )
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _ = request(port, "GET", ready_path, timeout=2)
                if status == 200 and len(worker_pids(proc.pid)) >= workers:
                    return server
            time.sleep(0.2)
        raise HarnessError(f"gunicorn ({name}) was not ready after 60 s (log: {log})")

    # ---- load

    def wrk(self, server: Server, endpoint: str, prefix: Path, duration: float, tag: str) -> LoadResult:
        threads, connections = self.args.threads, self.connections
        cmd = [
            self.wrk_bin,
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{duration:g}s",
            "--timeout",
            "10s",
            "-s",
            str(REPLAY_LUA),
            f"http://{HOST}:{server.port}",
            "--",
            str(prefix),
        ]
        log = self.tmp / f"{tag}-wrk-{re.sub(r'[^a-z0-9]+', '-', endpoint.lower())}.log"
        # CPU accounting, to tell a slow app from a busy machine: our processes are the gunicorn
        # master and workers, the PostgreSQL backends of the bench database, and wrk itself.
        ours = [server.proc.pid, *worker_pids(server.proc.pid), *self.pg_backend_pids()]
        before = {pid: proc_ticks(pid) for pid in ours}
        sys_before, children_before = system_busy_ticks(), children_cpu_seconds()
        proc = self.spawn(cmd, dict(os.environ), log, cwd=BENCH)
        try:
            rc = proc.wait(timeout=duration + 60)
        except subprocess.TimeoutExpired:
            raise HarnessError(f"wrk did not finish within {duration + 60:.0f} s") from None
        finally:
            self.stop(proc)
        sys_after = system_busy_ticks()
        ours_ticks = 0
        for pid, ticks in before.items():
            after = proc_ticks(pid)
            if ticks is not None and after is not None:
                ours_ticks += after - ticks
        cpus = os.cpu_count() or 1
        wall = (sys_after[1] - sys_before[1]) / cpus / CLK_TCK  # seconds elapsed, from the tick counters
        busy_cpus = (sys_after[0] - sys_before[0]) / CLK_TCK / wall if wall else 0.0
        ours_cpus = (ours_ticks / CLK_TCK + children_cpu_seconds() - children_before) / wall if wall else 0.0
        out = log.read_text(encoding="utf-8", errors="replace")
        match = re.search(r"^BENCH_RESULT (\{.*\})$", out, re.M)
        if rc != 0 or not match:
            raise HarnessError(f"wrk failed (exit {rc}):\n{out[-3000:]}")
        r = json.loads(match.group(1))
        seconds = r["duration_us"] / 1e6
        return LoadResult(
            endpoint=endpoint,
            requests=r["requests"],
            seconds=round(seconds, 2),
            rps=r["requests"] / seconds if seconds else 0.0,
            p50_ms=r["p50_us"] / 1000,
            p90_ms=r["p90_us"] / 1000,
            p99_ms=r["p99_us"] / 1000,
            mean_ms=r["mean_us"] / 1000,
            max_ms=r["max_us"] / 1000,
            non2xx=r["non2xx"],
            codes=r["codes"],
            socket_errors={k[4:]: r[k] for k in ("err_connect", "err_read", "err_write", "err_timeout") if r[k]},
            wraps=r["wraps"],
            connections=connections,
            samples=list(r.get("samples", [])),
            cpu_ours=round(ours_cpus, 2),
            cpu_other=round(max(0.0, busy_cpus - ours_cpus), 2),
        )

    @property
    def connections(self) -> int:
        return self._connections

    def measure(self, server: Server, endpoint: str, warm: Path, prefix: Path, tag: str) -> LoadResult:
        """Wait for a quiet machine, warm up (unmeasured), then measure."""
        self.wait_quiet()
        self.wrk(server, endpoint + " (warm-up)", warm, self.args.warmup, tag)
        return self.wrk(server, endpoint, prefix, self.args.duration, tag)

    def wait_quiet(self) -> float:
        """Wait (at most --settle seconds) until the rest of the machine uses under half a CPU.

        Our servers are idle between loads, so what is busy now is someone else. Returns the last
        one-second reading, in CPUs."""
        deadline = time.monotonic() + self.args.settle
        while True:
            busy0, total0 = system_busy_ticks()
            time.sleep(1)
            busy1, total1 = system_busy_ticks()
            cpus = os.cpu_count() or 1
            busy = (busy1 - busy0) / max(1, total1 - total0) * cpus
            if busy < 0.5 or time.monotonic() >= deadline:
                return busy

    def write_lines(self, prefix: Path, per_thread: list[list[str]]) -> None:
        for i, lines in enumerate(per_thread, start=1):
            Path(f"{prefix}{i}.txt").write_text("".join(line + "\n" for line in lines), encoding="utf-8")

    # ---- attempts

    def create_attempts(self, server: Server, quiz: str, count: int, failures: dict[str, int]) -> list[Attempt]:
        def count_failure(key: str) -> None:
            with self._failures_lock:
                failures[key] = failures.get(key, 0) + 1

        def one(i: int) -> Attempt | None:
            ip = next_ip()
            body = json.dumps({"quiz_id": quiz, "nickname": f"压测{i % 100000}"})
            try:
                status, data = request(server.port, "POST", "/api/v1/attempts", body, {"X-Forwarded-For": ip})
            except (OSError, http.client.HTTPException) as exc:
                count_failure(type(exc).__name__)
                return None
            if status != 201:
                count_failure(str(status))
                return None
            d = json.loads(data)
            return Attempt(d["attempt_id"], d["token"], int(d["question_count"]), ip)

        pool = ThreadPoolExecutor(max_workers=max(2, 2 * self.current_workers))
        try:
            made = [a for a in pool.map(one, range(count)) if a is not None]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # on Ctrl-C: drop the queue, finish in-flight only
        if len(made) < count * 0.9:
            raise HarnessError(f"only {len(made)} of {count} attempts could be created: {failures}")
        return made

    # ---- one backend x worker count

    def run_one(self, backend: str, workers: int) -> RunResult:
        args = self.args
        self.current_workers = workers
        self._connections = args.connections or 2 * workers
        tag = f"{backend[:2]}w{workers}"
        print(
            f"\n== {backend}, {workers} sync workers, {self._connections} connections, {args.duration:g} s per load",
            flush=True,
        )
        url = self.new_database(backend, f"w{workers}")
        self.current_pg_db = url.rsplit("/", 1)[1] if backend == "postgresql" else ""
        print("  migrating and importing the question bank", flush=True)
        self.prepare_database(url, tag)
        env = self.app_env(url)
        T = args.threads

        # 1. The bare app: the yardstick.
        bare_env = dict(env, BENCH_DATABASE_URL=url)
        bare = self.start_server("bare", workers, bare_env, "/", tag)
        bare_prefix = self.tmp / f"{tag}-bare-"
        self.write_lines(bare_prefix, [["GET\t/\t\t\t"] for _ in range(T)])
        rw_prefix = self.tmp / f"{tag}-rw-"
        self.write_lines(
            rw_prefix, [[f"POST\t/rw\t\t\t{json.dumps({'k': k})}" for k in range(t, 1000, T)] for t in range(T)]
        )
        print("  bare route", flush=True)
        bare_load = self.measure(bare, "bare GET /", bare_prefix, bare_prefix, tag)
        print("  bare one-read-one-write SQLAlchemy route", flush=True)
        rw_load = self.measure(bare, "bare 1-read-1-write", rw_prefix, rw_prefix, tag)
        self.wait_quiet()
        bare_single = self.single_bare(bare)
        bare_rss = [m for m in (rss_mb(p) for p in worker_pids(bare.proc.pid)) if m is not None]
        self.stop(bare.proc)

        # 2. The app.
        app = self.start_server("app", workers, env, "/api/v1/quizzes", tag)
        quiz, qcount = self.pick_quiz(app)
        result = RunResult(backend, workers, quiz, qcount)
        result.bare_worker_rss_mb = [round(m, 1) for m in bare_rss]

        print(f"  creating attempts of {quiz} ({qcount} questions)", flush=True)
        fetch_pool = self.create_attempts(app, quiz, args.fetch_attempts, result.attempt_create_failures)
        steps = self.slot_steps(url, {a.id for a in fetch_pool})
        fetch_lines: list[list[str]] = [[] for _ in range(T)]
        for i, a in enumerate(fetch_pool):
            for n in range(1, a.question_count + 1):
                if (steps.get((a.id, n)) or 1) <= 1:  # a later scenario step stays locked until answered
                    fetch_lines[i % T].append(f"GET\t/api/v1/attempts/{a.id}/questions/{n}\t{a.token}\t{a.ip}\t")
        for lines in fetch_lines:
            random.shuffle(lines)
        fetch_prefix = self.tmp / f"{tag}-fetch-"
        self.write_lines(fetch_prefix, fetch_lines)
        print("  question fetch", flush=True)
        fetch_load = self.measure(app, "question fetch", fetch_prefix, fetch_prefix, tag)

        # Single user, on a warm and otherwise idle server: fetch then answer, question by question.
        single_pool = self.create_attempts(
            app, quiz, math.ceil(SINGLE_USER_REQUESTS / qcount) + 1, result.attempt_create_failures
        )
        self.wait_quiet()
        result.single = [bare_single, *self.single_app(app, single_pool)]

        # Answers: enough untouched slots for the warm-up plus 1.6x the fetch rate (answers cost more).
        per_second = max(fetch_load.rps, 100.0) * 1.6
        warm_count = math.ceil(per_second * args.warmup / qcount) + 4 * self._connections
        load_count = math.ceil(per_second * args.duration / qcount) + 4 * self._connections
        answer_pool = self.create_attempts(app, quiz, warm_count + load_count, result.attempt_create_failures)
        result.attempts_created = len(fetch_pool) + len(single_pool) + len(answer_pool)
        warm_prefix, answer_prefix = self.tmp / f"{tag}-answer-warm-", self.tmp / f"{tag}-answer-"
        self.write_lines(warm_prefix, self.answer_lines(answer_pool[:warm_count], T))
        self.write_lines(answer_prefix, self.answer_lines(answer_pool[warm_count:], T))
        print(
            f"  answer submission ({sum(a.question_count for a in answer_pool[warm_count:])} fresh slots)", flush=True
        )
        answer_load = self.measure(app, "answer submission", warm_prefix, answer_prefix, tag)

        result.app_worker_rss_mb = [
            round(m, 1) for m in (rss_mb(p) for p in worker_pids(app.proc.pid)) if m is not None
        ]
        self.stop(app.proc)

        for load in (bare_load, rw_load, fetch_load, answer_load):
            if bare_load.rps:
                load.ratio_rps = load.rps / bare_load.rps
            if bare_load.p50_ms:
                load.ratio_p50 = load.p50_ms / bare_load.p50_ms
            if bare_load.p99_ms:
                load.ratio_p99 = load.p99_ms / bare_load.p99_ms
        result.loads = [bare_load, rw_load, fetch_load, answer_load]
        for server in (bare, app):
            found, samples = scan_log(server.log)
            result.log_findings[server.name] = found
            result.log_samples[server.name] = samples
        if backend == "postgresql":
            self.drop_pg_database(self.current_pg_db)
            self.current_pg_db = ""
        return result

    def answer_lines(self, attempts: list[Attempt], threads: int) -> list[list[str]]:
        """Each thread owns its attempts; question n of every attempt comes before question n+1 of any,
        so a scenario's next step is only answered long after the step before it."""
        per_thread: list[list[str]] = [[] for _ in range(threads)]
        for t in range(threads):
            mine = attempts[t::threads]
            for n in range(1, max((a.question_count for a in mine), default=0) + 1):
                for a in mine:
                    if n <= a.question_count:
                        per_thread[t].append(
                            f"POST\t/api/v1/attempts/{a.id}/questions/{n}/answer\t{a.token}\t{a.ip}\t{ANSWER_BODY}"
                        )
        return per_thread

    def pick_quiz(self, server: Server) -> tuple[str, int]:
        status, data = request(server.port, "GET", "/api/v1/quizzes")
        if status != 200:
            raise HarnessError(f"GET /api/v1/quizzes answered {status}")
        quizzes = {q["id"]: int(q["question_count"]) for q in json.loads(data)["quizzes"]}
        if not quizzes:
            raise HarnessError("the imported bank has no active quiz")
        if self.args.quiz:
            if self.args.quiz not in quizzes:
                raise HarnessError(f"quiz {self.args.quiz!r} not found; there are {sorted(quizzes)}")
            return self.args.quiz, quizzes[self.args.quiz]
        if "staff-training" in quizzes:
            return "staff-training", quizzes["staff-training"]
        best = max(quizzes, key=lambda q: quizzes[q])
        return best, quizzes[best]

    # ---- single user

    def single_bare(self, server: Server) -> SingleUser:
        conn = http.client.HTTPConnection(HOST, server.port, timeout=30)
        times, bad = [], 0
        try:
            for _ in range(SINGLE_USER_REQUESTS):
                t0 = time.perf_counter()
                status, _ = request(server.port, "GET", "/", conn=conn)
                times.append((time.perf_counter() - t0) * 1000)
                bad += not 200 <= status < 300
        finally:
            conn.close()
        return single_result("bare GET /", times, bad)

    def single_app(self, server: Server, attempts: list[Attempt]) -> list[SingleUser]:
        # http.client reuses the connection object; gunicorn's sync workers close after each
        # response, so it reconnects each time, like any client of a sync worker would.
        conn = http.client.HTTPConnection(HOST, server.port, timeout=30)
        fetch_t: list[float] = []
        answer_t: list[float] = []
        bad_fetch = bad_answer = 0
        try:
            for a in attempts:
                headers = {"Authorization": f"Bearer {a.token}", "X-Forwarded-For": a.ip}
                for n in range(1, a.question_count + 1):
                    if len(answer_t) >= SINGLE_USER_REQUESTS:
                        break
                    path = f"/api/v1/attempts/{a.id}/questions/{n}"
                    t0 = time.perf_counter()
                    status, _ = request(server.port, "GET", path, headers=headers, conn=conn)
                    fetch_t.append((time.perf_counter() - t0) * 1000)
                    bad_fetch += not 200 <= status < 300
                    t0 = time.perf_counter()
                    status, _ = request(server.port, "POST", path + "/answer", ANSWER_BODY, headers, conn=conn)
                    answer_t.append((time.perf_counter() - t0) * 1000)
                    bad_answer += not 200 <= status < 300
        finally:
            conn.close()
        return [
            single_result("question fetch", fetch_t, bad_fetch),
            single_result("answer submission", answer_t, bad_answer),
        ]


def single_result(endpoint: str, times: list[float], bad: int) -> SingleUser:
    if not times:
        raise HarnessError(f"no single-user timings for {endpoint}")
    return SingleUser(endpoint, len(times), percentile(times, 50), percentile(times, 99), statistics.fmean(times), bad)


def scan_log(log: Path) -> tuple[dict[str, int], list[str]]:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}, []
    found = {name: len(rx.findall(text)) for name, rx in LOG_PATTERNS.items()}
    found = {k: v for k, v in found.items() if v}
    samples: list[str] = []
    for line in text.splitlines():
        if re.search(r"Error|error|locked|TIMEOUT|Traceback", line) and line.strip() not in samples:
            samples.append(line.strip())
        if len(samples) >= 8:
            break
    return found, samples


# --------------------------------------------------------------------------------------------
# Report


def decode_sample(sample: str) -> str:
    """'409 {"error":{"code":"already_answered",...}}' -> '409 already_answered: <message>'."""
    status, _, body = sample.partition(" ")
    with contextlib.suppress(ValueError, AttributeError, KeyError, TypeError):
        error = json.loads(body)["error"]
        return f"{status} {error['code']}: {error['message']}"
    return sample


def fmt_ratio(x: float | None) -> str:
    return "-" if x is None else f"{x * 100:.1f}%"


def print_report(results: list[RunResult], args: argparse.Namespace) -> list[dict[str, Any]]:
    print("\n" + "=" * 104)
    limits = {
        "on": "rate limits on (worker-memory://, as shipped)",
        "off": "rate limits OFF",
        "redis": f"rate limits on ({args.redis_uri})",
    }
    print(
        f"Results ({args.duration:g} s per load, wrk -t{args.threads}, sync workers, {limits[args.limits]}; "
        f"CPUs: {os.cpu_count()})"
    )
    header = (
        f"{'backend':<11}{'workers':>7}  {'endpoint':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'vs bare':>9}{'p50 x':>8}{'p99 x':>8}{'non-2xx':>9}{'CPU us':>8}{'other':>7}  notes"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        for load in r.loads:
            notes = []
            if load.cpu_other > 0.25 * (os.cpu_count() or 1):
                notes.append("busy machine")
            if load.codes:
                notes.append(",".join(f"{k}:{v}" for k, v in sorted(load.codes.items())))
            if load.socket_errors:
                notes.append("sock " + ",".join(f"{k}:{v}" for k, v in load.socket_errors.items()))
            if load.wraps and load.endpoint == "answer submission":
                notes.append(f"slot pool ran out x{load.wraps}")
            p50x = "-" if load.ratio_p50 is None else f"{load.ratio_p50:.1f}"
            p99x = "-" if load.ratio_p99 is None else f"{load.ratio_p99:.1f}"
            print(
                f"{r.backend:<11}{r.workers:>7}  {load.endpoint:<22}{load.rps:>9.0f}{load.p50_ms:>9.2f}"
                f"{load.p99_ms:>9.2f}{fmt_ratio(load.ratio_rps):>9}{p50x:>8}{p99x:>8}{load.non2xx:>9}"
                f"{load.cpu_ours:>8.2f}{load.cpu_other:>7.2f}  "
                f"{' '.join(notes)}"
            )
            for sample in load.samples[:3]:
                print(f"{'':<22}| {' '.join(decode_sample(sample).split())[:140]}")
        singles = "; ".join(
            f"{s.endpoint} p50 {s.p50_ms:.2f} / p99 {s.p99_ms:.2f} ms" + (f" ({s.non2xx} non-2xx)" if s.non2xx else "")
            for s in r.single
        )
        print(f"{'':<20}single user: {singles}")
        rss = r.app_worker_rss_mb
        print(
            f"{'':<20}worker RSS MB: app {', '.join(f'{m:.1f}' for m in rss) or '-'}"
            f"  (bare {', '.join(f'{m:.1f}' for m in r.bare_worker_rss_mb) or '-'})"
        )
        findings = {k: v for k, v in r.log_findings.items() if v}
        if findings:
            print(f"{'':<20}server log: {findings}")
            for line in r.log_samples.get("app", [])[:4]:
                print(f"{'':<22}| {line[:150]}")
        print(
            f"{'':<20}quiz {r.quiz} ({r.question_count} questions), {r.attempts_created} attempts created"
            + (f", creation failures {r.attempt_create_failures}" if r.attempt_create_failures else "")
        )
        print("-" * len(header))

    print(
        "req/s, p50, p99: under load from wrk (closed loop, `connections` in flight); vs bare: req/s as a share of\n"
        "bare GET / in the same backend/workers block; p50 x, p99 x: latency as a multiple of bare GET /'s;\n"
        "CPU us: CPUs used meanwhile by gunicorn, its PostgreSQL backends and wrk; other: CPUs used by anything\n"
        "else on the machine (noise: figures from a busy machine understate the app and the bare route alike)."
    )
    print(f"\nTargets (on {TARGET_WORKERS} sync workers):")
    verdicts: list[dict[str, Any]] = []
    target_runs = [r for r in results if r.workers == TARGET_WORKERS]
    if not target_runs:
        print(f"  n/a: no run with {TARGET_WORKERS} workers")
    for r in target_runs:
        answer, fetch = r.load("answer submission"), r.load("question fetch")
        single = r.single_user("answer submission")
        checks = [
            (
                "answer submission throughput vs bare",
                answer.ratio_rps if answer else None,
                TARGET_ANSWER_RATIO,
                ">=",
                fmt_ratio,
            ),
            (
                "question fetch throughput vs bare",
                fetch.ratio_rps if fetch else None,
                TARGET_FETCH_RATIO,
                ">=",
                fmt_ratio,
            ),
            (
                "single-user answer p50 (ms)",
                single.p50_ms if single else None,
                TARGET_SINGLE_ANSWER_P50_MS,
                "<=",
                lambda x: f"{x:.2f}",
            ),
            (
                "worker memory, largest worker (MB)",
                max(r.app_worker_rss_mb) if r.app_worker_rss_mb else None,
                TARGET_WORKER_RSS_MB,
                "<=",
                lambda x: f"{x:.1f}",
            ),
        ]
        for name, value, target, op, fmt in checks:
            if value is None:
                verdict = "n/a"
            else:
                ok = value >= target if op == ">=" else value <= target
                verdict = "PASS" if ok else "MISS"
            shown = "-" if value is None else fmt(value)
            print(f"  {verdict:<4}  {r.backend:<11} {name:<38} {shown:>8}  (target {op} {fmt(target)})")
            verdicts.append(
                {
                    "backend": r.backend,
                    "workers": r.workers,
                    "target": name,
                    "value": value,
                    "op": op,
                    "threshold": target,
                    "verdict": verdict,
                }
            )
    return verdicts


# --------------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark the quiz API against a bare Flask route (see bench/README.md).")
    p.add_argument("--quick", action="store_true", help="2 workers, SQLite only, 5 s loads")
    p.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    p.add_argument("--workers", default="2,4", help="comma-separated gunicorn worker counts")
    p.add_argument("--duration", type=float, default=10, help="seconds per measured load (default 10)")
    p.add_argument("--warmup", type=float, default=2, help="seconds of unmeasured load before each measurement")
    p.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    p.add_argument("--connections", type=int, default=0, help="wrk connections (default 2 x workers)")
    p.add_argument("--settle", type=float, default=20, help="max seconds to wait for a quiet machine before each load")
    p.add_argument(
        "--limits",
        choices=["on", "off", "redis"],
        default="on",
        help="rate limits as shipped (worker-memory://, default), off (RATELIMIT_ENABLED=0), or redis storage",
    )
    p.add_argument("--redis-uri", default="redis://127.0.0.1:6379/15", help="storage for --limits redis")
    p.add_argument("--fetch-attempts", type=int, default=300, help="attempts the question fetch rotates over")
    p.add_argument("--quiz", default="", help="quiz id (default staff-training, else the longest quiz)")
    p.add_argument("--pg-admin", default=PG_ADMIN_DEFAULT, help="admin URL used to create/drop bench databases")
    p.add_argument("--json", dest="json_out", default="", help="also write the results to this JSON file")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, request files)")
    p.add_argument("--import-retries", type=int, default=3, help="retries of `flask bank import` (bank mid-edit)")
    p.add_argument("--import-wait", type=float, default=60, help="seconds between bank import retries")
    args = p.parse_args(argv)
    if args.quick:
        args.backends, args.workers, args.duration = "sqlite", "2", 5
    args.backend_list = [b.strip() for b in args.backends.split(",") if b.strip()]
    args.worker_list = [int(w) for w in args.workers.split(",") if w.strip()]
    if not args.backend_list or not args.worker_list or min(args.worker_list) < 1:
        p.error("need at least one backend and one worker count >= 1")
    for b in args.backend_list:
        if b not in ("sqlite", "postgresql"):
            p.error(f"unknown backend {b!r}")
    if not 1 <= args.duration <= 600 or not 0.5 <= args.warmup <= 60:
        p.error("--duration must be 1..600 s and --warmup 0.5..60 s")
    if urlsplit(args.pg_admin).hostname != HOST:
        p.error(f"--pg-admin must point at {HOST}")
    if urlsplit(args.redis_uri).hostname != HOST:
        p.error(f"--redis-uri must point at {HOST}")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        import sqlalchemy  # noqa: F401
    except ImportError:
        print("run with the project's virtualenv: .venv/bin/python bench/run.py", file=sys.stderr)
        return 2
    if not (VENV_BIN / "gunicorn").exists() or not (shutil.which("wrk") or Path("/usr/bin/wrk").exists()):
        print("needs .venv/bin/gunicorn and wrk", file=sys.stderr)
        return 2

    def on_term(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)  # also when started in the background with SIGINT ignored
    harness = Harness(args)
    results: list[RunResult] = []
    started = time.monotonic()
    try:
        for backend in args.backend_list:
            for workers in args.worker_list:
                results.append(harness.run_one(backend, workers))
        verdicts = print_report(results, args)
        print(f"\n({time.monotonic() - started:.0f} s in all)")
        if args.json_out:
            out = {
                "settings": {
                    "duration_s": args.duration,
                    "warmup_s": args.warmup,
                    "wrk_threads": args.threads,
                    "limits": args.limits,
                    "connections": args.connections or "2 x workers",
                    "cpus": os.cpu_count(),
                },
                "runs": [asdict(r) for r in results],
                "targets": verdicts,
            }
            Path(args.json_out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json_out).write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
            print(f"wrote {args.json_out}")
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted; cleaning up", file=sys.stderr)
        return 130
    except HarnessError as exc:
        print(f"\nbenchmark harness failed: {exc}", file=sys.stderr)
        return 1
    finally:
        harness.cleanup()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
