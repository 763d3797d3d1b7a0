// The page at GET /: type a sentence, see each class probability as a bar (no external assets).
#include "finsent/serve/server.hpp"

namespace finsent::serve {

const std::string& index_page() {
  static const std::string page = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>finsent</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  h1 { font-size: 1.4rem; margin-bottom: .2rem; }
  #model { color: #666; font-size: .9rem; margin-bottom: 1rem; }
  textarea { width: 100%; box-sizing: border-box; font: inherit; padding: .5rem; }
  button { margin-top: .5rem; font: inherit; padding: .3rem 1rem; }
  .row { display: flex; align-items: center; gap: .6rem; margin: .35rem 0; }
  .label { width: 8rem; text-align: right; font-weight: 600; }
  .track { flex: 1; background: #eee; height: 1.2rem; border-radius: 3px; overflow: hidden; }
  .bar { background: #3b7dd8; height: 100%; }
  .row.top .bar { background: #1f9d55; }
  .pct { width: 4.5rem; font-variant-numeric: tabular-nums; }
  #error { color: #b00020; margin-top: .5rem; }
</style>
</head>
<body>
<h1>finsent</h1>
<div id="model">loading model info&hellip;</div>
<textarea id="text" rows="3" placeholder="Type a sentence, e.g. Operating profit rose to EUR 13.1 mn."></textarea>
<button id="predict" type="button">Classify</button>
<div id="error"></div>
<div id="result"></div>
<script>
"use strict";
const text = document.getElementById("text");
const result = document.getElementById("result");
const error = document.getElementById("error");
let pending = 0;

fetch("/info").then(r => r.json()).then(info => {
  document.getElementById("model").textContent =
    info.model_id + " \u2014 labels: " + info.labels.join(", ");
}).catch(() => { document.getElementById("model").textContent = ""; });

function render(scores) {
  result.replaceChildren();
  scores.forEach((s, i) => {
    const row = document.createElement("div");
    row.className = i === 0 ? "row top" : "row";
    row.dataset.label = s.label;
    row.dataset.score = String(s.score);
    const label = document.createElement("span");
    label.className = "label";
    label.textContent = s.label;
    const track = document.createElement("div");
    track.className = "track";
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.style.width = (100 * s.score).toFixed(1) + "%";
    track.appendChild(bar);
    const pct = document.createElement("span");
    pct.className = "pct";
    pct.textContent = (100 * s.score).toFixed(1) + "%";
    row.append(label, track, pct);
    result.appendChild(row);
  });
}

async function classify() {
  const sentence = text.value;
  if (!sentence.trim()) { result.replaceChildren(); error.textContent = ""; return; }
  const ticket = ++pending;
  try {
    const r = await fetch("/predict", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ inputs: sentence })
    });
    const body = await r.json();
    if (ticket !== pending) return;  // a newer request owns the display
    if (!r.ok) { error.textContent = body.error || ("HTTP " + r.status); return; }
    error.textContent = "";
    render(body);
  } catch (e) {
    if (ticket === pending) error.textContent = String(e);
  }
}

let timer = null;
text.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(classify, 250); });
text.addEventListener("keydown", e => {
  if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); clearTimeout(timer); classify(); }
});
document.getElementById("predict").addEventListener("click", () => { clearTimeout(timer); classify(); });
</script>
</body>
</html>
)HTML";
  return page;
}

}  // namespace finsent::serve
