"""Benchmark of the leaderboards (issue #5), next to the bare route of bench/run.py.

    .venv/bin/python bench/boards.py [--quick] [--backends sqlite,postgresql] [--duration 8] [--json out.json]

Per backend: a throwaway database migrated and filled with the bank by the app's CLI (bench/run.py's
Harness), then 100 000 finished attempts over 1 000 groups seeded with bulk inserts (COPY on
PostgreSQL), with the board_entries and group_stats that app.groups.counting would have written.
The three board routes and bare GET / are served by gunicorn (2 sync workers) and driven with wrk;
a naive GROUP BY over attempts is timed in SQL for contrast. Then 1 000 000 attempts are seeded
into a second database and each board function (app.leaderboard.boards) is timed in-process.
Figures and PASS/MISS lines are printed; the exit status is 0 unless the harness failed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import run
from run import HarnessError, percentile

QUIZ, QUESTIONS = "elder-listen", 8
WORKERS = 2
ORGS_PER_CAMPAIGN = 20  # a district's schools: every campaign has 20 x 50 = 1 000 groups
TARGET_RATIO, TARGET_P99_MS, TARGET_QUERY_MS = 0.20, 50.0, 10.0
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"  # app.groups.codes
NOW = datetime.now(UTC)
BASE = NOW - timedelta(days=30)
NAIVE_ORG = """SELECT g.id, g.name, g.size, COUNT(DISTINCT a.member_key), AVG(a.score), MAX(a.finished_at)
FROM groups g LEFT JOIN attempts a ON a.group_id = g.id AND a.finished_at IS NOT NULL
WHERE g.organisation_id = :org GROUP BY g.id, g.name, g.size"""
NAIVE_CAMPAIGN = """SELECT o.id, o.name, COUNT(DISTINCT a.member_key), AVG(a.score), MAX(a.finished_at)
FROM organisations o JOIN groups g ON g.organisation_id = o.id
LEFT JOIN attempts a ON a.group_id = g.id AND a.finished_at IS NOT NULL
WHERE o.campaign_id = :campaign GROUP BY o.id, o.name"""


def join_code(n: int) -> str:
    chars = []
    for _ in range(6):
        n, r = divmod(n, len(ALPHABET))
        chars.append(ALPHABET[r])
    return "".join(chars)


def make_app(url: str) -> Any:
    if str(run.ROOT) not in sys.path:
        sys.path.insert(0, str(run.ROOT))
    from app import create_app

    # BOARD_CACHE_SECONDS 0: the in-process timings measure the board queries themselves, never a cached
    # board (the served figures run the app as configured, with its short per-worker board cache).
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "APP_ENV": "testing",
                       "BOARD_CACHE_SECONDS": 0})


def chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert_rows(engine: Any, name: str, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk insert: COPY on PostgreSQL, Core executemany in chunks on SQLite."""
    from app.extensions import db

    it = iter(rows)
    first = next(it, None)
    if first is None:
        return 0
    if engine.dialect.name == "postgresql":
        cols, n = list(first), 0
        quoted = ", ".join(f'"{c}"' for c in cols)
        raw = engine.raw_connection()
        try:
            with raw.driver_connection.cursor() as cur, cur.copy(f'COPY "{name}" ({quoted}) FROM STDIN') as copy:
                for row in itertools.chain([first], it):
                    copy.write_row([row[c] for c in cols])
                    n += 1
            raw.commit()
        finally:
            raw.close()
        return n
    n = 0
    with engine.begin() as conn:
        for batch in chunks(itertools.chain([first], it), 20_000):
            conn.execute(db.metadata.tables[name].insert(), batch)
            n += len(batch)
    return n


