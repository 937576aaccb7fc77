"""听题 in a real Chromium: a tap plays the clips (the <audio> element reaches `playing`), 慢速 is
remembered and slows playback, nothing plays by itself, and a missing clip is said plainly."""

from __future__ import annotations

import pytest

from tests.browser.conftest import attempt_of, start_quiz

pytestmark = pytest.mark.browser

WATCH_PLAYER = """() => {
  const audio = document.querySelector('audio[data-player]');
  window.__played = [];
  audio.addEventListener('playing', () => window.__played.push({src: audio.currentSrc, rate: audio.playbackRate}));
}"""


@pytest.fixture()
def audio_dir(live_server, tmp_path):
    live_server.app.config["AUDIO_DIR"] = str(tmp_path)
    return tmp_path


def voice_question(server, attempt_id: str, n: int) -> int:
    """Make this question's stem and option clips with the real espeak-ng engine."""
    from app.extensions import db
    from app.quiz import services
    from app.quiz.listen import question_audio
    from app.tts.engines import create_engine
    from app.tts.keys import clip_key
    from app.tts.settings import audio_dir
    from app.tts.store import AudioStore

    app = server.app
    with app.app_context():
        slot = services.slot_of(attempt_id, n).slot
        engine = create_engine("espeak", app.config, lang="zh-CN")
        store = AudioStore(audio_dir(app.config))
        texts = {segment["text"] for segment in question_audio(slot, "zh-CN")["all"]}
        for text in texts:
            store.produce(clip_key(text, engine.identity()), engine, text)
        db.session.rollback()
    return len(texts)


def test_tap_plays_the_question_and_slow_is_remembered(browsers, live_server, audio_dir):
    tab = browsers.tab("375")
    attempt_id = start_quiz(tab, "elder-listen")
    _, n = attempt_of(tab)
    assert voice_question(live_server, attempt_id, n) >= 3
    tab.goto(f"/a/{attempt_id}/{n}")
    page = tab.page
    page.evaluate(WATCH_PLAYER)
    player = page.locator("audio[data-player]")
    assert player.evaluate("a => a.paused && !a.currentSrc")  # no autoplay
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__played.length") == 0

    page.get_by_role("button", name="听题").click()
    page.wait_for_function("() => window.__played.length > 0", timeout=15_000)
    first = page.evaluate("() => window.__played[0]")
    assert first["src"].startswith(live_server.url + "/audio/") and first["src"].endswith(".mp3")
    assert first["rate"] == 1
    assert "正在朗读" in page.locator("[data-status]").inner_text()
    page.get_by_role("button", name="停止").click()
    assert player.evaluate("a => a.paused")

    slow = page.locator("[data-slow]")
    slow.click()
    assert slow.get_attribute("aria-pressed") == "true"
    tab.goto(f"/a/{attempt_id}/{n}")  # remembered on the device
    assert page.locator("[data-slow]").get_attribute("aria-pressed") == "true"
    page.evaluate(WATCH_PLAYER)
    page.get_by_role("button", name="听选项").click()
    page.wait_for_function("() => window.__played.length > 0", timeout=15_000)
    assert page.evaluate("() => window.__played[0].rate") == pytest.approx(0.8)
    page.get_by_role("button", name="停止").click()


def test_missing_clip_falls_back_and_says_so(browsers, audio_dir):
    tab = browsers.tab("375")
    start_quiz(tab, "elder-listen")
    page = tab.page
    has_voice = page.evaluate(
        "() => 'speechSynthesis' in window && speechSynthesis.getVoices().some(v => /^(zh|cmn|yue)/i.test(v.lang))"
    )
    page.get_by_role("button", name="听题").click()
    status = page.locator("[data-status]")
    if has_voice:  # a phone with a Chinese voice reads the text itself
        page.wait_for_function("() => document.querySelector('[data-status]').textContent.includes('读完了')")
    else:
        page.wait_for_function("() => document.querySelector('[data-status]').textContent.includes('本机暂不支持朗读')")
        assert "请看屏幕上的文字" in status.inner_text()


def test_listen_bar_needs_javascript_and_links_clips_without_it(browsers, live_server, audio_dir):
    tab = browsers.tab("375", js=False)
    attempt_id = start_quiz(tab, "elder-listen")
    _, n = attempt_of(tab)
    voice_question(live_server, attempt_id, n)
    tab.goto(f"/a/{attempt_id}/{n}")
    assert tab.page.locator("[data-listen]").is_hidden()
    link = tab.page.get_by_role("link", name="听题（打开音频）")
    href = link.get_attribute("href")
    assert href.startswith("/audio/")
    response = tab.page.request.get(live_server.url + href, headers={"Range": "bytes=0-99"})
    assert response.status == 206 and response.headers["content-type"] == "audio/mpeg"
