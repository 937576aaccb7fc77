from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.quiz.errors import InvalidNickname
from app.quiz.nickname import clean_nickname


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("  小明  ", "小明"), ("3号同学", "3号同学"), ("王阿姨", "王阿姨"), ("Ａlice", "Ａlice"), ("e\u0301", "\u00e9"), ("一" * 20, "一" * 20)],
)
def test_accepts_and_normalises(raw, expected):
    assert clean_nickname(raw) == expected


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "请填写一个昵称"),
        ("   ", "请填写一个昵称"),
        (None, "请填写一个昵称"),
        ("一" * 21, "最多 20 个字"),
        ("小\x00明", "控制字符"),
        ("小\u200b明", "控制字符"),
        ("<b></b>", "不能只有网页代码"),
        ("<script>x</script>", "网页代码"),
        ("13812345678", "手机号"),
        ("我的号138 1234 5678", "手机号"),
        ("11010519491231002X", "身份证号"),
    ],
)
def test_rejects_with_a_clear_message(raw, words):
    with pytest.raises(InvalidNickname) as caught:
        clean_nickname(raw)
    assert words in caught.value.message


@given(st.text(max_size=60))
def test_any_text_either_cleans_to_1_to_20_chars_or_gets_a_message(raw):
    try:
        name = clean_nickname(raw)
    except InvalidNickname as exc:
        assert exc.message and exc.status == 422
    else:
        assert 1 <= len(name) <= 20 and name == name.strip() and "<" not in name
