// Signature pad for the pledge: strokes drawn with a finger, pen or mouse become a path
// "M x y L x y … M x y L x y …" in the pad's own units (the canvas's width × height attributes,
// the same box the server checks), kept in the hidden field. The server validates the path and
// draws it with its own <svg><path>; without JavaScript the pad stays hidden and the typed name works.
const MAX_CHARS = 20000; // app.records.signature.MAX_CHARS
const MIN_STEP = 2; // pad units between stored points: keeps long signatures short

const pad = document.querySelector("[data-signature-pad]");
const field = document.querySelector("[data-signature-field]");
if (pad && field) {
  const canvas = pad.querySelector("[data-signature-canvas]");
  const clear = pad.querySelector("[data-signature-clear]");
  const status = pad.querySelector("[data-signature-status]");
  const ctx = canvas.getContext("2d");
  const W = canvas.width;
  const H = canvas.height;
  let parts = [];
  let length = 0;
  let drawing = false;
  let last = null;
  let full = false;

  const pen = () => {
    ctx.lineWidth = 4;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#000";
  };
  const save = () => { field.value = parts.join(" "); };
  const say = (text) => { status.textContent = text; };

  const point = (event) => {
    const r = canvas.getBoundingClientRect();
    const x = Math.round(Math.min(W, Math.max(0, ((event.clientX - r.left) * W) / r.width)));
    const y = Math.round(Math.min(H, Math.max(0, ((event.clientY - r.top) * H) / r.height)));
    return [x, y];
  };

  const add = (command, [x, y]) => {
    const text = `${command} ${x} ${y}`;
    if (length + text.length + 1 > MAX_CHARS) {
      full = true;
      say("签名板写满了：可以直接提交，或点“清除重写”。");
      return false;
    }
    parts.push(text);
    length += text.length + 1;
    return true;
  };

  // A path kept from a page that came back with an error is drawn again.
  const redraw = (path) => {
    const tokens = path.trim().split(/\s+/);
    pen();
    ctx.beginPath();
    for (let i = 0; i + 2 < tokens.length; i += 3) {
      const [command, x, y] = [tokens[i], Number(tokens[i + 1]), Number(tokens[i + 2])];
      if (command === "M") ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
      add(command, [x, y]);
    }
    ctx.stroke();
  };

  const start = (event) => {
    if (full || event.button > 0) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    const p = point(event);
    if (!add("M", p)) return;
    drawing = true;
    last = p;
    pen();
    ctx.beginPath();
    ctx.moveTo(p[0], p[1]);
  };

  const move = (event) => {
    if (!drawing) return;
    const p = point(event);
    if (Math.hypot(p[0] - last[0], p[1] - last[1]) < MIN_STEP) return;
    if (!add("L", p)) {
      drawing = false;
      return;
    }
    ctx.lineTo(p[0], p[1]);
    ctx.stroke();
    last = p;
  };

  const end = () => {
    if (!drawing) return;
    drawing = false;
    const tail = parts[parts.length - 1];
    if (tail && tail.startsWith("M")) {
      parts.pop(); // a tap without a stroke draws nothing
      length -= tail.length + 1;
    }
    save();
    if (parts.length) say("已写好，可以提交；写得不满意就点“清除重写”。");
  };

  canvas.addEventListener("pointerdown", start);
  canvas.addEventListener("pointermove", move);
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  clear.addEventListener("click", () => {
    parts = [];
    length = 0;
    full = false;
    drawing = false;
    save();
    ctx.clearRect(0, 0, W, H);
    say("已清除，可以重新写。");
  });

  if (field.value) redraw(field.value);
  save();
  pad.hidden = false;
}
