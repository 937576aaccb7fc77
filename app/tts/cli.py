"""`flask tts warm | verify | gc`: voice the bank ahead of time, check the files, remove orphans.

warm   voices every current question (scenario, prompt, each option, explanation), the option
       labels 选项A-F and the pledge (承诺书, read aloud in 长辈版); skips clips whose file exists,
       so it resumes after an interruption; prints per-engine counts and what is still missing
       and why; exits 1 when something is missing.
       Without --engine it follows TTS_ENGINES: for each clip the first engine that succeeds.
verify every file a current clip may use parses as MP3 and plays about as long as its text;
       exits 1 on a broken file (and, with --complete, on a clip without audio).
gc     removes files under AUDIO_DIR that no current clip of any configured engine, language
       or speed names.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.bank.models import Question
from app.extensions import db
from app.tts.engines import UnknownEngine, chain_names, create_engine, languages
from app.tts.engines.base import Synthesizer, TTSError
from app.tts.keys import clip_key
from app.tts.langs import LANGUAGES
from app.tts.mp3 import Mp3Error, parse_file
from app.tts.settings import audio_dir, setting
from app.tts.sources import other_texts
from app.tts.store import AudioStore
from app.tts.text import ITEM_AUDIO_BUDGET_BYTES, LABEL_CLIPS, clips_for

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

PART_NAMES = {"scenario": "情景", "prompt": "问题", "explanation": "解析"}
SPEAKABLE_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9]")


@dataclass
class Clip:
    text: str
    sources: list[str] = field(default_factory=list)

    def where(self) -> str:
        first = self.sources[0] if self.sources else ""
        more = f" 等 {len(self.sources)} 处" if len(self.sources) > 1 else ""
        short = self.text if len(self.text) <= 24 else self.text[:24] + "…"
        return f"{first}{more}：{short}"


def _part_name(part: str) -> str:
    if part.startswith("option:"):
        return f"选项 {part.split(':', 1)[1]}"
    return PART_NAMES.get(part, part)


def collect_clips(limit: int | None = None) -> tuple[list[Clip], int]:
    """The distinct speech texts of the current questions (optionally the first `limit`), the option
    labels and the pledge's paragraphs."""
    questions = db.session.scalars(select(Question).where(Question.current.is_(True)).order_by(Question.item_id)).all()
    if limit is not None:
        questions = questions[:limit]
    clips: dict[str, Clip] = {}
    for label, text in LABEL_CLIPS.items():
        clips.setdefault(text, Clip(text)).sources.append(f"选项标签 {label}")
    for source, text in other_texts():
        clips.setdefault(text, Clip(text)).sources.append(source)
    for question in questions:
        for part, text in clips_for(question.body, question.kind).items():
            clips.setdefault(text, Clip(text)).sources.append(f"{question.item_id} {_part_name(part)}")
    return list(clips.values()), len(questions)


def _engine(name: str, lang: str, slow: bool) -> tuple[Synthesizer, dict[str, Any]]:
    engine = create_engine(name, current_app.config, lang=lang, slow=slow)
    return engine, engine.identity()


def _speed(slow: bool) -> str:
    return "慢速" if slow else "正常语速"


@click.group("tts", help="Speech: voice the bank (warm), check the files (verify), remove orphans (gc).")
def tts_cli() -> None:
    pass


