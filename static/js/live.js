// Keeps a live game page current (the projector, a phone, the remote). Every page works without
// JavaScript (forms, Post/Redirect/Get, a 刷新 link); this module only follows the game's versioned
// snapshot: Server-Sent Events when the server offers a stream, else polling with ETag/304 at the
// interval the server sets. When the state moves on (a new question, the reveal, a pause …) the page
// reloads itself; while only the answer count moves it updates 已答 in place. Coming back to a
// sleeping phone or a background tab re-checks at once.
const root = document.querySelector("[data-live-url]");

if (root) {
  const url = root.dataset.liveUrl;
  const key = root.dataset.liveKey;
  const status = document.querySelector("[data-live-status]");
  let version = Number(root.dataset.liveVersion);
  let poll = Number(root.dataset.livePoll) || 1500;
  let timer = null;
  let failures = 0;
  let stream = null;

  const say = (text) => { if (status && status.textContent !== text) status.textContent = text; };

  function keyOf(s) {
    const parts = [s.state, s.n === null ? "" : s.n, s.paused ? "True" : "False"];
    if (root.classList.contains("live-screen")) {
      parts.push(s.game.locked ? "True" : "False", s.state === "lobby" ? s.players.count : "");
    } else if (root.classList.contains("live-phone")) {
      parts.push(root.dataset.liveKey.split("|")[3], s.game.locked ? "True" : "False");
    }
    return parts.join("|");
  }

  function apply(s) {
    failures = 0;
    say("");
    version = s.version;
    poll = s.poll_ms || poll;
    if (keyOf(s) !== key) {
      window.location.reload();
      return;
    }
    for (const el of document.querySelectorAll("[data-live-answered]")) el.textContent = String(s.answered);
  }

  async function check() {
    if (document.visibilityState !== "visible") return;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json", "If-None-Match": `"${version}"` },
        cache: "no-store" });
      if (response.status === 304) { failures = 0; say(""); return; }
      if (response.status === 404) { window.location.reload(); return; }
      if (!response.ok) throw new Error(String(response.status));
      apply(await response.json());
    } catch (_) {
      failures += 1;
      if (failures > 1) say("连接中…（网络不稳，画面会在恢复后自动更新）");
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(async () => { await check(); schedule(); }, poll);
  }

  function listen() {
    if (!root.dataset.liveStream || !("EventSource" in window)) { schedule(); return; }
    stream = new EventSource(root.dataset.liveStream);
    stream.addEventListener("snapshot", (event) => apply(JSON.parse(event.data)));
    stream.onerror = () => {  // the browser retries by itself; poll meanwhile so nothing is missed
      failures += 1;
      if (failures > 2) { stream.close(); stream = null; schedule(); }
    };
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") check();
  });
  window.addEventListener("online", check);
  listen();

  // A countdown for a timed question (the server enforces the deadline; this only shows it).
  const deadline = document.querySelector("[data-live-deadline]");
  if (deadline) {
    const end = Date.parse(deadline.dataset.liveDeadline);
    const tick = () => {
      const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      deadline.textContent = left > 0 ? ` · 还剩 ${left} 秒` : " · 时间到";
      if (left > 0) setTimeout(tick, 500);
    };
    tick();
  }

  // 结束本场 asks once, since it hands in everyone's answers.
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
}
