"""`flask tts warm | verify | gc` on the test database with the shipped bank imported."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner

from app.tts.cli import collect_clips, plausible_duration
from app.tts.store import AudioStore
from tests.tts.conftest import Stopwatch, files_under


def _clip_count(app: Flask, limit: int | None = None) -> tuple[int, int]:
    with app.app_context():
        clips, questions = collect_clips(limit)
    return len(clips), questions


def _current_questions(app: Flask) -> int:
    from sqlalchemy import func, select

    from app.bank.models import Question
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Question).where(Question.current.is_(True)))


def _warm_resume_verify(runner: FlaskCliRunner, audio_root: Path, engine: str, clips: int, questions: int,
                        *limit: str) -> None:
    """Warm makes every clip, a second warm makes none, verify accepts every file and reports each
    voiced item's download against the 200 KB budget."""
    with Stopwatch() as first:
        result = runner.invoke(args=["tts", "warm", "--engine", engine, *limit])
    assert result.exit_code == 0, result.output
    assert f"{engine}：新生成 {clips} 段，已存在 0 段，失败 0 段" in result.output
    assert "全部完成" in result.output
    files = files_under(audio_root)
    assert len(files) == clips and all(f.stat().st_size > 0 for f in files)
    total = sum(f.stat().st_size for f in files)
    print(f"\nwarm {engine}: {questions} questions, {clips} clips, {first.seconds:.1f} s, {total / 1e6:.1f} MB")

    again = runner.invoke(args=["tts", "warm", "--engine", engine, *limit])
    assert again.exit_code == 0, again.output
    assert f"{engine}：新生成 0 段，已存在 {clips} 段" in again.output
    assert len(files_under(audio_root)) == clips

    verify = runner.invoke(args=["tts", "verify"])
    assert verify.exit_code == 0, verify.output
    assert f"检查了 {clips} 个语音文件" in verify.output and "语音文件检查通过" in verify.output
    # every voiced item's own clips, as a listener downloads them, stay under 200 KB
    assert f"每题语音（普通话，{questions} 道题）" in verify.output and "超过 200 KB 的 0 道" in verify.output, verify.output


def test_warm_voices_every_current_question_then_resumes(tts_app: Flask, tts_runner: FlaskCliRunner, audio_root: Path) -> None:
    """The whole bank, with the paced stand-in engine (tests/tts/standin.py: real MP3 frames as long
    as espeak-ng would speak): the command covers every current question, resumes and verifies."""
    tts_app.config.update(TTS_ENGINE_CLASSES={"tone": "tests.tts.standin:PacedTone"}, TTS_ENGINES=["tone"])
    clips, questions = _clip_count(tts_app)
    assert questions == _current_questions(tts_app) > 100  # the whole shipped bank, every current question
    _warm_resume_verify(tts_runner, audio_root, "tone", clips, questions)


def test_warm_espeak_voices_real_clips_then_resumes(tts_app: Flask, tts_runner: FlaskCliRunner, audio_root: Path) -> None:
    """The same command with real espeak-ng on the first questions of the bank (its output on the
    longest items is checked in test_budget.py)."""
    clips, questions = _clip_count(tts_app, 4)
    assert questions == 4
    _warm_resume_verify(tts_runner, audio_root, "espeak", clips, questions, "--limit", "4")


def test_warm_gtts_without_network_fails_fast_and_leaves_no_file(tts_runner: FlaskCliRunner, audio_root: Path) -> None:
    # conftest points gTTS at a closed 127.0.0.1 port: connections are refused like a blocked host.
    with Stopwatch() as watch:
        result = tts_runner.invoke(args=["tts", "warm", "--engine", "gtts"])
    assert result.exit_code == 1, result.output
    assert watch.seconds < 10
    assert "无法连接谷歌语音服务" in result.output and "本次运行不再调用谷歌语音" in result.output
    assert "仍缺少" in result.output and "--engine espeak" in result.output
    assert "gtts：新生成 0 段" in result.output
    assert files_under(audio_root) == []


def test_warm_chain_falls_back_to_espeak_when_google_is_unreachable(tts_runner: FlaskCliRunner, tts_app: Flask, audio_root: Path) -> None:
    clips, _ = _clip_count(tts_app, 2)
    result = tts_runner.invoke(args=["tts", "warm", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "引擎顺序：gtts → espeak" in result.output
    assert f"gtts：新生成 0 段，已存在 0 段，失败 {clips} 段" in result.output
    assert f"espeak：新生成 {clips} 段" in result.output
    assert len(files_under(audio_root)) == clips


def test_warm_rejects_an_unknown_engine(tts_runner: FlaskCliRunner, audio_root: Path) -> None:
    result = tts_runner.invoke(args=["tts", "warm", "--engine", "nope"])
    assert result.exit_code == 2 and "不认识语音引擎" in result.output
    assert files_under(audio_root) == []


def test_verify_catches_a_truncated_and_an_empty_file(tts_runner: FlaskCliRunner, audio_root: Path) -> None:
    assert tts_runner.invoke(args=["tts", "warm", "--engine", "espeak", "--limit", "1"]).exit_code == 0
    first, second = files_under(audio_root)[:2]
    data = first.read_bytes()
    first.write_bytes(data[: len(data) // 2 + 3])
    second.write_bytes(b"")
    result = tts_runner.invoke(args=["tts", "verify"])
    assert result.exit_code == 1
    assert str(first) in result.output and "截断" in result.output
    assert str(second) in result.output and "空" in result.output
    assert "发现 2 处问题" in result.output


def test_verify_complete_reports_missing_clips(tts_runner: FlaskCliRunner) -> None:
    result = tts_runner.invoke(args=["tts", "verify", "--complete"])
    assert result.exit_code == 1
    assert "还有" in result.output and "tts warm --lang zh-CN" in result.output


def test_gc_removes_orphans_and_keeps_needed_files(tts_runner: FlaskCliRunner, audio_root: Path, tone_mp3: bytes) -> None:
    assert tts_runner.invoke(args=["tts", "warm", "--engine", "espeak", "--limit", "1"]).exit_code == 0
    needed = files_under(audio_root)
    orphan = AudioStore(audio_root).write("ab" + "0" * 30, tone_mp3)
    stray = audio_root / "cd"
    stray.mkdir()
    (stray / "notes.txt").write_text("x")
    dry = tts_runner.invoke(args=["tts", "gc", "--dry-run"])
    assert dry.exit_code == 0 and "将删除 2 个" in dry.output and orphan.exists()
    result = tts_runner.invoke(args=["tts", "gc"])
    assert result.exit_code == 0, result.output
    assert "删除了 2 个" in result.output
    assert files_under(audio_root) == needed
    assert not orphan.exists() and not stray.exists()


def test_plausible_duration() -> None:
    assert plausible_duration(3.0, "不听不信不转账")
    assert not plausible_duration(0.05, "不听不信不转账")
    assert not plausible_duration(60.0, "是")
