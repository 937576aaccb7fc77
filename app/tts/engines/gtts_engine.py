"""gTTS (Google Translate's web speech endpoint): the only module that imports gtts.

- gTTS(text, lang="zh-CN"|"yue", lang_check=False, ...): lang_check=True warns spuriously for
  "zh-CN" (an error under filterwarnings=error) and checks nothing useful.
- Explicit (connect, read) timeouts: gTTS's default waits forever.
- Our sentence packer replaces gTTS's tokenizer (whole sentences, <= 100 chars per request).
- Throttled (one call at a time, a pause between calls), retried with exponential backoff on
  429/5xx, and a circuit breaker: after a connection failure (host unreachable, as from every
  server in mainland China) or after several consecutive 429/5xx/timeouts, no further call is
  made for the rest of the run.
- Never writes files: it returns validated MP3 bytes; the store writes atomically.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from importlib.metadata import version as package_version
from typing import Any

import requests
from gtts import gTTS, gTTSError

from app.tts import mp3
from app.tts.chunker import CHUNKER_ID, zh_chunks
from app.tts.engines.base import TTSError
from app.tts.langs import check_lang, localization_id, localize
from app.tts.settings import setting

NAME = "gtts"
LANG_CODES: dict[str, str] = {"zh-CN": "zh-CN", "yue": "yue"}


class _Retryable(Exception):
    pass


class _Unreachable(Exception):
    pass


class GTTSSynthesizer:
    name = NAME
    local = False

    def __init__(
        self,
        lang: str = "zh-CN",
        slow: bool = False,
        *,
        tld: str = "com",
        timeout: tuple[float, float] = (5.0, 20.0),
        throttle: float = 1.0,
        retries: int = 3,
        backoff: float = 30.0,
        max_failures: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lang = check_lang(lang)
        self.slow = slow
        self.tld = tld
        self.timeout = timeout
        self.throttle = throttle
        self.retries = retries
        self.backoff = backoff
        self.max_failures = max_failures
        self._sleep = sleep
        self._clock = clock
        self._last_call: float | None = None
        self._failures = 0  # consecutive retryable failures
        self.calls = 0  # HTTP attempts made through gTTS (parts of one text count once)
        self.broken: str | None = None  # why the circuit is open, None while closed
        self._lock = threading.Lock()  # one call at a time, even when `warm` runs jobs in parallel

    @classmethod
    def from_config(cls, config: Mapping[str, Any], *, lang: str, slow: bool) -> GTTSSynthesizer:
        return cls(
            lang,
            slow,
            tld=str(setting(config, "TTS_GTTS_TLD")),
            timeout=(float(setting(config, "TTS_GTTS_CONNECT_TIMEOUT")), float(setting(config, "TTS_GTTS_READ_TIMEOUT"))),
            throttle=float(setting(config, "TTS_GTTS_THROTTLE")),
            retries=int(setting(config, "TTS_GTTS_RETRIES")),
            backoff=float(setting(config, "TTS_GTTS_BACKOFF")),
            max_failures=int(setting(config, "TTS_GTTS_MAX_FAILURES")),
        )

    def identity(self) -> dict[str, Any]:
        return {
            "engine": "gtts",
            "v": package_version("gTTS"),
            "lang": LANG_CODES[self.lang],
            "tld": self.tld,
            "slow": self.slow,
            "chunker": CHUNKER_ID,
            "subst": localization_id(self.lang),
        }

    def available(self) -> bool:
        return self.broken is None

    def _open_circuit(self, reason: str) -> None:
        self.broken = reason

    def _wait_turn(self) -> None:
        if self._last_call is not None and self.throttle > 0:
            wait = self.throttle - (self._clock() - self._last_call)
            if wait > 0:
                self._sleep(wait)
        self._last_call = self._clock()

    def synthesize(self, text: str) -> bytes:
        with self._lock:
            return self._synthesize(text)

    def _synthesize(self, text: str) -> bytes:
        if self.broken is not None:
            raise TTSError(self.broken, retryable=False, engine=NAME)
        spoken = localize(text, self.lang).strip()
        if not spoken:
            raise TTSError("没有可朗读的文字", retryable=False, engine=NAME)
        attempt = 0
        while True:
            self._wait_turn()
            try:
                data = self._call(spoken)
            except _Unreachable as exc:
                reason = f"{exc}。本次运行不再调用谷歌语音"
                self._open_circuit(reason)
                raise TTSError(reason, retryable=False, engine=NAME) from exc
            except _Retryable as exc:
                self._failures += 1
                if self._failures >= self.max_failures:
                    reason = f"{exc}（连续 {self._failures} 次失败）。本次运行不再调用谷歌语音，请稍后再试"
                    self._open_circuit(reason)
                    raise TTSError(reason, retryable=True, engine=NAME) from exc
                if attempt < self.retries and not isinstance(exc.__cause__, requests.exceptions.Timeout):
                    self._sleep(self.backoff * 2**attempt)
                    attempt += 1
                    continue
                raise TTSError(str(exc), retryable=True, engine=NAME) from exc
            self._failures = 0
            return data

    def _call(self, text: str) -> bytes:
        """One gTTS run (one request per chunk); errors sorted into unreachable/retryable/permanent."""
        self.calls += 1
        try:
            tts = gTTS(
                text,
                tld=self.tld,
                lang=LANG_CODES[self.lang],
                slow=self.slow,
                lang_check=False,
                pre_processor_funcs=[],
                tokenizer_func=zh_chunks,
                timeout=self.timeout,
            )
            data = b"".join(tts.stream())
        except gTTSError as exc:
            raise self._classify(exc) from exc.__context__
        except requests.exceptions.Timeout as exc:
            raise _Retryable(f"谷歌语音服务响应超时（超过 {self.timeout[1]:g} 秒）") from exc
        except requests.exceptions.RequestException as exc:
            raise _Retryable(f"谷歌语音服务传输中断：{type(exc).__name__}") from exc
        except AssertionError as exc:
            raise TTSError("没有可朗读的文字", retryable=False, engine=NAME) from exc
        except ValueError as exc:  # bad base64 or text in the response
            raise TTSError(f"谷歌语音服务返回的数据无法解析：{exc}", retryable=False, engine=NAME) from exc
        try:
            mp3.parse(data)
        except mp3.Mp3Error as exc:
            raise TTSError(f"谷歌语音服务返回的不是有效的 MP3：{exc}", retryable=False, engine=NAME) from exc
        return data

    def _classify(self, exc: gTTSError) -> Exception:
        cause = exc.__context__
        response = exc.rsp
        if response is None:
            if isinstance(cause, requests.exceptions.ReadTimeout):
                return _Retryable(f"谷歌语音服务响应超时（超过 {self.timeout[1]:g} 秒）")
            if isinstance(cause, requests.exceptions.ConnectTimeout):
                return _Unreachable(f"连接谷歌语音服务超时（超过 {self.timeout[0]:g} 秒），网络不通")
            detail = type(cause).__name__ if cause is not None else "未知原因"
            return _Unreachable(f"无法连接谷歌语音服务 translate.google.{self.tld}（{detail}），网络不通或被拦截")
        status = response.status_code
        if status == 429:
            return _Retryable("谷歌语音服务限流（HTTP 429 请求过多）")
        if status >= 500:
            return _Retryable(f"谷歌语音服务出错（HTTP {status}）")
        if status == 200:
            return TTSError(
                f"谷歌语音服务没有返回音频（可能不支持语言 {LANG_CODES[self.lang]}，或接口已变化）",
                retryable=False,
                engine=NAME,
            )
        return TTSError(f"谷歌语音服务拒绝了请求（HTTP {status}）", retryable=False, engine=NAME)
