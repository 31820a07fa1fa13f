// The review workspace: selection, keyboard shortcuts, filters, and edits sent
// to the server. The server renders every row (escaped); this script never
// builds markup from document text.
"use strict";

(function () {
  const ws = document.getElementById("workspace");
  if (!ws) return;
  const token = document.querySelector('meta[name="review-token"]').content;
  const pairId = ws.dataset.pair;
  const linksEl = document.getElementById("links");
  const message = document.getElementById("message");
  const filter = document.getElementById("filter");
  const search = document.getElementById("search");
  const dialog = document.getElementById("comment-dialog");
  const commentText = document.getElementById("comment-text");

  let revision = Number(ws.dataset.revision);
  let current = 0;
  let side = "src";
  let sentence = null; // selected sentence index on `side`, or null
  let queue = Promise.resolve(); // changes go to the server one at a time, in key order
  let walk = null; // the {pos, score} the last "next doubtful" jump reached

  const rowsAll = () => Array.from(linksEl.querySelectorAll(".link"));
  const visible = () => rowsAll().filter((r) => !r.classList.contains("hidden-by-filter"));
  const row = (pos) => document.getElementById("link-" + pos);

  function say(text, kind) {
    message.textContent = text;
    message.className = kind || "";
    message.hidden = !text;
  }

  function select(pos, opts) {
    const all = rowsAll();
    if (!all.length) return;
    current = Math.max(0, Math.min(pos, all.length - 1));
    if (!opts || !opts.keepSentence) sentence = null;
    all.forEach((r) => r.classList.remove("current"));
    document.querySelectorAll(".side.selected, .sent.selected").forEach((e) => e.classList.remove("selected"));
    const r = row(current);
    r.classList.add("current");
    const cell = r.querySelector(".side." + side);
    if (cell) cell.classList.add("selected");
    if (sentence !== null) {
      const s = r.querySelector('.sent[data-side="' + side + '"][data-sentence="' + sentence + '"]');
      if (s) s.classList.add("selected");
      else sentence = null;
    }
    if (!opts || opts.scroll !== false) r.scrollIntoView({ block: "nearest" });
  }

  function applyFilter() {
    const f = filter.value;
    const q = search.value.trim().toLowerCase();
    rowsAll().forEach((r) => {
      // The bands come from the server (view.band): one set of thresholds.
      const band = r.dataset.band;
      let show = true;
      if (f === "low") show = band === "low";
      else if (f === "uncertain") show = band === "low" || band === "mid";
      else if (f === "pending" || f === "approved" || f === "rejected") show = r.dataset.status === f;
      else if (f === "edited") show = band === "edited";
      else if (f === "null") show = r.classList.contains("null");
      if (show && q) show = r.textContent.toLowerCase().includes(q);
      r.classList.toggle("hidden-by-filter", !show);
    });
  }

  function render(state) {
    revision = state.revision;
    ws.dataset.revision = String(revision);
    linksEl.innerHTML = state.html; // rendered and escaped by the server
    const p = state.progress;
    const bar = document.getElementById("progress-bar");
    bar.max = p.links;
    bar.value = p.reviewed;
    document.getElementById("progress-text").textContent = p.reviewed + " of " + p.links + " links reviewed";
    document.getElementById("progress-detail").textContent = "(" + p.approved + " approved, " + p.rejected + " rejected)";
    document.getElementById("undo").disabled = !state.can_undo;
    document.getElementById("redo").disabled = !state.can_redo;
    applyFilter();
  }

  // Queue a change. `make` runs when the change's turn comes, so a key pressed
  // while the previous change is in flight acts on the state that change left.
  function change(make) {
    queue = queue.then(() => {
      const made = make();
      return made ? post(made[0], made[1], made[2]) : undefined;
    });
  }

  async function post(action, detail, focus) {
    try {
      const response = await fetch("/pair/" + pairId + "/edit", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Review-Token": token },
        body: JSON.stringify({ action: action, revision: revision, detail: detail || {} }),
      });
      const body = await response.json().catch(() => ({})); // a 404 page is plain text
      if (response.ok) {
        render(body);
        say("");
        const pos = (action === "undo" || action === "redo") ? body.at : focus;
        select(pos === null || pos === undefined ? current : pos);
      } else if (response.status === 409) {
        render(body);
        select(current);
        say(body.error, "warn");
      } else {
        say(body.error || ("The server answered " + response.status + "."), "error");
      }
    } catch (err) {
      say("The server cannot be reached (" + err.message + "). Is `aligner review` still running? "
        + "Nothing was lost: every saved change is in the project file.", "error");
    }
  }

  function sideSentences() {
    const r = row(current);
    return Array.from(r.querySelectorAll('.sent[data-side="' + side + '"]')).map((s) => Number(s.dataset.sentence));
  }

  const actions = {
    approve: () => change(() => ["approve", { position: current }, current + 1]),
    reject: () => change(() => ["reject", { position: current }, current + 1]),
    merge_next: () => change(() => ["merge_next", { position: current }, current]),
    merge_previous: () => change(() => ["merge_previous", { position: current }, current - 1]),
    split: () => change(() => ["split", { position: current }, current]),
    move_next: () => change(() => ["move", { position: current, side: side, direction: "next" }, current]),
    move_previous: () => change(() => ["move", { position: current, side: side, direction: "previous" }, current]),
    detach: () => change(() => {
      const list = sideSentences();
      const which = sentence !== null ? sentence : list[list.length - 1];
      if (which === undefined) { say("This side of the link has no sentence.", "error"); return null; }
      return ["detach", { position: current, side: side, sentence: which }, current];
    }),
    undo: () => change(() => ["undo", {}, null]),
    redo: () => change(() => ["redo", {}, null]),
    comment: () => {
      const r = row(current);
      const existing = r.querySelector(".comment");
      commentText.value = existing ? existing.textContent.replace(/^\s*Comment\s*/, "").trim() : "";
      document.getElementById("comment-link").textContent = String(current + 1);
      dialog.returnValue = "";
      dialog.showModal();
      commentText.focus();
    },
    doubtful: () => {
      // Walk the unreviewed links from the lowest score up.
      const candidates = rowsAll()
        .filter((r) => r.dataset.status === "pending" && r.dataset.score !== "")
        .map((r) => ({ pos: Number(r.dataset.pos), score: Number(r.dataset.score) }))
        .sort((a, b) => a.score - b.score || a.pos - b.pos);
      if (!candidates.length) { say("No unreviewed link with a score is left.", ""); return; }
      // Go on from the link the last jump reached, if the reviewer is still on it;
      // otherwise start again from the lowest score.
      let next = candidates[0];
      if (walk !== null && walk.pos === current) {
        const after = candidates.find((c) => c.score > walk.score || (c.score === walk.score && c.pos > walk.pos));
        if (after) next = after;
        else say("That was the last doubtful link; starting again from the lowest score.", "");
      }
      walk = next;
      if (row(next.pos).classList.contains("hidden-by-filter")) {
        filter.value = "all";
        search.value = "";
        applyFilter();
      }
      select(next.pos);
    },
  };

  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "save") change(() => ["comment", { position: current, text: commentText.value }, current]);
  });
  commentText.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); dialog.close("save"); }
  });

  document.querySelectorAll("[data-do]").forEach((b) => {
    b.addEventListener("click", () => actions[b.dataset.do]());
  });

  linksEl.addEventListener("click", (e) => {
    const r = e.target.closest(".link");
    if (!r) return;
    const s = e.target.closest(".sent");
    const cell = e.target.closest(".side");
    if (cell) side = cell.dataset.side;
    sentence = s ? Number(s.dataset.sentence) : null;
    select(Number(r.dataset.pos), { keepSentence: true, scroll: false });
  });

  filter.addEventListener("change", () => { applyFilter(); filter.blur(); });
  search.addEventListener("input", applyFilter);
  search.addEventListener("keydown", (e) => { if (e.key === "Escape" || e.key === "Enter") search.blur(); });

  function step(delta) {
    const vis = visible().map((r) => Number(r.dataset.pos));
    if (!vis.length) return;
    const next = delta > 0 ? vis.find((p) => p > current) : vis.reverse().find((p) => p < current);
    if (next !== undefined) select(next);
  }

  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (dialog.open || t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT") return;
    if (e.altKey) return;
    const key = e.key;
    const ctrl = e.ctrlKey || e.metaKey;
    let handled = true;
    if (ctrl) {
      if (key === "z" || key === "Z") (e.shiftKey ? actions.redo : actions.undo)();
      else if (key === "y") actions.redo();
      else handled = false;
    } else if (e.shiftKey && (key === "ArrowDown" || key === "J")) actions.move_next();
    else if (e.shiftKey && (key === "ArrowUp" || key === "K")) actions.move_previous();
    else if (key === "j" || key === "ArrowDown") step(1);
    else if (key === "k" || key === "ArrowUp") step(-1);
    else if (key === "h" || key === "ArrowLeft") { side = "src"; select(current, { scroll: false }); }
    else if (key === "l" || key === "ArrowRight") { side = "tgt"; select(current, { scroll: false }); }
    else if (key === "n") actions.doubtful();
    else if (key === "a") actions.approve();
    else if (key === "r") actions.reject();
    else if (key === "c") actions.comment();
    else if (key === "m") actions.merge_next();
    else if (key === "M") actions.merge_previous();
    else if (key === "s") actions.split();
    else if (key === "x") actions.detach();
    else if (key === "z") actions.undo();
    else if (key === "y") actions.redo();
    else if (key === "f") filter.focus();
    else if (key === "/") search.focus();
    else if (key === "Escape") { sentence = null; select(current, { scroll: false }); say(""); }
    else handled = false;
    if (handled) e.preventDefault();
  });

  applyFilter();
  select(0, { scroll: false });
})();
