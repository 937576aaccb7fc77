"""Clip keys and the gTTS sentence packer."""

from __future__ import annotations

import re

import pytest

from app.tts.chunker import zh_chunks
from app.tts.keys import clip_key, clip_spec, is_key
from app.tts.text import SPEECH_TEXT_VERSION

IDENTITY = {
    "engine": "espeak-ng",
    "v": "1.51",
    "lang": "zh-CN",
    "voice": "cmn-latn-pinyin",
    "rate": 150,
    "slow": False,
    "tld": "com",
    "lexicon": "81eb810fbebb",
    "mp3": {"enc": "lameenc", "v": "1.9.0", "kbps": 32, "sr": 22050},
}


def test_same_spec_same_key_in_any_order() -> None:
    key = clip_key("拨打幺幺零", IDENTITY)
    assert is_key(key) and len(key) == 32
    assert clip_key("拨打幺幺零", dict(reversed(list(IDENTITY.items())))) == key
    assert clip_spec("拨打幺幺零", IDENTITY)["speech_text_v"] == SPEECH_TEXT_VERSION


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("engine", "gtts"),
        ("v", "1.52"),
        ("lang", "yue"),
        ("voice", "yue"),
        ("rate", 120),
        ("slow", True),
        ("tld", "com.hk"),
        ("lexicon", "000000000000"),
        ("mp3", {"enc": "lameenc", "v": "1.9.0", "kbps": 48, "sr": 22050}),
    ],
)
def test_each_identity_field_changes_the_key(field: str, value: object) -> None:
    assert clip_key("拨打幺幺零", {**IDENTITY, field: value}) != clip_key("拨打幺幺零", IDENTITY)


def test_text_and_speech_text_version_change_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import app.tts.keys as keys

    key = clip_key("拨打幺幺零", IDENTITY)
    assert clip_key("拨打幺幺零。", IDENTITY) != key
    monkeypatch.setattr(keys, "SPEECH_TEXT_VERSION", SPEECH_TEXT_VERSION + 1)
    assert clip_key("拨打幺幺零", IDENTITY) != key


def test_identity_cannot_override_text() -> None:
    with pytest.raises(ValueError):
        clip_key("a", {"text": "b"})


QUESTION = (
    "周四下午，陈叔叔接到一个自称省公安厅的电话。对方说他的社保卡涉嫌洗钱，要求他把钱转到安全账户配合调查，"
    "还不许告诉家人！选项A，把钱转到安全账户；选项B，挂断电话，自己拨打幺幺零核实；选项C，先转一部分试探；"
    "选项D，告诉对方银行卡号和密码。解析：公安、检察院、法院不会通过电话办案，更没有所谓的安全账户，要求转账、"
    "要求保密的都是诈骗。正确做法是挂断电话，自己拨打幺幺零核实，并告诉家人。"
)


def _letters(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize(
    "text",
    [
        QUESTION,
        "没有标点的长句" * 40,
        "短句。" * 60,
        "一，二，三，" * 50 + "很长的一个分句没有句号" * 12,
        "A B C。" + QUESTION,
        "只有一句。",
    ],
)
def test_chunks_fit_lose_nothing_and_keep_punctuation(text: str) -> None:
    chunks = zh_chunks(text)
    assert chunks and all(0 < len(c) <= 100 for c in chunks)
    assert _letters("".join(chunks)) == _letters(text)


def test_chunks_break_after_sentences() -> None:
    from gtts import gTTS

    chunks = zh_chunks(QUESTION)
    assert len(chunks) == 3  # 91 + 75 + 26 characters, whole sentences
    default = gTTS(QUESTION, lang="zh-CN", lang_check=False)._tokenize(QUESTION)
    assert len(default) > 15  # gTTS's own tokenizer: one request per comma
    assert all(c[-1] in "。！？；" for c in chunks)
    assert zh_chunks("只有一句。") == ["只有一句。"]
