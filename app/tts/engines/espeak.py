"""espeak-ng (Debian package) through a subprocess, encoded to mono MP3 with lameenc.

- Mandarin uses voice `cmn-latn-pinyin`, never `cmn`: Debian's 1.51 `cmn` turns every hanzi into
  pinyin and reads that *as English* ("不" -> "bu four").
- Cantonese uses voice `yue`.
- Polyphones of our vocabulary that espeak gets wrong (银行 yin2 xing2, 还款 hai2 ...) are fixed
  by a small lexicon that replaces the word with inline pinyin, which `cmn-latn-pinyin` reads.
  It is applied here only: Google and neural engines get plain hanzi.
- The WAV is peak-normalised (to -1 dBFS, 1 dB tolerance) and encoded at 22050 Hz, 32-48 kbps.
Output is deterministic: the same text gives the same bytes.
"""

from __future__ import annotations

import array
import functools
import hashlib
import json
import math
import re
import shutil
import subprocess  # noqa: S404 - a fixed argument list, no shell
import sys
import tempfile
import wave
from collections.abc import Mapping
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from app.tts.engines.base import TTSError
from app.tts.langs import check_lang, localization_id, localize
from app.tts.settings import setting

NAME = "espeak"
VOICES: dict[str, str] = {"zh-CN": "cmn-latn-pinyin", "yue": "yue"}
SAMPLE_RATE = 22050
TARGET_PEAK = 29205  # -1 dBFS
PEAK_TOLERANCE_DB = 1.0

# Words espeak-ng 1.51 reads with the wrong pinyin (checked with `espeak-ng -v cmn-latn-pinyin -X`),
# as inline pinyin with tone numbers.
LEXICON: dict[str, dict[str, str]] = {
    "zh-CN": {
        "银行": "yin2hang2",
        "行长": "hang2zhang3",
        "一行": "yi4hang2",
        "还款": "huan2kuan3",
        "还钱": "huan2qian2",
        "还给": "huan2gei3",
        "还清": "huan2qing1",
        "退还": "tui4huan2",
        "归还": "gui1huan2",
        "偿还": "chang2huan2",
        "重复": "chong2fu4",
        "重新": "chong2xin1",
        "长辈": "zhang3bei4",
        "家长": "jia1zhang3",
        "校长": "xiao4zhang3",
        "局长": "ju2zhang3",
        "科长": "ke1zhang3",
        "班长": "ban1zhang3",
        "院长": "yuan4zhang3",
        "店长": "dian4zhang3",
        "所长": "suo3zhang3",
        "年长": "nian2zhang3",
        "会计": "kuai4ji4",
        "了解": "liao3jie3",
        "便宜": "pian2yi5",
        "放假": "fang4jia4",
        "请假": "qing3jia4",
        "着急": "zhao2ji2",
        "睡着": "shui4zhao2",
        "地方": "di4fang5",
        "得到": "de2dao4",
        "中奖": "zhong4jiang3",
        "尽量": "jin3liang4",
        "几乎": "ji1hu1",
        "当作": "dang4zuo4",
        "当成": "dang4cheng2",
    },
    "yue": {},
}


def lexicon_id(lang: str) -> str:
    raw = json.dumps(LEXICON.get(lang, {}), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]


@functools.cache
def _lexicon_re(lang: str) -> re.Pattern[str] | None:
    words = sorted(LEXICON.get(lang, {}), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


def apply_lexicon(text: str, lang: str) -> str:
    """Replace the lexicon's words with inline pinyin (longest first, left to right)."""
    pattern = _lexicon_re(lang)
    if pattern is None:
        return text
    table = LEXICON[lang]
    return pattern.sub(lambda m: f" {table[m.group(0)]} ", text).strip()


@functools.cache
def espeak_version(binary: str) -> str:
    """The version espeak-ng reports (e.g. "1.51"); read once per process, never at import."""
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, timeout=10, check=True)  # noqa: S603
    except (OSError, subprocess.SubprocessError) as exc:
        raise TTSError(f"无法运行 {binary}：{exc}", retryable=False, engine=NAME) from exc
    first = done.stdout.decode("utf-8", "replace").splitlines()[0] if done.stdout else ""
    found = re.search(r"\d+\.\d+(?:\.\d+)?(?:[-.\w]*)", first)
    if not found:
        raise TTSError(f"读不出 {binary} 的版本：{first!r}", retryable=False, engine=NAME)
    return found.group(0)


