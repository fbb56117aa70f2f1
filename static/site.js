// Progressive enhancement; everything works the same without this script (results as you
// type are search.js):
// - a Copy button on every code block and output block of an article;
// - the table of contents: collapsed on narrow screens, and marking the section being read;
// - "Add to my practice" on an answer (kept in this browser for /practice?mine=1);
// - "Edit this page" for a browser where an editor signed in (a non-secret marker cookie, so
//   the cached page is the same for everyone).
(function () {
  "use strict";

  function addCopyButton(block) {
    var pre = block.querySelector(":scope > pre");
    if (!pre || !navigator.clipboard) return;
    var output = block.tagName === "FIGURE";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", output ? "Copy this output" : "Copy this code");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(pre.textContent).then(
        function () { button.textContent = "Copied"; },
        function () { button.textContent = "Press Ctrl+C"; }
      );
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    });
    block.appendChild(button);
  }

  document.querySelectorAll(".prose .code-block, .prose figure.output").forEach(addCopyButton);

  // "Add to my practice" on an answer: its slug joins the pages /practice?mine=1 practises,
  // kept in this browser (the same store as practice.js). Its own scope: the names below
  // would otherwise be shared with the table of contents' code.
  (function addToPractice() {
    var add = document.querySelector("[data-add-practice]");
    var slug = window.location.pathname.replace(/^\/q\//, "").replace(/\/$/, "");
    if (add && window.localStorage && slug) {
      var KEY = "pykb.practice.v1";
      var read = function () {
        try {
          var s = JSON.parse(localStorage.getItem(KEY));
          if (s && s.version === 1 && s.cards) return s;
        } catch (e) { /* a broken store starts again */ }
        return { version: 1, cards: {} };
      };
      var added = function () { return (read().added || []).indexOf(slug) >= 0; };
      var mark = function () {
        if (added()) {
          var link = document.createElement("a");
          link.href = "/practice?mine=1";
          link.textContent = "In my practice: practise now";
          link.setAttribute("data-add-practice", "");
          add.replaceWith(link);
        }
      };
      add.hidden = false;
      add.addEventListener("click", function () {
        var store = read();
        store.added = (store.added || []).filter(function (s) { return s !== slug; });
        store.added.push(slug);
        localStorage.setItem(KEY, JSON.stringify(store));
        mark();
      });
      mark();
    }
  })();

  if (/(?:^|;\s*)pykb_editor=1(?:;|$)/.test(document.cookie)) {
    document.querySelectorAll("[data-edit-link]").forEach(function (link) { link.hidden = false; });
  }

  var toc = document.querySelector(".toc");
  if (toc) {
    var details = toc.querySelector("details");
    var wide = window.matchMedia("(min-width: 75rem)");
    if (details && !wide.matches) details.open = false;
    if (details) details.setAttribute("data-ready", "");
    var links = {};
    toc.querySelectorAll("a[href^='#']").forEach(function (a) {
      links[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
    });
    var headings = Array.prototype.filter.call(
      document.querySelectorAll(".prose h2[id], .prose h3[id]"),
      function (h) { return links[h.id]; }
    );
    var current = null;
    var mark = function () {
      // The last heading above the top fifth of the window is the section being read.
      var line = window.innerHeight / 5;
      var found = headings[0];
      headings.forEach(function (h) { if (h.getBoundingClientRect().top <= line) found = h; });
      var link = found && links[found.id];
      if (link === current) return;
      if (current) current.removeAttribute("aria-current");
      if (link) link.setAttribute("aria-current", "true");
      current = link;
    };
    if (headings.length) {
      var pending = false;
      window.addEventListener("scroll", function () {
        if (pending) return;
        pending = true;
        window.requestAnimationFrame(function () { pending = false; mark(); });
      }, { passive: true });
      mark();
    }
  }
})();
