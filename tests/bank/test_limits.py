"""A quiz's limits (app.bank.limits): the pass rule with its default 60, and the 50-question
maximum. Every reader (YAML/Excel loader, uploads, the upload form, the API schema, Quiz.passed)
takes them from there."""

from __future__ import annotations

import pytest

from app.bank import limits
from app.bank.limits import MAX_QUESTIONS, PASS_MARK_DEFAULT, passes, valid_count, valid_pass_mark
from app.bank.loader import Collector, parse_quiz


@pytest.mark.parametrize(("score", "total", "mark", "expected"), [
    (3, 5, 60, True), (2, 5, 60, False), (2, 3, 67, False), (2, 3, 66, True), (0, 0, 0, False),
    (0, 5, 0, True), (5, 5, 100, True), (4, 5, 100, False), (12, 20, 60, True), (11, 20, 60, False),
])
def test_pass_rule_is_exact(score, total, mark, expected):
    assert passes(score, total, mark) is expected


def test_valid_values():
    assert [valid_count(n) for n in (0, 1, MAX_QUESTIONS, MAX_QUESTIONS + 1, True, 2.0, "5")] == [
        False, True, True, False, False, False, False]
    assert [valid_pass_mark(n) for n in (-1, 0, 1, 100, 101, False, True, 60.0)] == [
        False, False, True, True, False, False, False, False]


def _quiz(**fields):
    out = Collector("quizzes.yaml")
    quiz = parse_quiz({"id": "local-one", "title": "本地", "audience": "elder", **fields}, out, 1)
    return quiz, [p.field for p in out.problems]


def test_loader_takes_the_limits_from_the_bank():
    quiz, problems = _quiz(count=MAX_QUESTIONS)
    assert quiz is not None and quiz.count == MAX_QUESTIONS and quiz.pass_mark == PASS_MARK_DEFAULT and not problems
    _quiz_too_big, problems = _quiz(count=MAX_QUESTIONS + 1)
    assert problems == ["count"]
    _bad_mark, problems = _quiz(count=1, pass_mark=101)
    assert problems == ["pass_mark"]


def test_a_pass_mark_of_zero_is_refused_everywhere(app):
    """0 % would pass someone who answered nothing: the loader, uploads and the form refuse it."""
    from wtforms.validators import NumberRange

    from app.dashboard.upload_forms import UploadForm
    from app.dashboard.uploads import UploadOptions, UploadRejected, import_upload
    from app.groups.models import Organisation

    assert limits.PASS_MARK_MIN == 1
    _zero, problems = _quiz(count=1, pass_mark=0)
    assert problems == ["pass_mark"]
    with pytest.raises(UploadRejected, match="及格线应在 1 到 100 之间"):
        import_upload(Organisation(id=1, name="城关中学", kind="school"), "a.xlsx", b"",
                      options=UploadOptions(pass_mark=0))
    with app.test_request_context():
        form = UploadForm(meta={"csrf": False})
    pass_range = next(v for v in form.pass_mark.validators if isinstance(v, NumberRange))
    assert pass_range.min == 1


def test_stored_quiz_passes_by_the_same_rule():
    from app.bank.models import Quiz

    quiz = Quiz(pass_mark=67)
    assert [quiz.passed(s, 3) for s in range(4)] == [passes(s, 3, 67) for s in range(4)] == [False, False, False, True]


def test_uploads_the_form_and_the_api_schema_use_the_same_limits(app):
    from wtforms.validators import NumberRange

    from app.api.openapi import QUIZ, N
    from app.dashboard.upload_forms import UploadForm
    from app.dashboard.uploads import UploadOptions, UploadRejected, import_upload
    from app.groups.models import Organisation

    assert UploadOptions().pass_mark == PASS_MARK_DEFAULT
    org = Organisation(id=1, name="城关中学", kind="school")
    with pytest.raises(UploadRejected, match=f"1 到 {MAX_QUESTIONS}"):
        import_upload(org, "a.xlsx", b"", options=UploadOptions(count=MAX_QUESTIONS + 1))
    with pytest.raises(UploadRejected):
        import_upload(org, "a.xlsx", b"", options=UploadOptions(pass_mark=limits.PASS_MARK_MAX + 1))

    with app.test_request_context():
        form = UploadForm(meta={"csrf": False})
    ranges = {name: next(v for v in field.validators if isinstance(v, NumberRange))
              for name, field in (("count", form.count), ("pass_mark", form.pass_mark))}
    assert (ranges["count"].min, ranges["count"].max) == (limits.MIN_QUESTIONS, MAX_QUESTIONS)
    assert (ranges["pass_mark"].min, ranges["pass_mark"].max) == (limits.PASS_MARK_MIN, limits.PASS_MARK_MAX)
    assert form.pass_mark.default == PASS_MARK_DEFAULT

    assert N["schema"]["maximum"] == MAX_QUESTIONS
    mark = QUIZ["properties"]["pass_mark"]
    assert (mark["minimum"], mark["maximum"]) == (limits.PASS_MARK_MIN, limits.PASS_MARK_MAX)