def _high_byte_peak(pcm: bytes) -> int:
    """Largest |high byte| of the 16-bit samples, found with memchr (no per-sample Python loop)."""
    high = pcm[1::2] if sys.byteorder == "little" else pcm[0::2]
    for value in range(0x7F, -1, -1):
        if bytes((value,)) in high or bytes((0xFF - value,)) in high:
            return value
    return 0


def _exact_peak(pcm: bytes) -> int:
    samples = array.array("h")
    samples.frombytes(pcm)
    return max(max(samples, default=0), -min(samples, default=0))


@functools.lru_cache(maxsize=8)
def _gain_table(half_db_steps: int) -> list[int]:
    """int16 -> int16 scaled by half_db_steps * 0.5 dB; index with the (possibly negative) sample."""
    gain = 10 ** (half_db_steps / 40)
    positives = [min(32767, round(v * gain)) for v in range(32768)]
    negatives = [max(-32768, round(v * gain)) for v in range(-32768, 0)]
    return positives + negatives


def normalise(pcm: bytes) -> bytes:
    """Peak-normalise 16-bit PCM to -1 dBFS (in 0.5 dB steps) unless already within 1 dB of it."""
    low = TARGET_PEAK * 10 ** (-PEAK_TOLERANCE_DB / 20)
    top = _high_byte_peak(pcm)
    if top * 256 >= low:
        return pcm  # the peak lies between top*256 and full scale: within the tolerance
    peak = _exact_peak(pcm)
    if peak == 0:
        return pcm
    gain_db = 20 * math.log10(TARGET_PEAK / peak)
    if abs(gain_db) <= PEAK_TOLERANCE_DB:
        return pcm
    samples = array.array("h")
    samples.frombytes(pcm)
    table = _gain_table(math.floor(gain_db * 2))  # round down: never above the target
    return array.array("h", map(table.__getitem__, samples)).tobytes()


