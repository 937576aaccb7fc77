"""`flask bank …` as the contract fixes it: plain-words errors, exit 1, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from app.bank.models import Question, Quiz
from app.quiz.models import Answer

ROOT = Path(__file__).resolve().parents[2]


def test_check_passes_on_the_shipped_bank(runner):
    result = runner.invoke(args=["bank", "check"])
    assert result.exit_code == 0, result.output
    assert "题库检查通过" in result.output


def test_check_reports_file_item_and_field_and_exits_1(runner, bank_dir):
    path = bank_dir / "gongjianfa.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("answer: C", "answer: F", 1), encoding="utf-8")
    result = runner.invoke(args=["bank", "check", str(bank_dir)])
    assert result.exit_code == 1
    assert "文件 gongjianfa.yaml，题目 gjf-safe-account-call，字段 answer：答案 F 不是这道题的选项" in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_check_on_garbage_files_never_tracebacks(runner, tmp_path):
    for name, content in [("a.yaml", b"\xff\xfe\x00garbage"), ("b.yaml", b"items: 5"), ("c.yaml", b"[1, 2]")]:
        (tmp_path / name).write_bytes(content)
        result = runner.invoke(args=["bank", "check", str(tmp_path / name)])
        assert result.exit_code == 1, name
        assert f"文件 {name}" in result.output and "Traceback" not in result.output
        (tmp_path / name).unlink()


def test_stats_json_has_the_contract_shape(runner):
    result = runner.invoke(args=["bank", "stats", "--json"])
    assert result.exit_code == 0
    stats = json.loads(result.output)
    assert set(stats) >= {"questions", "scenarios", "patterns", "audiences", "kinds"}
    assert set(stats["audiences"]) == {"student", "elder", "staff"}
    assert set(stats["kinds"]) == {"single", "multiple", "judge"}
    assert stats["questions"] == sum(stats["patterns"].values()) >= 40
    assert len(stats["patterns"]) >= 12 and stats["scenarios"] >= 1


def test_import_is_idempotent_and_versions_edited_items(fresh_app, bank_dir):
    runner = fresh_app.test_cli_runner()
    first = runner.invoke(args=["bank", "import", str(bank_dir)])
    assert first.exit_code == 0 and "新增" in first.output
    with fresh_app.app_context():
        from app.extensions import db

        before = db.session.scalars(select(Question)).all()
        count = len(before)
    second = runner.invoke(args=["bank", "import", str(bank_dir)])
    assert "新增 0 道，修改 0 道" in second.output
    with fresh_app.app_context():
        assert len(db.session.scalars(select(Question)).all()) == count

    # Someone answers the item, then the item is edited: the answer keeps the version it answered.
    client = fresh_app.test_client()
    started = client.post("/api/v1/attempts", json={"quiz_id": "theme-gongjianfa", "nickname": "小王"}).json
    auth = {"Authorization": f"Bearer {started['token']}"}
    client.post(f"/api/v1/attempts/{started['attempt_id']}/questions/1/answer", headers=auth, json={"choices": ["A"]})
    with fresh_app.app_context():
        from app.quiz import services

        slot = services.slot_of(started["attempt_id"], 1).slot
        question = services.question_of(slot)
        answered_id, item_id, old_prompt = slot.question_id, question.item_id, question.body["prompt"]
    _edit_prompt(bank_dir, item_id, old_prompt + "请想一想")
    third = runner.invoke(args=["bank", "import", str(bank_dir)])
    assert "修改 1 道" in third.output, third.output
    with fresh_app.app_context():
        versions = db.session.scalars(select(Question).where(Question.item_id == item_id).order_by(Question.version)).all()
        assert [(v.version, v.current) for v in versions] == [(1, False), (2, True)]
        assert versions[1].body["prompt"].endswith("请想一想")
        answer = db.session.scalar(select(Answer).where(Answer.attempt_id == started["attempt_id"]))
        assert answer is not None
        assert services.slot_of(started["attempt_id"], 1).slot.question_id == answered_id == versions[0].id
    # The old attempt still shows the wording it was answered with.
    q = client.get(f"/api/v1/attempts/{started['attempt_id']}/questions/1", headers=auth).json
    assert q["prompt"] == old_prompt


def _edit_prompt(bank_dir: Path, item_id: str, prompt: str) -> None:
    import yaml

    case_id, _, step = item_id.partition(".")
    for path in bank_dir.glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in doc.get("items") or []:
            if item["id"] == case_id:
                (item["steps"][int(step) - 1] if step else item)["prompt"] = prompt
                path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
                return
    raise AssertionError(f"{item_id} not found")


def test_import_retires_removed_items_and_quizzes(fresh_app, bank_dir):
    runner = fresh_app.test_cli_runner()
    runner.invoke(args=["bank", "import", str(bank_dir)])
    (bank_dir / "zhigong.yaml").unlink()
    quizzes = bank_dir / "quizzes.yaml"
    text = quizzes.read_text(encoding="utf-8")
    quizzes.write_text(text[: text.index("  - id: staff-training")] + text[text.index("  - id: elder-yanglao"):], encoding="utf-8")
    result = runner.invoke(args=["bank", "import", str(bank_dir)])
    assert result.exit_code == 0, result.output
    assert "下架" in result.output
    with fresh_app.app_context():
        from app.extensions import db

        assert db.session.get(Quiz, "staff-training").active is False
        client = fresh_app.test_client()
        assert client.get("/play/staff-training").status_code == 404


def test_import_refuses_a_broken_bank_and_changes_nothing(fresh_app, bank_dir):
    runner = fresh_app.test_cli_runner()
    (bank_dir / "broken.yaml").write_text("items:\n  - id: x\n", encoding="utf-8")
    result = runner.invoke(args=["bank", "import", str(bank_dir)])
    assert result.exit_code == 1 and "broken.yaml" in result.output
    with fresh_app.app_context():
        from app.extensions import db

        assert db.session.scalars(select(Question)).all() == []


def test_export_yaml_round_trips(runner, tmp_path):
    from app.bank.loader import read_bank

    result = runner.invoke(args=["bank", "export", "--format", "yaml", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    original, _ = read_bank(ROOT / "question_bank")
    exported, problems = read_bank(tmp_path / "out")
    assert problems == []
    key = lambda q: q.item_id  # noqa: E731
    assert [q.content_hash() for q in sorted(exported.questions, key=key)] == [
        q.content_hash() for q in sorted(original.questions, key=key)
    ]
    assert exported.quizzes == original.quizzes
    check = runner.invoke(args=["bank", "check", str(tmp_path / "out")])
    assert check.exit_code == 0


def test_a_control_character_in_a_yaml_bank_is_named_not_a_database_error(runner, bank_dir):
    """A NUL that PostgreSQL would refuse in text (SQLite would store it) is found by `bank check`
    and `bank import` alike, in the uploads' words, before anything is written."""
    path = next(p for p in sorted(bank_dir.glob("*.yaml")) if p.name != "quizzes.yaml")
    text = path.read_text(encoding="utf-8")
    at = text.index("prompt: ") + len("prompt: ")
    path.write_text(text[:at] + '"\\0' + text[at:].split("\n", 1)[0].strip('"') + '"\n' + text[at:].split("\n", 1)[1],
                    encoding="utf-8")
    for command in ("check", "import"):
        result = runner.invoke(args=["bank", command, str(bank_dir)])
        assert result.exit_code == 1, result.output
        assert "有看不见的控制字符" in result.output and "字段 prompt" in result.output
        assert "Traceback" not in result.output and "DataError" not in result.output
