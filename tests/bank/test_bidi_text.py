"""Uploaded question text may not hold the right-to-left override (or any bidi control): the text a
page shows would differ from the text that was checked. Refused by the bank readers, whatever the format."""

from __future__ import annotations

import dataclasses

import pytest

from app.bank.loader import BIDI_CONTROLS, read_bank
from app.bank.schema import Bank
from app.bank.xlsx_format import template_bank

RLO = "\u202e"
# How each format names the field at fault (Excel by its column header).
COLUMN = {"gift": {"prompt": "prompt", "explanation": "explanation"}, "xlsx": {"prompt": "问题", "explanation": "解析"}}


def _bank_with(**changes: str) -> Bank:
    example = template_bank().questions[0]
    return Bank((dataclasses.replace(example, **changes),), ())


def _problems(tmp_path, bank: Bank, fmt: str) -> list[tuple[str | None, str]]:
    from app.bank.gift_format import write_gift
    from app.bank.xlsx_format import write_xlsx

    path = tmp_path / f"bank.{fmt}"
    (write_gift if fmt == "gift" else write_xlsx)(bank, path)
    _read, problems = read_bank(path)
    return [(p.field, p.message) for p in problems]


@pytest.mark.parametrize("fmt", ["gift", "xlsx"])
def test_a_right_to_left_override_in_an_uploaded_prompt_is_refused(tmp_path, fmt):
    example = template_bank().questions[0]
    assert _problems(tmp_path, _bank_with(), fmt) == []
    problems = _problems(tmp_path, _bank_with(prompt=f"{example.prompt}{RLO}gnp.exe"), fmt)
    assert [field for field, message in problems if "从右到左覆盖" in message] == [COLUMN[fmt]["prompt"]], problems


@pytest.mark.parametrize("fmt", ["gift", "xlsx"])
def test_a_bidi_control_in_an_uploaded_explanation_is_refused(tmp_path, fmt):
    example = template_bank().questions[0]
    problems = _problems(tmp_path, _bank_with(explanation=f"\u2067{example.explanation}\u2069"), fmt)
    assert [field for field, message in problems if "改变文字方向" in message] == [COLUMN[fmt]["explanation"]], problems


YAML = """
items:
  - id: rlo-test
    pattern: 刷单返利
    audiences: [student]
    kind: single
    scenario: 同学小林在群里看到“点赞一单赚3元，日结”的兼职广告。
    prompt: 小林应该怎么做？
    options:
      A: 先交押金做任务{option}
      B: 不理会，这是刷单诈骗
    answer: B
    explanation: 刷单返利是最常见的电信网络诈骗，先给小甜头，再让你垫付越来越多的钱，最后拉黑你。刷单本身也是违法的。
    rule: 三不一要
    action: 不加群不垫付，告诉老师和家长{action}
    source: P6 四.4
"""


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_every_bidi_control_is_refused_in_options_and_text_fields(tmp_path, control):
    path = tmp_path / "items.yaml"
    path.write_text(YAML.format(option=control, action=control), encoding="utf-8")
    _bank, problems = read_bank(path)
    fields = sorted(p.field for p in problems)
    assert fields == ["action", "options"], [str(p) for p in problems]


def test_the_same_text_without_controls_loads(tmp_path):
    path = tmp_path / "items.yaml"
    path.write_text(YAML.format(option="", action=""), encoding="utf-8")
    _bank, problems = read_bank(path)
    assert problems == []