class EspeakSynthesizer:
    name = NAME
    local = True

    def __init__(
        self,
        lang: str = "zh-CN",
        slow: bool = False,
        *,
        binary: str = "espeak-ng",
        rate: int = 175,
        slow_rate: int = 140,
        kbps: int = 32,
        quality: int = 7,
        timeout: float = 60.0,
    ) -> None:
        self.lang = check_lang(lang)
        self.slow = slow
        self.voice = VOICES[lang]
        self.binary = binary
        self.rate = slow_rate if slow else rate
        if not 32 <= kbps <= 48:
            raise ValueError("TTS_MP3_KBPS must be between 32 and 48")
        self.kbps = kbps
        if not 0 <= quality <= 9:
            raise ValueError("TTS_MP3_QUALITY must be between 0 (best, slowest) and 9")
        self.quality = quality
        self.timeout = timeout
        self._identity: dict[str, Any] | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any], *, lang: str, slow: bool) -> EspeakSynthesizer:
        return cls(
            lang,
            slow,
            binary=setting(config, "TTS_ESPEAK_BIN"),
            rate=int(setting(config, "TTS_ESPEAK_RATE")),
            slow_rate=int(setting(config, "TTS_ESPEAK_SLOW_RATE")),
            kbps=int(setting(config, "TTS_MP3_KBPS")),
            quality=int(setting(config, "TTS_MP3_QUALITY")),
            timeout=float(setting(config, "TTS_ESPEAK_TIMEOUT")),
        )

    def _binary_path(self) -> str:
        path = shutil.which(self.binary)
        if path is None:
            raise TTSError(f"没有找到 {self.binary}：请安装 Debian 软件包 espeak-ng", retryable=False, engine=NAME)
        return path

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    def identity(self) -> dict[str, Any]:
        if self._identity is None:
            self._identity = {
                "engine": "espeak-ng",
                "v": espeak_version(self._binary_path()),
                "lang": self.lang,
                "voice": self.voice,
                "rate": self.rate,
                "gap": 0,
                "lexicon": lexicon_id(self.lang),
                "subst": localization_id(self.lang),
                "norm": f"peak{TARGET_PEAK}/{PEAK_TOLERANCE_DB}dB/0.5dB",
                "mp3": {"enc": "lameenc", "v": package_version("lameenc"), "kbps": self.kbps, "sr": SAMPLE_RATE, "q": self.quality},
            }
        return dict(self._identity)

    def engine_text(self, text: str) -> str:
        """What espeak-ng is given for a speech text: language touches, then the lexicon."""
        return apply_lexicon(localize(text, self.lang), self.lang)

    def _run(self, args: list[str], text: str) -> subprocess.CompletedProcess[bytes]:
        try:
            done = subprocess.run(  # noqa: S603 - fixed argument list, text on stdin
                [self._binary_path(), "-b", "1", "-v", self.voice, "-s", str(self.rate), *args],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise TTSError(f"espeak-ng 超时（超过 {self.timeout:g} 秒）", retryable=True, engine=NAME) from exc
        except OSError as exc:
            raise TTSError(f"无法运行 espeak-ng：{exc}", retryable=False, engine=NAME) from exc
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip() or f"退出码 {done.returncode}"
            raise TTSError(f"espeak-ng 出错：{message}", retryable=False, engine=NAME)
        return done

    def phonemes(self, text: str, *, lexicon: bool = True) -> str:
        """espeak-ng's phoneme mnemonics (-x) for a speech text, for checks and tests."""
        spoken = self.engine_text(text) if lexicon else localize(text, self.lang)
        return self._run(["-q", "-x"], spoken).stdout.decode("utf-8", "replace").strip()

    def synthesize(self, text: str) -> bytes:
        spoken = self.engine_text(text).strip()
        if not spoken:
            raise TTSError("没有可朗读的文字", retryable=False, engine=NAME)
        with tempfile.TemporaryDirectory(prefix="fzkt-espeak-") as tmp:
            wav_path = Path(tmp) / "clip.wav"
            self._run(["-w", str(wav_path)], spoken)
            pcm, rate = self._read_wav(wav_path)
        if rate != SAMPLE_RATE:
            raise TTSError(f"espeak-ng 输出采样率 {rate}，预期 {SAMPLE_RATE}", retryable=False, engine=NAME)
        if not pcm:
            raise TTSError("espeak-ng 没有输出声音", retryable=False, engine=NAME)
        return self._encode(normalise(pcm))  # the store validates the MP3 before it becomes visible

    @staticmethod
    def _read_wav(path: Path) -> tuple[bytes, int]:
        try:
            with wave.open(str(path), "rb") as wav:
                if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
                    raise TTSError("espeak-ng 输出的不是 16 位单声道", retryable=False, engine=NAME)
                return wav.readframes(wav.getnframes()), wav.getframerate()
        except (OSError, EOFError, wave.Error) as exc:
            raise TTSError(f"读不了 espeak-ng 的输出：{exc}", retryable=False, engine=NAME) from exc

    def _encode(self, pcm: bytes) -> bytes:
        import lameenc

        encoder = lameenc.Encoder()
        encoder.set_channels(1)
        encoder.set_in_sample_rate(SAMPLE_RATE)
        encoder.set_bit_rate(self.kbps)
        encoder.set_quality(self.quality)
        return bytes(encoder.encode(pcm) + encoder.flush())
