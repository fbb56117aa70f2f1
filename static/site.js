// Progressive enhancement; everything works the same without this script (results as you
// type are search.js):
// - a Copy button on every code block and output block of an article;
// - the table of contents: collapsed on narrow screens, and marking the section being read;
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
