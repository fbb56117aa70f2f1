// Results as you type, under every search box: an ARIA 1.2 combobox whose listbox shows the
// best results for what is typed so far (from /api/suggest: pages and sections, the last
// word matched as a prefix, typos tolerated). ↑/↓ move, Enter opens the highlighted result
// (or, with none highlighted, submits the form to /search as without JavaScript), Esc closes,
// "/" and Ctrl/⌘-K focus the box. Opening a result reports its position to
// /api/search/click (no cookie, nothing about the reader), for the editors' search report.
(function () {
  "use strict";

  var DEBOUNCE_MS = 120;

  function pathOf(url) {
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.pathname + parsed.hash;
    } catch (e) {
      return url;
    }
  }

  function report(query, slug, position, from) {
    if (!navigator.sendBeacon) return;
    var body = JSON.stringify({ q: query, slug: slug, position: position, from: from });
    navigator.sendBeacon("/api/search/click", new Blob([body], { type: "text/plain" }));
  }

  function enhance(form, n) {
    var input = form.querySelector("input[type=search]");
    if (!input) return;
    input.removeAttribute("list");
    var listId = "search-results-" + n;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Results as you type");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var hint = document.createElement("kbd");
    hint.className = "search-hint";
    hint.textContent = "/";
    hint.title = "Press / or Ctrl+K to search";
    hint.setAttribute("aria-hidden", "true");
    form.classList.add("has-suggest");
    input.insertAdjacentElement("afterend", hint);
    form.appendChild(list);
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-keyshortcuts", "/ Control+K Meta+K");

    var items = [];
    var active = -1;
    var shownFor = "";
    var timer = null;
    var pending = null;

    function open() {
      if (!items.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      highlight(-1);
    }

    function highlight(i) {
      active = i;
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, at) {
        option.setAttribute("aria-selected", at === i ? "true" : "false");
      });
      if (i >= 0 && options[i]) {
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(i) {
      var item = items[i];
      if (!item) return;
      if (item.slug) report(shownFor, item.slug, i + 1, "suggest");
      window.location.assign(item.href);
    }

    function option(i, item) {
      var li = document.createElement("li");
      li.id = listId + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.className = "suggest-option";
      var title = document.createElement("span");
      title.className = "suggest-title";
      title.textContent = item.title;
      li.appendChild(title);
      if (item.section) {
        var section = document.createElement("span");
        section.className = "suggest-section";
        section.textContent = "› " + item.section;
        li.appendChild(section);
      }
      if (item.snippet) {
        var snippet = document.createElement("span");
        snippet.className = "suggest-snippet";
        // Escaped by the server, with <mark> around the matches and nothing else.
        snippet.innerHTML = item.snippet;
        li.appendChild(snippet);
      }
      li.addEventListener("mousedown", function (event) { event.preventDefault(); });
      li.addEventListener("click", function () { go(i); });
      return li;
    }

    function show(query, suggestions) {
      shownFor = query;
      items = suggestions.map(function (s) {
        return {
          slug: s.slug,
          title: s.title,
          section: s.section ? s.section.title : "",
          snippet: s.snippet || "",
          href: pathOf(s.url)
        };
      });
      items.push({
        slug: "",
        title: suggestions.length ? "All results for “" + query + "”" : "No quick matches: search for “" + query + "”",
        section: "",
        snippet: "",
        href: "/search?q=" + encodeURIComponent(query)
      });
      list.replaceChildren.apply(list, items.map(function (item, i) { return option(i, item); }));
      status.textContent = suggestions.length
        ? suggestions.length + (suggestions.length === 1 ? " result" : " results") + ", ↓ to choose"
        : "No quick matches";
      highlight(-1);
      if (document.activeElement === input) open();
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < 2) {
        items = [];
        close();
        return;
      }
      if (pending) pending.abort();
      pending = new AbortController();
      fetch("/api/suggest?q=" + encodeURIComponent(input.value.slice(0, 200)), {
        headers: { Accept: "application/json" },
        signal: pending.signal
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && input.value.trim() === query) show(query, data.suggestions || []);
        })
        .catch(function () { /* a comfort only: the form still searches */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) open();
        else highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!list.hidden) highlight(Math.max(active - 1, -1));
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          go(active);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          items = [];
        }
      }
    });

    input.addEventListener("focus", function () {
      if (items.length && input.value.trim() === shownFor) open();
    });
    input.addEventListener("blur", function () { close(); });
  }

  document.querySelectorAll("form[role=search]").forEach(enhance);

  // On the results page, opening a result reports its position too.
  var results = document.querySelector(".results");
  var searched = document.getElementById("page-search");
  if (results && searched && searched.value.trim()) {
    results.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-position]");
      if (link) report(searched.value.trim(), link.dataset.slug, Number(link.dataset.position), "results");
    });
  }

  // "/" (when not typing elsewhere) and Ctrl/⌘-K focus the page's search box.
  document.addEventListener("keydown", function (event) {
    var slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey;
    var k = (event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "k" || event.key === "K");
    if (!slash && !k) return;
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName));
    if (slash && typing) return;
    var box = document.getElementById("page-search") || document.getElementById("site-search");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });
})();
