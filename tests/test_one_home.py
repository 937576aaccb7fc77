"""Each shared rule is written once. A second copy drifts (the round a board shows, the id range and
the sign rate each did), so a rule's tell-tale text may appear only in its home; the behaviour of
each home is tested beside its package (tests/groups, tests/bank/test_limits.py,
tests/test_safe_next.py, tests/test_spreadsheets.py, tests/test_database_helpers.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

HOMES = [
    # (what, pattern, the only files that may hold it)
    ("the id range", r"2\s*\*\*\s*31", {"database.py"}),
    ("the pass rule", r"\*\s*100\s*>=", {"bank/limits.py"}),
    ("the kinds of organisation", r"[\"'](?:school|hospital|community|agency)[\"']", {"groups/kinds.py"}),
    ("the default quiz of a kind", r"[\"'](?:student-basics|staff-training|staff-hospital)[\"']", {"groups/kinds.py"}),
    ("the redirect-target check", r"def safe_next\b", {"security.py"}),
    ("which round a board shows", r"opens_at\s*<=", {"groups/rounds.py", "groups/models.py"}),
    ("the sign rate", r"min\([^)]*pledges", {"groups/rates.py"}),
    ("cells typed as strings", r"data_type\s*=\s*[\"']s[\"']", {"spreadsheets.py"}),
    ("formula starts", r"FORMULA_STARTS\s*=", {"spreadsheets.py"}),
]


def _sources(suffix: str) -> list[tuple[str, str]]:
    return [(path.relative_to(APP).as_posix(), path.read_text(encoding="utf-8"))
            for path in sorted(APP.rglob(f"*{suffix}"))]


@pytest.mark.parametrize(("what", "pattern", "homes"), HOMES, ids=[h[0] for h in HOMES])
def test_rule_has_one_home(what, pattern, homes):
    found = {name for name, text in _sources(".py") if re.search(pattern, text)}
    assert found <= homes, f"{what} is copied in {sorted(found - homes)}; use its home {sorted(homes)}"


def test_templates_take_their_words_from_the_kind():
    """A template about a group says words.code / words.page, never 班级码 or 班级页 itself (the
    home page's join box and the public quiz pages, which belong to no group, may)."""
    generic = ("templates/main/", "templates/quiz/")
    found = [name for name, text in _sources(".html")
             if not name.startswith(generic) and re.search("班级码|班级页|org\\.kind\\b", text)]
    assert not found


def test_templates_do_not_compute_a_sign_rate():
    """The view hands the rate (app.groups.rates); a template capping pledges itself would drift."""
    assert not [name for name, text in _sources(".html") if re.search(r"pledges[^}]*\|\s*min", text)]