def seed(app: Any, total: int, orgs: int, per_org: int, rng: random.Random) -> dict[str, Any]:
    """Campaigns of 20 organisations, orgs x per_org groups (sizes 20-60; every 4th group has an open assignment, the
    others count free play, scope 0), `total` finished attempts of elder-listen spread by group size;
    each person's first finished attempt counts (rule `first`), as app.groups.counting decides."""
    from app.extensions import db

    t0 = time.monotonic()
    campaigns = -(-orgs // ORGS_PER_CAMPAIGN)
    groups = [(o * per_org + k + 1, o + 1, rng.randint(20, 60)) for o in range(orgs) for k in range(per_org)]
    scope = {gid: (org if gid % 4 == 0 else 0) for gid, org, _ in groups}
    counts = Counter(rng.choices([g[0] for g in groups], weights=[g[2] for g in groups], k=total))
    people = {gid: min(counts[gid], max(1, round(size * rng.uniform(0.5, 1.1)))) for gid, _, size in groups}
    first_pid, pid = {}, 1
    for gid, _, _ in groups:
        first_pid[gid], pid = pid, pid + people[gid]
    entries: list[dict[str, Any]] = []
    stats: list[dict[str, Any]] = []

    def attempts() -> Iterator[dict[str, Any]]:
        serial = 0
        for gid, _, _ in groups:
            n, p = counts[gid], people[gid]
            if not n:
                continue
            who = list(range(p)) + [rng.randrange(p) for _ in range(n - p)]
            rng.shuffle(who)
            times = sorted(rng.random() * 29.9 * 86400 for _ in range(n))
            seen: set[int] = set()
            permille_sum, last = 0, None
            for person, offset in zip(who, times, strict=True):
                serial += 1
                finished = BASE + timedelta(seconds=offset)
                score, secs = rng.randint(2, QUESTIONS), rng.randint(60, 600)
                key, nick, counted = f"p:{first_pid[gid] + person}", f"学员{person + 1}", person not in seen
                aid = f"{serial:032x}"
                yield dict(id=aid, quiz_id=QUIZ, participant_id=first_pid[gid] + person, nickname=nick,
                           join_code=join_code(gid), token_hash=f"{serial:064x}", question_count=QUESTIONS,
                           answered=QUESTIONS, created_at=finished - timedelta(seconds=secs), finished_at=finished,
                           score=score, group_id=gid, scope=scope[gid], member_key=key, roster_entry_id=None,
                           family_link_id=None, counted=counted)
                if counted:
                    seen.add(person)
                    permille = score * 1000 // QUESTIONS
                    permille_sum, last = permille_sum + permille, finished
                    entries.append(dict(id=len(entries) + 1, group_id=gid, scope=scope[gid], member_key=key,
                                        nickname=nick, roster_entry_id=None, counted=True, attempt_id=aid,
                                        score=score, total=QUESTIONS, permille=permille, seconds=secs,
                                        finished_at=finished, tries_day="", tries_today=0))
            stats.append(dict(group_id=gid, scope=scope[gid], participants=len(seen), permille_sum=permille_sum,
                              last_counted_at=last))

    with app.app_context():
        engine = db.engine
        insert_rows(engine, "campaigns", (dict(id=c + 1, name=f"压测活动{c + 1}", created_at=BASE)
                                          for c in range(campaigns)))
        insert_rows(engine, "organisations", (dict(id=o + 1, name=f"压测学校{o + 1}", kind="school",
                                                   campaign_id=o // ORGS_PER_CAMPAIGN + 1, created_at=BASE)
                                              for o in range(orgs)))
        insert_rows(engine, "groups", (dict(id=gid, organisation_id=org, name=f"{gid}班", size=size,
                                            join_code=join_code(gid), quiz_id=QUIZ, teacher_id=None,
                                            board_mode="full", board_top_n=10, roster_required=False, families=0,
                                            pledges=0, created_at=BASE) for gid, org, size in groups))
        insert_rows(engine, "assignments", (dict(id=o + 1, organisation_id=o + 1, quiz_id=QUIZ, title="压测任务",
                                                 opens_at=BASE, closes_at=NOW + timedelta(days=30), rule="first",
                                                 tries_per_day=1, created_at=BASE) for o in range(orgs)))
        insert_rows(engine, "assignment_groups",
                    (dict(assignment_id=s, group_id=gid) for gid, s in scope.items() if s))
        insert_rows(engine, "participants", (dict(id=i, key_hash=f"{i:064x}", created_at=BASE) for i in range(1, pid)))
        n = insert_rows(engine, "attempts", attempts())
        insert_rows(engine, "board_entries", entries)
        insert_rows(engine, "group_stats", stats)
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")  # what autovacuum would have done by now
        engine.dispose()
    return dict(attempts=n, groups=len(groups), organisations=orgs, campaigns=campaigns, people=pid - 1, board_entries=len(entries),
                group_stats=len(stats), seconds=round(time.monotonic() - t0, 1),
                codes=[join_code(g[0]) for g in groups], sample=rng.sample([g[0] for g in groups], 8))


def verify(app: Any, group_ids: list[int]) -> list[str]:
    """group_stats and board_entries against a GROUP BY over the seeded attempts."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.groups.models import BoardEntry, GroupStats
    from app.quiz.models import Attempt

    out = []
    with app.app_context():
        for gid in group_ids:
            truth = db.session.execute(
                select(Attempt.scope, func.count(), func.sum(Attempt.score * 1000 // Attempt.question_count),
                       func.max(Attempt.finished_at))
                .where(Attempt.group_id == gid, Attempt.counted.is_(True)).group_by(Attempt.scope)).all()
            kept = db.session.execute(select(GroupStats.scope, GroupStats.participants, GroupStats.permille_sum,
                                             GroupStats.last_counted_at).where(GroupStats.group_id == gid)).all()
            rows = db.session.scalar(select(func.count()).where(BoardEntry.group_id == gid, BoardEntry.counted))
            same = [tuple(t) for t in truth] == [tuple(k) for k in kept] and rows == sum(t[1] for t in truth)
            out.append(f"group {gid}: {'OK' if same else 'MISMATCH'} {[tuple(t)[:3] for t in truth]}")
        db.session.remove()
    return out


def timings(fn: Callable[[], Any], reps: int) -> dict[str, float]:
    for _ in range(min(20, max(1, reps // 10))):
        fn()
    times, cpu = [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.thread_time()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    return {"p50_ms": percentile(times, 50), "p99_ms": percentile(times, 99), "cpu_p50_ms": percentile(cpu, 50),
            "reps": reps}


def time_queries(app: Any, reps: int, rng: random.Random, naive: bool, explain: bool) -> tuple[dict, list[str]]:
    """Each board function as the routes call it (after app.database.autocommit), on random targets."""
    from sqlalchemy import event, select, text

    from app.database import autocommit
    from app.extensions import db
    from app.groups.models import Group, Organisation
    from app.leaderboard import boards

    with app.app_context():
        autocommit(db.session)
        pairs = [tuple(r) for r in db.session.execute(select(Group, Organisation).join(Organisation)).all()]
        orgs = sorted({o.id for _, o in pairs})
        camps = sorted({o.campaign_id for _, o in pairs})
        cases: dict[str, tuple[Callable[[], Any], int]] = {
            "class board": (lambda: boards.class_board_by_code(rng.choice(pairs)[0].join_code), reps),
            "organisation board": (lambda: boards.organisation_board(rng.choice(orgs)), reps),
            "campaign board": (lambda: boards.campaign_board(rng.choice(camps)), max(50, reps // 4)),
        }
        if naive:
            org_sql, camp_sql = text(NAIVE_ORG), text(NAIVE_CAMPAIGN)
            cases["naive org GROUP BY"] = (lambda: db.session.execute(org_sql, {"org": rng.choice(orgs)}).all(), 50)
            cases["naive campaign GROUP BY"] = (lambda: db.session.execute(camp_sql, {"campaign": 1}).all(), 10)
        result = {name: timings(fn, n) for name, (fn, n) in cases.items()}
        plan: list[str] = []
        if explain:
            seen: list[tuple[str, Any]] = []

            def hook(*a: Any) -> None:
                seen.append((a[2], a[3]))

            event.listen(db.engine, "before_cursor_execute", hook)
            boards.class_board_by_code(pairs[len(pairs) // 2][0].join_code)
            event.remove(db.engine, "before_cursor_execute", hook)
            statement, params = seen[-1] if len(seen) == 1 else seen[0]
            sqlite = db.engine.dialect.name == "sqlite"
            rows = db.session.connection().exec_driver_sql(
                ("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, params).all()
            plan = [" ".join(statement.split())] + [str(r[-1] if sqlite else r[0]) for r in rows]
        db.session.remove()
        db.engine.dispose()
    return result, plan


def served(h: run.Harness, url: str, tag: str, info: dict[str, Any], rng: random.Random) -> list[run.LoadResult]:
    env = h.app_env(url)
    h.current_workers, h._connections = WORKERS, 2 * WORKERS

    def lines(paths: list[str]) -> Path:
        prefix = h.tmp / f"{tag}-{paths[0].split('/')[3] if len(paths[0]) > 1 else 'bare'}-"
        h.write_lines(prefix, [[f"GET\t{p}\t\t{run.next_ip()}\t" for p in paths]])
        return prefix

    bare = h.start_server("bare", WORKERS, env, "/", tag)
    print("  bare GET /", flush=True)
    prefix = lines(["/"])
    loads = [h.measure(bare, "bare GET /", prefix, prefix, tag)]
    h.stop(bare.proc)
    app = h.start_server("app", WORKERS, env, "/api/v1/quizzes", tag)
    targets = {
        "class board": [f"/api/v1/groups/{c}/leaderboard" for c in rng.choices(info["codes"], k=20_000)],
        "organisation board": [f"/api/v1/organisations/{rng.randint(1, info['organisations'])}/leaderboard"
                               for _ in range(20_000)],
        "campaign board": [f"/api/v1/campaigns/{rng.randint(1, info['campaigns'])}/leaderboard"
                           for _ in range(20_000)],
    }
    for name, paths in targets.items():
        print(f"  {name}", flush=True)
        prefix = lines(paths)
        loads.append(h.measure(app, name, prefix, prefix, tag))
    h.stop(app.proc)
    # The same loads with the per-worker board cache off: what each request costs when it runs its query
    # (reported beside the configured app, not judged: the targets are for the app as it ships).
    app = h.start_server("app", WORKERS, {**env, "BOARD_CACHE_SECONDS": "0"}, "/api/v1/quizzes", tag)
    for name, paths in targets.items():
        print(f"  {name}, no cache", flush=True)
        prefix = lines(paths)
        loads.append(h.measure(app, f"{name}, no cache", prefix, prefix, tag))
    h.stop(app.proc)
    for load in loads:
        load.ratio_rps = load.rps / loads[0].rps if loads[0].rps else None
        load.ratio_p99 = load.p99_ms / loads[0].p99_ms if loads[0].p99_ms else None
    found, samples = run.scan_log(app.log)
    if found:
        print(f"  server log: {found}", *[f"    | {s[:150]}" for s in samples[:4]], sep="\n")
    return loads


def show_queries(label: str, figures: dict[str, dict[str, float]]) -> None:
    print(f"  {label} (in-process, ms):")
    for name, f in figures.items():
        print(f"    {name:<26} p50 {f['p50_ms']:8.2f}  p99 {f['p99_ms']:8.2f}   this process's CPU p50 "
              f"{f['cpu_p50_ms']:7.2f}  ({f['reps']} calls)")


def one_backend(h: run.Harness, args: argparse.Namespace, backend: str, rng: random.Random) -> dict[str, Any]:
    out: dict[str, Any] = {"backend": backend}
    for size, (total, orgs, per_org) in (("serve", args.serve_shape), ("big", args.big_shape)):
        url = h.new_database(backend, size)
        h.current_pg_db = url.rsplit("/", 1)[1] if backend == "postgresql" else ""
        tag = f"{backend[:2]}-{size}"
        print(f"\n== {backend}: {total:,} attempts over {orgs * per_org:,} groups ({orgs} organisations in "
              f"{-(-orgs // ORGS_PER_CAMPAIGN)} campaign(s))", flush=True)
        print("  migrating and importing the bank (flask db upgrade, bank import)", flush=True)
        h.prepare_database(url, tag)
        app = make_app(url)
        info = seed(app, total, orgs, per_org, rng)
        print(f"  seeded in {info['seconds']} s: {info['attempts']:,} finished attempts, {info['people']:,} "
              f"participants, {info['board_entries']:,} board entries, {info['group_stats']:,} group_stats rows "
              "(attempt_questions and answers not seeded: no board reads them)")
        checks = verify(app, info["sample"])
        print("  summaries vs GROUP BY over attempts:", *[f"    {c}" for c in checks], sep="\n")
        out[f"{size}_seed"] = {k: v for k, v in info.items() if k not in ("codes", "sample")} | {"checks": checks}
        if size == "serve":
            loads = served(h, url, tag, info, rng)
            out["loads"] = [asdict(x) for x in loads]
            print(f"  {'endpoint':<30}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'vs bare':>9}{'non-2xx':>9}"
                  f"{'CPU us':>8}{'other':>7}{'req/CPU-s':>11}{'vs bare':>9}")
            per_cpu = [x.rps / x.cpu_ours if x.cpu_ours else 0.0 for x in loads]
            for x, pc in zip(loads, per_cpu, strict=True):
                print(f"  {x.endpoint:<30}{x.rps:>8.0f}{x.p50_ms:>9.2f}{x.p99_ms:>9.2f}{run.fmt_ratio(x.ratio_rps):>9}"
                      f"{x.non2xx:>9}{x.cpu_ours:>8.2f}{x.cpu_other:>7.2f}{pc:>11.0f}"
                      f"{run.fmt_ratio(pc / per_cpu[0] if per_cpu[0] else None):>9}"
                      f"  {'busy machine' if x.cpu_other > 0.5 else ''}")
        h.wait_quiet()
        figures, plan = time_queries(app, args.reps, rng, naive=True, explain=size == "big")
        out[f"{size}_queries"] = figures
        show_queries(f"board queries at {total:,} attempts", figures)
        if plan:
            out["class_plan"] = plan
            print(f"  {'EXPLAIN QUERY PLAN' if backend == 'sqlite' else 'EXPLAIN'} of the class board query:")
            print(f"    {plan[0][:400]}", *[f"    | {line}" for line in plan[1:]], sep="\n")
        if backend == "postgresql":
            h.drop_pg_database(h.current_pg_db)
            h.current_pg_db = ""
        else:
            for f in h.tmp.glob(f"{size}.db*"):
                f.unlink()
    return out


def verdicts(results: list[dict[str, Any]], args: argparse.Namespace) -> list[dict[str, Any]]:
    print(f"\nTargets (issue #5; served on {WORKERS} sync workers with {args.serve_shape[0]:,} attempts, "
          f"queries at {args.big_shape[0]:,} attempts):")
    rows = []
    for r in results:
        checks = []
        for load in [x for x in r["loads"][1:] if not x["endpoint"].endswith("no cache")]:
            checks.append((f"{load['endpoint']} throughput vs bare", load["ratio_rps"], TARGET_RATIO, ">=", "%"))
            checks.append((f"{load['endpoint']} p99 under load (ms)", load["p99_ms"], TARGET_P99_MS, "<", "ms"))
        for name in ("class board", "organisation board", "campaign board"):
            checks.append((f"{name} query p99 (ms)", r["big_queries"][name]["p99_ms"], TARGET_QUERY_MS, "<=", "ms"))
        for name, value, target, op, unit in checks:
            ok = value is not None and (value >= target if op == ">=" else value < target if op == "<" else
                                        value <= target)
            shown = (lambda v: f"{v * 100:.1f}%") if unit == "%" else (lambda v: f"{v:.2f}")
            print(f"  {'PASS' if ok else 'MISS'}  {r['backend']:<11} {name:<42} {shown(value or 0):>8}  "
                  f"(target {op} {shown(target)})")
            rows.append(dict(backend=r["backend"], target=name, value=value, op=op, threshold=target,
                             verdict="PASS" if ok else "MISS"))
    return rows


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark the leaderboards (see bench/README.md, Leaderboards).")
    p.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    p.add_argument("--quick", action="store_true", help="smaller seeds, 3 s loads, fewer repetitions (smoke run)")
    p.add_argument("--duration", type=float, default=8, help="seconds per measured load (default 8)")
    p.add_argument("--warmup", type=float, default=2, help="seconds of unmeasured load before each measurement")
    p.add_argument("--settle", type=float, default=20, help="max seconds to wait for a quiet machine before a load")
    p.add_argument("--reps", type=int, default=400, help="calls per board in the query timing (default 400)")
    p.add_argument("--seed", type=int, default=5, help="random seed of the data and the targets")
    p.add_argument("--pg-admin", default=run.PG_ADMIN_DEFAULT, help="admin URL used to create/drop bench databases")
    p.add_argument("--json", dest="json_out", default="", help="also write the results to this JSON file")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, request files)")
    args = p.parse_args(argv)
    args.serve_shape, args.big_shape = (100_000, 20, 50), (1_000_000, 100, 50)
    if args.quick:
        args.serve_shape, args.big_shape = (20_000, 4, 50), (100_000, 10, 50)
        args.duration, args.warmup, args.settle, args.reps = 3, 1, 5, 100
    args.backend_list = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not args.backend_list or any(b not in ("sqlite", "postgresql") for b in args.backend_list):
        p.error("--backends takes sqlite and/or postgresql")
    # What run.Harness reads from its arguments.
    args.threads, args.connections, args.limits, args.redis_uri = 1, 0, "on", ""
    args.import_retries, args.import_wait = 3, 60
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if not (run.VENV_BIN / "gunicorn").exists() or not (run.shutil.which("wrk") or Path("/usr/bin/wrk").exists()):
        print("needs .venv/bin/gunicorn and wrk (Debian package wrk)", file=sys.stderr)
        return 2

    def on_term(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_term)
    h = run.Harness(args)
    rng = random.Random(args.seed)
    started, results = time.monotonic(), []
    try:
        for backend in args.backend_list:
            results.append(one_backend(h, args, backend, rng))
        rows = verdicts(results, args)
        print(f"\n({time.monotonic() - started:.0f} s in all; {os.cpu_count()} CPUs)")
        if args.json_out:
            Path(args.json_out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json_out).write_text(json.dumps({"runs": results, "targets": rows}, ensure_ascii=False,
                                                      indent=2, default=str), encoding="utf-8")
            print(f"wrote {args.json_out}")
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted; cleaning up", file=sys.stderr)
        return 130
    except HarnessError as exc:
        print(f"\nbenchmark harness failed: {exc}", file=sys.stderr)
        return 1
    finally:
        h.cleanup()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