@tts_cli.command("warm")
@click.option("--engine", "engine_name", default=None, help="Only this engine (gtts, espeak, ...). Default: the TTS_ENGINES chain.")
@click.option("--lang", type=click.Choice(list(LANGUAGES)), default="zh-CN", show_default=True, help="Listener language.")
@click.option("--slow", is_flag=True, help="The slow variant (gTTS slow mode, espeak's slower rate).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N questions (a trial run).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Clips made at once (default: CPUs, at most 4). gTTS calls are one at a time anyway.")
@with_appcontext
def warm(engine_name: str | None, lang: str, slow: bool, limit: int | None, jobs: int | None) -> None:
    """Make every missing clip; existing files are kept, so it resumes where it stopped."""
    names = [engine_name] if engine_name else chain_names(current_app.config)
    engines: list[tuple[Synthesizer, dict[str, Any]]] = []
    unusable: list[str] = []
    for name in names:
        try:
            engine, identity = _engine(name, lang, slow)
        except UnknownEngine as exc:
            click.echo(str(exc), err=True)
            sys.exit(2)
        except (TTSError, ImportError, ValueError) as exc:
            unusable.append(f"{name}：{exc}")
            continue
        if not engine.available():
            unusable.append(f"{name}：当前不可用")
            continue
        engines.append((engine, identity))
    for line in unusable:
        click.echo(f"跳过引擎 {line}", err=True)
    if not engines:
        click.echo("没有可用的语音引擎，什么也没有生成。", err=True)
        sys.exit(1)

    store = AudioStore(audio_dir(current_app.config))
    clips, question_count = collect_clips(limit)
    order = " → ".join(engine.name for engine, _ in engines)
    click.echo(f"语音生成：{LANGUAGES[lang]}（{lang}），{_speed(slow)}；引擎顺序：{order}；目录：{store.root}")
    click.echo(f"共 {len(clips)} 段语音（{question_count} 道题的情景、问题、选项、解析，另有 {len(LABEL_CLIPS)} 个选项标签和承诺书）")

    counts: dict[str, Counter[str]] = {engine.name: Counter() for engine, _ in engines}
    missing: list[tuple[Clip, list[str]]] = []
    new_bytes = 0
    jobs = jobs or min(4, os.cpu_count() or 1)
    started = time.monotonic()
    bar: ProgressBar[int]  # counts by length (bar.update), never iterated
    with ThreadPoolExecutor(max_workers=jobs) as pool, click.progressbar(length=len(clips), label="生成语音", show_pos=True) as bar:
        futures = [pool.submit(_voice, store, engines, clip) for clip in clips]
        try:
            for future in as_completed(futures):
                outcome = future.result()
                for name, event in outcome.events:
                    counts[name][event] += 1
                new_bytes += outcome.new_bytes
                if not outcome.done:
                    missing.append((outcome.clip, outcome.reasons))
                bar.update(1)
        except BaseException:
            for future in futures:
                future.cancel()  # Ctrl-C: stop queued clips; files already written stay valid
            raise
    position = {id(clip): n for n, clip in enumerate(clips)}
    missing.sort(key=lambda item: position[id(item[0])])
    elapsed = time.monotonic() - started

    for engine, _ in engines:
        c = counts[engine.name]
        click.echo(f"{engine.name}：新生成 {c['new']} 段，已存在 {c['existing']} 段，失败 {c['failed']} 段")
    for engine, _ in engines:
        broken = getattr(engine, "broken", None)
        if broken:
            click.echo(f"{engine.name} 本次已停用：{broken}", err=True)
    click.echo(f"用时 {elapsed:.1f} 秒，新文件共 {new_bytes / 1024:.0f} KB")
    if not missing:
        click.echo(f"全部完成：{len(clips)} 段语音都有音频。")
        return
    click.echo(f"仍缺少 {len(missing)} 段语音（共 {len(clips)} 段），原因：", err=True)
    why: Counter[str] = Counter()
    for _, reasons in missing:
        why.update(set(reasons))
    for reason, count in why.most_common():
        click.echo(f"  {count} 段 —— {reason}", err=True)
    click.echo("例如：", err=True)
    for clip, _ in missing[:5]:
        click.echo(f"  {clip.where()}", err=True)
    if any(engine.name == "gtts" for engine, _ in engines):
        click.echo(
            "提示：谷歌语音需要能访问 translate.google.com 的网络。可在能访问的机器上运行本命令后连同 audio 目录一起发布，"
            "或用 --engine espeak 生成离线语音。再次运行本命令会接着生成缺少的部分。",
            err=True,
        )
    sys.exit(1)


