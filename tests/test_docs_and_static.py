"""Docs that cannot drift, and static files that phones never cache stale."""

from __future__ import annotations

import re
from pathlib import Path

from app.config import ENV_SETTINGS

ROOT = Path(__file__).resolve().parent.parent


def test_readme_opens_with_the_two_contract_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme.split("\n\n", 2)[1]
    assert "make run" in head and "make test" in head
    assert "gunicorn" in readme and "wsgi:app" in readme


def test_readme_documents_every_environment_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in [*ENV_SETTINGS, "PORT"]:
        assert f"`{name}`" in readme, f"{name} is read from the environment but not in the README"


def test_readme_documents_every_bank_command(app):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    bank = app.cli.get_command(None, "bank")
    for name in bank.commands:
        assert f"`bank {name}" in readme, f"bank {name} is missing from the README"


def test_ci_script_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)
    # The Debian packages come from scripts/system-deps, which .ci/run (and `make test`) run in test mode.
    assert re.search(r"^scripts/system-deps test$", ci, re.M)
    deps = (ROOT / "scripts" / "system-deps").read_text(encoding="utf-8")
    for package in ("chromium", "fonts-noto-cjk"):
        assert package in deps


def test_static_urls_carry_a_content_hash_and_are_cached_for_a_year(client):
    home = client.get("/")
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', home.text)
    assert any(u.startswith("/static/css/app.css?v=") for u in urls)
    assert any(u.startswith("/static/js/app.js?v=") for u in urls)
    for url in urls:
        with client.get(url) as response:
            assert response.status_code == 200
            assert "immutable" in response.headers["Cache-Control"]
    with client.get("/static/css/app.css?v=0000") as stale:
        assert stale.headers["Cache-Control"] == "no-cache"
    assert client.get("/static/../app/config.py").status_code == 404
    assert client.get("/static/nope.css").status_code == 404


def test_templates_have_no_inline_script_or_handlers():
    for template in (ROOT / "app" / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert not re.search(r"\son[a-z]+=", text), template
        assert "user-scalable=no" not in text and "maximum-scale" not in text
