"""Speech benchmark: warming the whole bank with espeak-ng, bytes per item, and time to first byte
of a cached clip, each beside a baseline measured in the same run.

    .venv/bin/python bench/tts.py [--lang zh-CN] [--requests 300]

  * warm: `tts warm --engine espeak` into an empty temporary AUDIO_DIR, against a throwaway SQLite
    database holding the shipped bank; baseline: the bare `espeak-ng -w` calls for the same texts
    (no MP3 encoding, no validation, no bookkeeping), timed right after;
  * bytes: total, per clip and per item (all clips of one question; option labels not counted),
    with how many items stay under the issue's 200 KB;
  * time to first byte of a cached clip through gunicorn (2 sync workers) beside the bare Flask
    route of bench/bare_app.py served the same way, one client, keep-alive.
Benchmarks are not tests: nothing is asserted, the figures are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done.stdout


def ttfb(port: int, path: str, count: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    times = []
    for _ in range(count):
        start = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        response.read(1)
        times.append((time.perf_counter() - start) * 1000)
        response.read()
    conn.close()
    return times


def serve(cmd: list[str], env: dict[str, str], port: int, path: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            ttfb(port, path, 1)
            return process
        except OSError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit(f"server did not start: {' '.join(cmd)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", default="zh-CN")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="fzkt-tts-bench-"))
    servers: list[subprocess.Popen[bytes]] = []
    try:
        env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
               "AUDIO_DIR": str(tmp / "audio"), "TTS_ENGINES": "espeak", "SECRET_KEY": "bench-secret"}
        flask(env, "db", "upgrade")
        flask(env, "bank", "import")

        start = time.perf_counter()
        flask(env, "tts", "warm", "--engine", "espeak", "--lang", args.lang)
        warm_s = time.perf_counter() - start

        sys.path.insert(0, str(ROOT))
        os.environ.update(env)
        from app import create_app
        from app.bank.models import Question
        from app.extensions import db
        from app.tts.engines import create_engine
        from app.tts.keys import clip_key
        from app.tts.mp3 import parse as parse_mp3
        from app.tts.text import ITEM_AUDIO_BUDGET_BYTES, LABEL_CLIPS, clips_for

        app = create_app()
        with app.app_context():
            engine = create_engine("espeak", app.config, lang=args.lang)
            identity = engine.identity()
            questions = db.session.scalars(db.select(Question).where(Question.current.is_(True))).all()
            per_item, texts = [], set(LABEL_CLIPS.values())
            audio_s = 0.0
            for q in questions:
                size = 0
                for text in clips_for(q.body, q.kind).values():
                    texts.add(text)
                    path = tmp / "audio" / (key := clip_key(text, identity))[:2] / f"{key}.mp3"
                    data = path.read_bytes()
                    size += len(data)
                    audio_s += parse_mp3(data).duration
                per_item.append(size)
            example = clip_key(next(iter(clips_for(questions[0].body, questions[0].kind).values())), identity)

        # Baseline: the bare espeak-ng calls for the same texts, WAV only.
        binary = shutil.which("espeak-ng") or "espeak-ng"
        start = time.perf_counter()
        for text in sorted(texts):
            subprocess.run([binary, "-v", "cmn-latn-pinyin", "-s", "150", "-w", str(tmp / "x.wav"), text],
                           check=True, capture_output=True)
        raw_s = time.perf_counter() - start

        total = sum(p.stat().st_size for p in (tmp / "audio").rglob("*.mp3"))
        over = sum(1 for size in per_item if size >= ITEM_AUDIO_BUDGET_BYTES)

        app_port, bare_port = free_port(), free_port()
        gunicorn = str(VENV_BIN / "gunicorn")
        servers.append(serve([gunicorn, "-w", "2", "-b", f"127.0.0.1:{app_port}", "wsgi:app"], env, app_port,
                             f"/audio/{example}.mp3"))
        servers.append(serve([gunicorn, "--chdir", "bench", "-w", "2", "-b", f"127.0.0.1:{bare_port}", "bare_app:app"],
                             {**env, "BENCH_DATABASE_URL": ""}, bare_port, "/"))
        clip_ms = ttfb(app_port, f"/audio/{example}.mp3", args.requests)
        bare_ms = ttfb(bare_port, "/", args.requests)

        def p(values: list[float], q: float) -> float:
            return sorted(values)[min(len(values) - 1, int(q * len(values)))]

        print(f"speech benchmark ({args.lang}, espeak-ng, {len(questions)} items, {len(texts)} clips)")
        print(f"  warm whole bank      {warm_s:8.1f} s   bare espeak-ng (WAV only) {raw_s:6.1f} s   ratio {warm_s / raw_s:5.2f}x")
        print(f"  audio made           {audio_s / 3600:8.2f} h   realtime factor {audio_s / warm_s:6.0f}x")
        print(f"  bytes in all         {total / 1e6:8.1f} MB  per clip {total / len(texts) / 1024:6.1f} KB")
        print(f"  bytes per item       mean {statistics.mean(per_item) / 1024:6.1f} KB  p50 {p(per_item, .5) / 1024:6.1f}"
              f"  p90 {p(per_item, .9) / 1024:6.1f}  max {max(per_item) / 1024:6.1f} KB;"
              f" under 200 KB (200 000 bytes): {len(per_item) - over}/{len(per_item)}")
        print(f"  cached clip TTFB     p50 {statistics.median(clip_ms):6.2f} ms  p99 {p(clip_ms, .99):6.2f} ms"
              f"   bare route p50 {statistics.median(bare_ms):6.2f} ms  ratio {statistics.median(clip_ms) / statistics.median(bare_ms):5.2f}x")
    finally:
        for server in servers:
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