@dataclass
class _Outcome:
    clip: Clip
    done: bool = False
    new_bytes: int = 0
    events: list[tuple[str, str]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _voice(store: AudioStore, engines: list[tuple[Synthesizer, dict[str, Any]]], clip: Clip) -> _Outcome:
    """One clip through the chain: the first engine with a file, or the first that makes one."""
    outcome = _Outcome(clip)
    for engine, identity in engines:
        key = clip_key(clip.text, identity)
        if store.exists(key):
            outcome.events.append((engine.name, "existing"))
            outcome.done = True
            return outcome
        try:
            path = store.produce(key, engine, clip.text)
        except TTSError as exc:
            outcome.events.append((engine.name, "failed"))
            outcome.reasons.append(f"{engine.name}：{exc.msg}")
            continue
        except Mp3Error as exc:
            outcome.events.append((engine.name, "failed"))
            outcome.reasons.append(f"{engine.name}：生成的文件不是有效的 MP3（{exc}）")
            continue
        outcome.events.append((engine.name, "new"))
        outcome.new_bytes = path.stat().st_size
        outcome.done = True
        return outcome
    return outcome


def _needed(names: list[str], langs: list[str], speeds: list[bool], clips: list[Clip]) -> dict[str, tuple[str, str, str]]:
    """key -> (engine name, lang, speech text) for every clip under every engine/lang/speed."""
    needed: dict[str, tuple[str, str, str]] = {}
    for name in names:
        for lang in langs:
            for slow in speeds:
                _, identity = _engine(name, lang, slow)
                for clip in clips:
                    needed[clip_key(clip.text, identity)] = (name, lang, clip.text)
    return needed


def plausible_duration(seconds: float, text: str) -> bool:
    """About 0.1 s to 1 s per spoken character (hanzi, letter or digit), with slack for pauses."""
    chars = max(1, len(SPEAKABLE_RE.findall(text)))
    return max(0.1, 0.1 * chars) <= seconds <= 1.0 * chars + 2.0


def _needed_or_exit(clips: list[Clip]) -> dict[str, tuple[str, str, str]]:
    names = chain_names(current_app.config)
    try:
        return _needed(names, languages(current_app.config), [False, True], clips)
    except (TTSError, UnknownEngine, ImportError, ValueError) as exc:
        click.echo(f"无法确定需要哪些语音文件：{exc}", err=True)
        sys.exit(1)


@tts_cli.command("verify")
@click.option("--complete", is_flag=True, help="Also fail when a clip has no audio in a configured language.")
@with_appcontext
def verify(complete: bool) -> None:
    """Check every clip file: a whole MP3 that plays about as long as its text."""
    store = AudioStore(audio_dir(current_app.config))
    clips, question_count = collect_clips()
    needed = _needed_or_exit(clips)
    problems: list[str] = []
    checked = 0
    for key, (name, lang, text) in needed.items():
        if not store.exists(key):
            path = store.path_for(key)
            if path.exists():
                problems.append(f"{path}：文件是空的（{name}，{lang}）")
            continue
        path = store.path_for(key)
        checked += 1
        try:
            info = parse_file(path)
        except (Mp3Error, OSError) as exc:
            problems.append(f"{path}：{exc}（{name}，{lang}）：{text[:24]}")
            continue
        if not plausible_duration(info.duration, text):
            problems.append(f"{path}：时长 {info.duration:.1f} 秒，与 {len(text)} 个字的文字不相称（{name}，{lang}）：{text[:24]}")
    click.echo(f"检查了 {checked} 个语音文件（{question_count} 道题，{len(clips)} 段语音）。")

    slow = bool(setting(current_app.config, "TTS_SLOW"))
    by_lang: dict[str, int] = {}
    for lang in languages(current_app.config):
        identities = [_engine(name, lang, slow)[1] for name in chain_names(current_app.config)]
        by_lang[lang] = sum(1 for clip in clips if not any(store.exists(clip_key(clip.text, i)) for i in identities))
        click.echo(f"{LANGUAGES.get(lang, lang)}（{lang}）：{len(clips) - by_lang[lang]}/{len(clips)} 段有音频")
    _item_sizes(store, [_engine(name, "zh-CN", slow)[1] for name in chain_names(current_app.config)])
    orphans = store.orphans(needed)
    if orphans:
        click.echo(f"另有 {len(orphans)} 个不再需要的文件，可用 tts gc 清理。")
    if complete:
        for lang, count in by_lang.items():
            if count:
                problems.append(f"{LANGUAGES.get(lang, lang)}（{lang}）还有 {count} 段语音没有音频，请运行 tts warm --lang {lang}")
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        click.echo(f"发现 {len(problems)} 处问题。损坏的文件删除后重新运行 tts warm 即可补上。", err=True)
        sys.exit(1)
    click.echo("语音文件检查通过。")


def _item_sizes(store: AudioStore, identities: list[dict[str, Any]]) -> None:
    """Bytes a listener downloads per item in Mandarin (its own clips, as served: the first engine
    with a file), against the 200 KB budget. A notice, not a fault: the fix is a shorter `speech`."""
    sizes: dict[str, int] = {}
    for question in db.session.scalars(select(Question).where(Question.current.is_(True))):
        total = 0
        for text in clips_for(question.body, question.kind).values():
            path = next((store.path_for(k) for i in identities if store.exists(k := clip_key(text, i))), None)
            if path is None:
                break
            total += _size(path)
        else:
            sizes[question.item_id] = total
    if not sizes:
        return
    over = sorted(item for item, size in sizes.items() if size >= ITEM_AUDIO_BUDGET_BYTES)
    click.echo(f"每题语音（普通话，{len(sizes)} 道题）：平均 {sum(sizes.values()) / len(sizes) / 1000:.0f} KB，"
               f"最大 {max(sizes.values()) / 1000:.0f} KB；超过 200 KB 的 {len(over)} 道。")
    if over:
        click.echo(f"提示：这些题的朗读太长，请在题库的 speech 里写更短的读法：{'、'.join(over[:20])}"
                   f"{' 等' if len(over) > 20 else ''}")


@tts_cli.command("gc")
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
@with_appcontext
def gc(dry_run: bool) -> None:
    """Remove files that no current clip of any configured engine, language or speed needs."""
    store = AudioStore(audio_dir(current_app.config))
    clips, _ = collect_clips()
    needed = _needed_or_exit(clips)
    orphans = store.orphans(needed)
    size = sum(_size(path) for path in orphans)
    if dry_run:
        for path in orphans:
            click.echo(str(path))
        click.echo(f"将删除 {len(orphans)} 个不再需要的文件（{size / 1024:.0f} KB）。")
        return
    removed = store.remove(orphans)
    click.echo(f"删除了 {removed} 个不再需要的文件（{size / 1024:.0f} KB）。")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


__all__ = ["collect_clips", "plausible_duration", "tts_cli"]
