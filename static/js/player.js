// One shared player for the 听题 / 听选项 / 听解析 buttons. Playback starts only from a tap.
// Each button carries ordered segments {src, text}: a clip plays from the server; a segment
// without a clip (or whose clip fails) is spoken by the phone when it has a Chinese voice,
// otherwise the page says 本机暂不支持朗读. 慢速 (0.8x) is remembered on the device.
const SLOW_KEY = "fzkt-slow";
const PAUSE_MS = 500;

const bar = document.querySelector("[data-listen]");
if (bar) {
  const audio = bar.querySelector("audio[data-player]");
  const status = bar.querySelector("[data-status]");
  const replay = bar.querySelector("[data-replay]");
  const stop = bar.querySelector("[data-stop]");
  const slow = bar.querySelector("[data-slow]");
  let last = null;
  let run = 0;

  const isSlow = () => localStorage.getItem(SLOW_KEY) === "1";
  const rate = () => (isSlow() ? 0.8 : 1);
  const say = (text) => { status.textContent = text; };
  const showSlow = () => {
    slow.setAttribute("aria-pressed", isSlow() ? "true" : "false");
    slow.textContent = isSlow() ? "慢速：开" : "慢速：关";
  };

  const zhVoice = () => {
    if (!("speechSynthesis" in window)) return null;
    return window.speechSynthesis.getVoices().find((v) => /^(zh|cmn|yue)/i.test(v.lang)) || null;
  };

  const playClip = (src) => new Promise((resolve, reject) => {
    audio.src = src;
    audio.playbackRate = rate();
    audio.onended = () => resolve();
    audio.onerror = () => reject(new Error("clip failed"));
    const started = audio.play();
    if (started) started.catch(reject);
  });

  const speak = (text, voice) => new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9 * rate();
    utterance.onend = () => resolve();
    utterance.onerror = () => resolve();
    window.speechSynthesis.speak(utterance);
  });

  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function play(segments) {
    const mine = ++run;
    last = segments;
    replay.disabled = false;
    stop.disabled = false;
    say("正在朗读…");
    let fellBack = false;
    for (const [i, segment] of segments.entries()) {
      if (mine !== run) return;
      if (i > 0) await pause(PAUSE_MS);
      if (mine !== run) return;
      let played = false;
      if (segment.src) {
        try {
          await playClip(segment.src);
          played = true;
        } catch (_) {
          played = false;
        }
      }
      if (!played) {
        const voice = zhVoice();
        if (!voice) {
          say("本机暂不支持朗读这一段，请看屏幕上的文字。");
          stop.disabled = true;
          return;
        }
        fellBack = true;
        await speak(segment.text, voice);
      }
    }
    if (mine === run) {
      say(fellBack ? "读完了（部分内容由手机自带语音朗读）。" : "读完了。");
      stop.disabled = true;
    }
  }

  function halt() {
    run++;
    audio.pause();
    if ("speechSynthesis" in window) window.speechSynthesis.cancel();
    stop.disabled = true;
    say("已停止。");
  }

  for (const button of bar.querySelectorAll("[data-segments]")) {
    button.addEventListener("click", () => {
      halt();
      play(JSON.parse(button.dataset.segments));
    });
  }
  replay.addEventListener("click", () => { if (last) { halt(); play(last); } });
  stop.addEventListener("click", halt);
  slow.addEventListener("click", () => {
    localStorage.setItem(SLOW_KEY, isSlow() ? "0" : "1");
    audio.playbackRate = rate();
    showSlow();
  });
  showSlow();
  bar.hidden = false;
}
