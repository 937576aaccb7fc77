from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.quiz.errors import InvalidNickname
from app.quiz.nickname import MAX_WIDTH, clean_nickname


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("  小明  ", "小明"), ("3号同学", "3号同学"), ("王阿姨", "王阿姨"), ("e\u0301", "\u00e9"), ("一" * 20, "一" * 20),
     # NFKC: full-width letters and mathematical look-alikes become plain letters, an ideographic space a space.
     ("Ａlice", "Alice"), ("Ａｄｍｉｎ", "Admin"), ("𝒜", "A"), ("小明\u3000同学", "小明 同学"), ("①班小红", "1班小红"),
     # Names people really use: emoji, Japanese and Korean, Tibetan stacks, Uyghur in Arabic script, 𠀀.
     ("小明😀", "小明😀"), ("さくら", "さくら"), ("김민준", "김민준"), ("བཀྲ་ཤིས", "བཀྲ་ཤིས"), ("ئەخمەت", "ئەخمەت"),
     ("Иван", "Иван"), ("Zoë 小张", "Zoë 小张"), ("𠀀", "𠀀")],
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
        # Full-width, Arabic-Indic and Chinese digits are still a phone number.
        ("１３８００１３８０００", "手机号"),
        ("我的号１３８ ００１３ ８０００", "手机号"),
        ("١٣٨٠٠١٣٨٠٠٠", "手机号"),
        ("一三八〇〇一三八〇〇〇", "手机号"),
        ("１１０１０５１９４９１２３１００２Ｘ", "身份证号"),
        # Separators and format characters: line and paragraph separators, ZWJ, the bidi controls.
        ("小\u2028明", "看不见"),
        ("小\u2029明", "看不见"),
        ("小\u200d明", "看不见"),
        ("小\u202e明", "看不见"),
        ("小\u2066明", "看不见"),
        ("小\u00ad明", "看不见"),
        ("小\ufeff明", "看不见"),
        ("小\u0085明", "看不见"),
        ("小\u1680明", "看不见"),
        ("\u3164", "看不见"),
        ("小\u2800明", "看不见"),
        ("\U000e0041dmin", "看不见"),
        # Look-alike letters from two alphabets (Latin A, Cyrillic А).
        ("Аdmin", "长得很像"),
        ("Ａｄｍｉｎ\u0456", "长得很像"),
        ("pаypal", "长得很像"),
        # Very wide glyphs and piled-up marks.
        ("ﷺ" * 20, "特别宽"),
        ("ﷺ", "特别宽"),
        ("﷽", "特别宽"),
        ("𒐫𒐫𒐫", "特别宽"),
        ("⸻", "特别宽"),
        ("Z\u0300\u0301\u0302\u0303\u0304", "叠加"),
    ],
)
def test_rejects_with_a_clear_message(raw, words):
    with pytest.raises(InvalidNickname) as caught:
        clean_nickname(raw)
    assert words in caught.value.message


def _columns(name):
    return sum(0 if unicodedata.category(ch) in {"Mn", "Me"} else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in name)


@given(st.text(max_size=60))
def test_any_text_either_cleans_to_1_to_20_chars_or_gets_a_message(raw):
    try:
        name = clean_nickname(raw)
    except InvalidNickname as exc:
        assert exc.message and exc.status == 422
    else:
        assert 1 <= len(name) <= 20 and name == name.strip() and "<" not in name
        assert name == unicodedata.normalize("NFKC", name)
        assert not any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in name)
        assert _columns(name) <= MAX_WIDTH


@pytest.mark.parametrize("school", [True, False])
def test_a_typed_pledge_signature_follows_the_same_rules(school):
    from app.records.errors import InvalidSigner
    from app.records.pledges import clean_signer

    assert clean_signer("Ａｄｍｉｎ", school) == "Admin"
    for raw in ("１３８００１３８０００", "小\u2028明", "王\u202e明", "ﷺ" * 20, "Аdmin"):
        with pytest.raises(InvalidNickname if school else InvalidSigner):
            clean_signer(raw, school)
