// Keeps a class board current while it is on screen (a projector in a 主题班会): every 15 seconds,
// only while the page is visible, it reloads the rows from the JSON API. Without JavaScript the
// page has a 刷新 link instead.
const table = document.getElementById("class-board");
const PERIOD_MS = 15000;

function cell(tag, text, className) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  if (tag === "th") el.scope = "row";
  return el;
}

function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

async function refresh() {
  if (document.visibilityState !== "visible") return;
  try {
    const response = await fetch(table.dataset.boardUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const data = await response.json();
    const body = table.tBodies[0];
    const rows = data.entries.map((e) => {
      const tr = document.createElement("tr");
      tr.append(cell("td", `第 ${e.rank} 名`, "rank"), cell("th", e.nickname),
        cell("td", `${e.score}/${e.total}`), cell("td", when(e.finished_at)));
      return tr;
    });
    if (rows.length) body.replaceChildren(...rows);
  } catch (_) {
    // Offline for a moment: keep what is shown and try again next time.
  }
}

if (table && table.dataset.boardUrl) {
  setInterval(refresh, PERIOD_MS);
  document.addEventListener("visibilitychange", refresh);
}
