// A practice session on /practice (the page without this script is a printable sheet): the
// cards of /api/practice one at a time, flashcards revealed with Space, outputs predicted and
// checked with Enter, each graded 1–4 (Again, Hard, Good, Easy); the schedule
// (practice-schedule.js, FSRS) decides when a card comes back. Progress stays in this
// browser (localStorage), with export to and import from a JSON file, and reset. Nothing
// about the reader is sent anywhere.
(function () {
  "use strict";

  var root = document.querySelector("[data-practice]");
  var S = window.PracticeSchedule;
  if (!root || !S || !window.fetch || !window.localStorage || !window.JSON) return;

  var KEY = "pykb.practice.v1";
  var NEW_PER_SESSION = 20;
  var GRADES = [["again", "Again"], ["hard", "Hard"], ["good", "Good"], ["easy", "Easy"]];
  var topic = root.getAttribute("data-topic") || "";

  function load() {
    try {
      var stored = JSON.parse(localStorage.getItem(KEY));
      if (stored && stored.version === 1 && stored.cards && typeof stored.cards === "object") return stored;
    } catch (e) { /* a broken store starts again */ }
    return { version: 1, cards: {} };
  }
  function save() { localStorage.setItem(KEY, JSON.stringify(store)); }
  var store = load();

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var session = el("section", { class: "practice-session", "aria-labelledby": "session-heading" });
  var heading = el("h2", { id: "session-heading" }, "Today's practice");
  var stage = el("div", { class: "practice-stage", "aria-live": "polite" });
  var progress = el("section", { class: "practice-progress", id: "progress", "aria-labelledby": "progress-heading" });
  session.appendChild(heading);
  session.appendChild(stage);
  root.appendChild(session);
  root.appendChild(progress);
  document.documentElement.classList.add("practising");

  var queue = [];
  var current = null;
  var phase = "";
  var reviewed = 0;

  function cards(n) { return n === 1 ? "1 card" : n + " cards"; }

  function when(iso) {
    var minutes = Math.round((new Date(iso) - new Date()) / 60000);
    if (minutes < 60) return Math.max(1, minutes) + " min";
    if (minutes < 60 * 24) return Math.round(minutes / 60) + " h";
    return Math.round(minutes / 1440) + " d";
  }

  function gradeButtons() {
    var previews = S.preview(store.cards[current.id] && store.cards[current.id].state, new Date());
    var row = el("p", { class: "practice-grades" });
    GRADES.forEach(function (g, i) {
      var button = el("button", { type: "button", "data-grade": g[0] }, (i + 1) + " " + g[1] + " · " + when(previews[g[0]]));
      button.addEventListener("click", function () { grade(g[0]); });
      row.appendChild(button);
    });
    return row;
  }

  function show() {
    stage.replaceChildren();
    current = queue.shift() || null;
    if (!current) {
      phase = "done";
      stage.appendChild(el("p", { class: "lead", "data-done": "" },
        reviewed ? "Done for today: " + cards(reviewed) + " reviewed." : "Nothing is due on this topic today."));
      renderProgress();
      return;
    }
    phase = "question";
    var card = el("article", { class: "practice-current", "data-card": current.id, "data-kind": current.kind });
    card.appendChild(el("p", { class: "practice-question" }, current.question));
    if (current.kind === "flashcard") {
      var reveal = el("button", { type: "button", "data-reveal": "" }, "Show answer (Space)");
      reveal.addEventListener("click", revealAnswer);
      card.appendChild(reveal);
    } else {
      var pre = el("pre");
      pre.appendChild(el("code", { class: "language-python" }, current.code));
      card.appendChild(pre);
      if (current.choices && current.choices.length) {
        var choices = el("p", { class: "practice-choices" });
        current.choices.forEach(function (choice) {
          var b = el("button", { type: "button", class: "secondary" }, choice);
          b.addEventListener("click", function () { check(choice); });
          choices.appendChild(b);
        });
        card.appendChild(choices);
      }
      var label = el("label", { for: "prediction" }, "What it prints (Enter checks; Shift+Enter for a new line)");
      var box = el("textarea", { id: "prediction", rows: "3", spellcheck: "false" });
      card.appendChild(label);
      card.appendChild(box);
      box.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) {
          event.preventDefault();
          check(box.value);
        }
      });
      setTimeout(function () { box.focus(); }, 0);
    }
    stage.appendChild(card);
  }

  function revealAnswer() {
    if (phase !== "question" || current.kind !== "flashcard") return;
    phase = "answer";
    var card = stage.querySelector(".practice-current");
    var reveal = card.querySelector("[data-reveal]");
    if (reveal) reveal.remove();
    var answer = el("div", { class: "practice-answer", "data-answer": "" });
    answer.appendChild(el("p", {}, current.answer));
    var link = el("a", { href: current.url }, "The full answer");
    answer.appendChild(el("p")).appendChild(link);
    card.appendChild(answer);
    card.appendChild(gradeButtons());
  }

  // The verified output, its lines that the prediction got wrong marked.
  function check(typed) {
    if (phase !== "question" || current.kind !== "output") return;
    phase = "answer";
    var expected = current.output.split("\n");
    var got = typed.replace(/\s+$/, "").split("\n");
    var right = expected.length === got.length && expected.every(function (line, i) { return line.replace(/\s+$/, "") === got[i].replace(/\s+$/, ""); });
    var card = stage.querySelector(".practice-current");
    var result = el("div", { class: "practice-result", "data-right": right ? "yes" : "no" });
    result.appendChild(el("p", { class: right ? "verify-ok" : "verify-fails" }, right ? "Right." : "Not quite: the lines marked differ."));
    var pre = el("pre", { class: "practice-output" });
    expected.forEach(function (line, i) {
      var wrong = !right && (got[i] === undefined || got[i].replace(/\s+$/, "") !== line.replace(/\s+$/, ""));
      pre.appendChild(wrong ? el("mark", {}, line) : document.createTextNode(line));
      if (i < expected.length - 1) pre.appendChild(document.createTextNode("\n"));
    });
    result.appendChild(el("p", { class: "muted" }, "Verified on Python " + current.python + ":"));
    result.appendChild(pre);
    var explained = el("p", {}, "Explained in ");
    explained.appendChild(el("a", { href: current.url }, current.answer));
    result.appendChild(explained);
    card.appendChild(result);
    card.appendChild(gradeButtons());
    var suggested = card.querySelector("[data-grade=" + (right ? "good" : "again") + "]");
    if (suggested) suggested.focus();
  }

  function grade(name) {
    if (phase !== "answer") return;
    var entry = store.cards[current.id] || { topic: topic, slug: current.slug, kind: current.kind };
    entry.state = S.grade(entry.state, name, new Date());
    entry.topic = entry.topic || topic;
    store.cards[current.id] = entry;
    save();
    reviewed += 1;
    if (name === "again") queue.push(current);
    show();
  }

  document.addEventListener("keydown", function (event) {
    if (event.target && /^(textarea|input|select)$/i.test(event.target.tagName)) return;
    if (event.key === " " && phase === "question" && current && current.kind === "flashcard") {
      event.preventDefault();
      revealAnswer();
    } else if (phase === "answer" && /^[1-4]$/.test(event.key)) {
      event.preventDefault();
      grade(GRADES[Number(event.key) - 1][0]);
    }
  });

  function renderProgress() {
    progress.replaceChildren();
    progress.appendChild(el("h2", { id: "progress-heading" }, "Your progress"));
    var ids = Object.keys(store.cards);
    var endOfDay = new Date();
    endOfDay.setHours(23, 59, 59, 999);
    var byTopic = {};
    var dueToday = 0;
    ids.forEach(function (id) {
      var entry = store.cards[id];
      var t = entry.topic || "other";
      byTopic[t] = byTopic[t] || { seen: 0, due: 0 };
      byTopic[t].seen += 1;
      if (entry.state && new Date(entry.state.due) <= endOfDay) {
        byTopic[t].due += 1;
        dueToday += 1;
      }
    });
    progress.appendChild(el("p", { "data-progress": "" }, cards(ids.length) + " seen, " + dueToday + " due today. Kept in this browser only."));
    if (ids.length) {
      var table = el("table", { class: "practice-topics" });
      var head = el("tr");
      ["Topic", "Seen", "Due today"].forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
      table.appendChild(el("thead")).appendChild(head);
      var body = el("tbody");
      Object.keys(byTopic).sort().forEach(function (t) {
        var tr = el("tr");
        tr.appendChild(el("td", {}, t));
        tr.appendChild(el("td", {}, String(byTopic[t].seen)));
        tr.appendChild(el("td", {}, String(byTopic[t].due)));
        body.appendChild(tr);
      });
      table.appendChild(body);
      progress.appendChild(table);
    }
    var actions = el("p", { class: "practice-actions" });
    var exported = el("a", {
      href: "data:application/json;charset=utf-8," + encodeURIComponent(JSON.stringify(store)),
      download: "pykb-practice.json",
      "data-export": ""
    }, "Export my progress");
    actions.appendChild(exported);
    var importLabel = el("label", { for: "practice-import" }, " Import a file: ");
    var importInput = el("input", { type: "file", id: "practice-import", accept: "application/json,.json" });
    importInput.addEventListener("change", function () {
      var file = importInput.files && importInput.files[0];
      if (file) file.text().then(importText);
    });
    actions.appendChild(importLabel);
    actions.appendChild(importInput);
    var reset = el("button", { type: "button", class: "secondary", "data-reset": "" }, "Reset");
    reset.addEventListener("click", function () {
      if (reset.getAttribute("data-sure") !== "yes") {
        reset.setAttribute("data-sure", "yes");
        reset.textContent = "Forget all progress in this browser";
        return;
      }
      store = { version: 1, cards: {} };
      save();
      say("Progress reset.");
      renderProgress();
    });
    actions.appendChild(reset);
    progress.appendChild(actions);
    progress.appendChild(el("p", { role: "status", id: "practice-message" }));
  }

  function say(text) {
    var message = document.getElementById("practice-message");
    if (message) message.textContent = text;
  }

  // Cards from a file: every state is checked before any is kept.
  function importText(text) {
    var data;
    try {
      data = JSON.parse(text);
      if (!data || data.version !== 1 || typeof data.cards !== "object") throw new Error("this is not a pykb practice file (version 1)");
      Object.keys(data.cards).forEach(function (id) {
        try { S.fromJSON(data.cards[id].state); } catch (e) { throw new Error("card " + id + ": " + e.message); }
      });
    } catch (e) {
      say("Nothing imported: " + e.message + ".");
      return;
    }
    Object.keys(data.cards).forEach(function (id) { store.cards[id] = data.cards[id]; });
    save();
    renderProgress();
    say("Imported " + cards(Object.keys(data.cards).length) + ".");
  }

  // The cards of the topic, or of each page added to "my practice" (at most 50).
  function cardsToPractise() {
    var get = function (query) {
      return fetch("/api/practice" + query, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { cards: [] }; });
    };
    if (!root.hasAttribute("data-mine")) return get(window.location.search);
    var added = (store.added || []).slice(0, 50);
    return Promise.all(added.map(function (slug) { return get("?article=" + encodeURIComponent(slug)); }))
      .then(function (all) { return { cards: [].concat.apply([], all.map(function (d) { return d.cards; })) }; });
  }

  renderProgress();
  cardsToPractise()
    .then(function (data) {
      if (!data) throw new Error("no cards");
      var now = new Date();
      var reviews = [];
      var fresh = [];
      data.cards.forEach(function (card) {
        var entry = store.cards[card.id];
        if (!entry) fresh.push(card);
        else if (S.isDue(entry.state, now)) reviews.push(card);
      });
      queue = reviews.concat(fresh.slice(0, NEW_PER_SESSION));
      show();
    })
    .catch(function () {
      document.documentElement.classList.remove("practising");
      session.remove();
    });
})();
