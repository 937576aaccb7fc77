"""Layers a reader can see, proved by import-linter's contracts in pyproject.toml: the bank imports
no feature, speech only the bank, play only the bank and speech, no cycle between features, and
route modules are imported by the factory alone. A new cycle fails the suite, not only `make lint`."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_contracts_say_what_the_issue_asks():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contracts = {c["id"]: c for c in config["contracts"]}
    layers = [layer.replace(" ", "") for layer in contracts["layers"]["layers"]]
    order = {name: n for n, layer in enumerate(layers) for name in layer.replace(":", "|").split("|")}
    features = ("api", "main", "dashboard", "reports", "live", "records", "leaderboard", "auth", "groups", "quiz", "tts",
                "bank")
    assert set(features) <= set(order), "every feature package sits in a layer"
    assert order["bank"] > order["tts"] > order["quiz"], "speech on the bank, play on speech"
    assert all(order[f] < order["quiz"] for f in features if f not in ("quiz", "tts", "bank"))
    assert order["api"] < order["live"] < order["records"], "the live game above play, groups and records, below the API"
    assert contracts["views"]["type"] == "protected" and contracts["views"]["allowed_importers"] == ["app"]


def test_a_new_cycle_would_be_caught(tmp_path):
    """The contract is not vacuous: a copy of the app where play imports a feature above it breaks it."""
    import shutil

    shutil.copytree(ROOT / "app", tmp_path / "app")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    finishing = tmp_path / "app" / "quiz" / "finishing.py"
    finishing.write_text(finishing.read_text(encoding="utf-8") + "\nfrom app.groups import counting  # noqa\n",
                         encoding="utf-8")
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint_imports), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode != 0
    assert "app.quiz is not allowed to import app.groups" in done.stdout
