"""The real Google endpoint. Opt-in: runs only with TTS_NETWORK_TESTS=1 (deselected otherwise,
never skipped), on a machine that can reach translate.google.com."""

from __future__ import annotations

import pytest

from app.tts import mp3
from app.tts.engines.gtts_engine import GTTSSynthesizer

pytestmark = pytest.mark.network


def test_google_speaks_a_short_mandarin_phrase() -> None:
    synth = GTTSSynthesizer("zh-CN", throttle=0.0, retries=1, backoff=5.0, timeout=(5.0, 20.0))
    info = mp3.parse(synth.synthesize("不听、不信、不转账。"))
    assert (info.sample_rate, info.channels) == (24000, 1)
    assert 1.0 < info.duration < 10.0
