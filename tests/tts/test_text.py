"""Speech text: a pure, versioned function, checked as a table and on the shipped bank."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.bank.loader import load_bank
from app.tts.text import LABEL_CLIPS, SPEECH_TEXT_VERSION, clips_for, speech_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("display", "spoken"),
    [
        ("马上拨打110报警。", "马上拨打幺幺零报警。"),
        ("来电显示是96110。", "来电显示是九六幺幺零。"),
        ("可以拨打12315投诉", "可以拨打幺二三幺五投诉"),
        ("收到12381发来的短信", "收到幺二三八幺发来的短信"),
        ("打12345反映", "打幺二三四五反映"),
        ("打120叫救护车，119报火警，122报交通事故", "打幺二零叫救护车，幺幺九报火警，幺二二报交通事故"),
        ("热线电话：12333", "热线电话：幺二三三三"),
        ("专线4006", "专线四零零六"),
        ("95588是银行客服", "九五五八八是银行客服"),
        # amounts and quantities are left alone
        ("一盒120元", "一盒120元"),
        ("先交5000元订金", "先交5000元订金"),
        ("95000元", "95000元"),
        ("3万元", "3万元"),
        ("拨打110.", "拨打幺幺零。"),
        # brackets and quotes dropped, content kept
        ("他说：“我是警察。”", "他说：我是警察。"),
        ("【通知】您的《传票》（副本）", "通知您的传票副本"),
        ("‘安全账户’", "安全账户"),
        # Latin: a table, otherwise spelled
        ("拨打１１０", "拨打幺幺零"),
        ("下载APP", "下载手机应用"),
        ("下载ＡＰＰ", "下载手机应用"),
        ("下载这个app", "下载这个手机应用"),
        ("加QQ群", "加扣扣群"),
        ("连陌生WiFi", "连陌生无线网络"),
        ("ETC卡过期", "E T C卡过期"),
        ("ATM机", "自动取款机"),
        ("XYZ平台", "X Y Z平台"),
        # ASCII punctuation becomes Chinese punctuation
        ("别转账,先核实!真的吗?", "别转账，先核实！真的吗？"),
        ("注意:不要转账;挂断", "注意：不要转账；挂断"),
        # lines are sentences
        ("第一行\n第二行", "第一行。第二行"),
        ("", ""),
    ],
)
def test_speech_text_table(display: str, spoken: str) -> None:
    assert speech_text(display) == spoken


def test_override_wins() -> None:
    assert speech_text("拨打110核实", "自己拨打幺幺零核实") == "自己拨打幺幺零核实"
    assert speech_text("拨打110核实", None) == "拨打幺幺零核实"
    assert speech_text("拨打110核实", "   ") == "拨打幺幺零核实"  # an empty override does not win


def test_speech_text_is_idempotent_and_versioned() -> None:
    assert isinstance(SPEECH_TEXT_VERSION, int) and SPEECH_TEXT_VERSION >= 1
    for text in ["马上拨打110报警。", "下载APP，加QQ群", "“别转账”", "XYZ平台"]:
        once = speech_text(text)
        assert speech_text(once) == once


def test_label_clips() -> None:
    assert LABEL_CLIPS == {k: f"选项{k}" for k in "ABCDEF"}


@pytest.fixture(scope="module")
def bank():
    return load_bank(ROOT / "question_bank")


def test_clips_for_a_shipped_question_with_speech_overrides(bank) -> None:
    q = next(q for q in bank.questions if q.item_id == "hx-free-eggs-lecture.3")
    clips = clips_for(q.body(), q.kind)
    assert list(clips) == ["scenario", "prompt", *[f"option:{o['key']}" for o in q.body()["options"]], "explanation"]
    assert clips["option:D"] == "打幺二三幺五，举报这个会场"  # the item's speech text
    assert clips["option:A"] == "不交订金，起身离开会场"  # display text as is
    assert clips["explanation"].startswith("现身说法的大姐常是托儿")  # the shorter spoken version
    assert "幺二三幺五" in clips["explanation"] and "12315" not in clips["explanation"]
    assert "“" not in clips["scenario"] and "大姐说：我吃了三个月" in clips["scenario"]
    assert q.explanation.startswith("现场站出来“现身说法”的")  # the screen keeps the full explanation


def test_clips_for_a_judge_item_reads_yes_and_no(bank) -> None:
    q = next(q for q in bank.questions if q.kind == "judge")
    clips = clips_for(q.body(), q.kind)
    assert clips["option:yes"] == "是" and clips["option:no"] == "否"
    assert {"prompt", "explanation"} <= set(clips)


def test_every_clip_of_the_bank_reads_cleanly(bank) -> None:
    """No hotline digits, brackets, quotes or ASCII punctuation reach an engine."""
    bad = re.compile(r"(?<!\d)(?:110|119|120|122|12315|12345|12381|96110)(?!\d)|[()（）【】\[\]“”‘’\"*《》,.?!;:]")
    for q in bank.questions:
        for part, text in clips_for(q.body(), q.kind).items():
            assert text, (q.item_id, part)
            assert not bad.search(text), (q.item_id, part, text)
