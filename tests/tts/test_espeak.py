"""espeak-ng for real (the Debian package must be installed: these tests fail, never skip)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from app.tts import mp3
from app.tts.engines.espeak import LEXICON, EspeakSynthesizer, apply_lexicon, normalise

SENTENCE = "不听、不信、不转账，遇到可疑情况要及时拨打幺幺零报警。"


def test_espeak_ng_is_installed() -> None:
    assert shutil.which("espeak-ng"), "espeak-ng is missing: apt-get install espeak-ng (CI installs it in .ci/run)"


@pytest.fixture(scope="module")
def mandarin() -> EspeakSynthesizer:
    return EspeakSynthesizer("zh-CN")


def test_synthesis_gives_a_valid_mono_mp3(mandarin: EspeakSynthesizer) -> None:
    info = mp3.parse(mandarin.synthesize(SENTENCE))
    assert (info.sample_rate, info.channels, info.bitrate_kbps) == (22050, 1, 32)
    assert 4.0 < info.duration < 15.0


def test_duration_grows_with_the_text(mandarin: EspeakSynthesizer) -> None:
    short = mp3.parse(mandarin.synthesize("不要转账。")).duration
    long = mp3.parse(mandarin.synthesize("不要转账。" * 4)).duration
    assert 3.0 < long / short < 5.0


def test_output_is_byte_identical_on_a_rerun(mandarin: EspeakSynthesizer) -> None:
    assert mandarin.synthesize(SENTENCE) == EspeakSynthesizer("zh-CN").synthesize(SENTENCE)


def test_voice_reads_hanzi_as_mandarin_not_english_pinyin(mandarin: EspeakSynthesizer) -> None:
    """Debian's `cmn` voice reads 不听 as English ("bu four ting one"): we must never use it."""
    assert mandarin.voice == "cmn-latn-pinyin"
    phonemes = mandarin.phonemes("不听")
    assert "(en)" not in phonemes and "p'u51" in phonemes
    raw = subprocess.run(["espeak-ng", "-v", mandarin.voice, "-q", "-x", "不听"], capture_output=True, check=True)
    assert b"(en)" not in raw.stdout


def test_lexicon_fixes_polyphones(mandarin: EspeakSynthesizer) -> None:
    without = mandarin.phonemes("银行卡", lexicon=False)
    fixed = mandarin.phonemes("银行卡")
    assert "S;'i35N" in without  # xíng: espeak's own guess
    assert "X'a35N" in fixed and "S;'i35N" not in fixed  # háng
    assert "(en)" not in fixed
    assert "Xua35n" in mandarin.phonemes("还款")  # huán, not hái
    assert apply_lexicon("到银行还款", "zh-CN") == "到 yin2hang2  huan2kuan3"
    assert apply_lexicon("到银行还款", "yue") == "到银行还款"  # Mandarin pinyin only


@pytest.mark.parametrize("word", sorted(LEXICON["zh-CN"]))
def test_every_lexicon_entry_is_read_as_pinyin(mandarin: EspeakSynthesizer, word: str) -> None:
    """An inline pinyin that espeak cannot read would come out letter by letter or as English."""
    phonemes = mandarin.phonemes(word)
    assert "(en)" not in phonemes and phonemes != mandarin.phonemes(word, lexicon=False)


def test_cantonese_works() -> None:
    cantonese = EspeakSynthesizer("yue")
    assert cantonese.voice == "yue"
    info = mp3.parse(cantonese.synthesize(SENTENCE))
    assert info.channels == 1 and info.duration > 3.0
    phonemes = cantonese.phonemes("拨打幺幺零")
    assert "(en)" not in phonemes and "j'a1t" in phonemes  # 幺 becomes 一 (jat1) in Cantonese
    assert cantonese.identity()["voice"] == "yue" and cantonese.identity() != EspeakSynthesizer("zh-CN").identity()


def test_identity_names_version_voice_rate_lexicon_and_encoder(mandarin: EspeakSynthesizer) -> None:
    identity = mandarin.identity()
    version = subprocess.run(["espeak-ng", "--version"], capture_output=True, check=True, text=True).stdout
    assert identity["engine"] == "espeak-ng" and identity["v"] in version
    assert (identity["voice"], identity["rate"]) == ("cmn-latn-pinyin", 175)
    assert len(identity["lexicon"]) == 12
    assert identity["mp3"]["enc"] == "lameenc" and identity["mp3"]["kbps"] == 32 and identity["mp3"]["sr"] == 22050
    assert EspeakSynthesizer("zh-CN", slow=True).identity()["rate"] == 140


def test_empty_text_is_an_error(mandarin: EspeakSynthesizer) -> None:
    from app.tts.engines.base import TTSError

    with pytest.raises(TTSError):
        mandarin.synthesize("   ")


def test_peak_normalisation() -> None:
    import array

    quiet = array.array("h", [0, 1000, -3000, 2000] * 100).tobytes()
    louder = array.array("h")
    louder.frombytes(normalise(quiet))
    peak = max(abs(v) for v in louder)
    assert 26000 <= peak <= 29205  # -1 dBFS, never above
    loud = array.array("h", [0, 32000, -32000] * 100).tobytes()
    assert normalise(loud) == loud  # already within 1 dB: untouched
