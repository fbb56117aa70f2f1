// Comfort for the admin form; everything works without it.
// - Preview updates in place: the Preview button posts the form to /admin/preview as it would
//   without JavaScript, and the preview section of the answer replaces ours, so the editor
//   keeps their place, their undo history and their unsaved text.
// - Leaving the form with unsaved changes asks first.
// - Ctrl+S (Cmd+S on a Mac) saves.
// - The tags and related fields suggest existing topics and entries for the item being typed
//   (after the last comma); ↓/↑ choose, Enter or Tab takes one, Esc closes.
// - On wide screens the preview sits beside the source and follows the typing (debounced;
//   rendered only: the Preview button also runs the examples).
// - What is typed is sent every few seconds to the form's autosave address (data-autosave),
//   so a closed tab or a crash loses nothing: the form offers it back next time.
(function () {
  "use strict";

  var form = document.getElementById("article-form");
  if (!form) return;
  var preview = document.getElementById("preview");
  var previewBody = document.getElementById("preview-body");
  var previewButton = form.querySelector("button[formaction='/admin/preview']");
  var dirty = false;

  form.addEventListener("input", function () { dirty = true; unsent = true; });

  var unsent = false;
  var autosaveUrl = form.getAttribute("data-autosave");
  if (autosaveUrl && window.fetch && window.URLSearchParams && window.FormData) {
    setInterval(function () {
      if (!unsent) return;
      unsent = false;
      fetch(autosaveUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(new FormData(form)).toString(),
        credentials: "same-origin",
        redirect: "error"
      }).then(function (response) {
        if (!response.ok) unsent = true; // try again at the next tick
      }).catch(function () { unsent = true; });
    }, 3000);
  }
  form.querySelectorAll("input[data-suggest]").forEach(suggestItems);

  // Ctrl+S / Cmd+S saves, as in every editor (the browser would save the page as a file).
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "s" || event.key === "S")) {
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }
  });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  if (!preview || !previewBody || !previewButton || !window.fetch || !window.DOMParser) return;


  // Puts the preview of the answer `html` (the whole admin page) in place of ours.
  function showPreview(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var fresh = page.getElementById("preview-body");
    if (!fresh) throw new Error("no preview in the answer");
    previewBody.replaceChildren.apply(previewBody, Array.prototype.slice.call(fresh.childNodes));
    var problem = page.querySelector(".notice-error");
    var shown = document.getElementById("preview-problem");
    if (shown) shown.remove();
    if (problem) {
      problem.id = "preview-problem";
      preview.insertBefore(document.importNode(problem, true), previewBody);
    }
    preview.hidden = false;
  }

  var wide = window.matchMedia ? window.matchMedia("(min-width: 80rem)") : null;
  var liveTimer = null;
  var liveRequest = null;
  function livePreview() {
    if (!wide || !wide.matches || !window.AbortController) return;
    document.documentElement.classList.add("live-preview");
    if (liveRequest) liveRequest.abort();
    liveRequest = new AbortController();
    fetch("/admin/preview?live=1", {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      signal: liveRequest.signal
    })
      .then(function (response) { return response.text(); })
      .then(showPreview)
      .catch(function () { /* the next keystroke tries again; the button always works */ });
  }
  form.addEventListener("input", function () {
    clearTimeout(liveTimer);
    liveTimer = setTimeout(livePreview, 500);
  });
  livePreview();
  if (wide && wide.addEventListener) {
    wide.addEventListener("change", function () {
      if (wide.matches) livePreview();
      else document.documentElement.classList.remove("live-preview");
    });
  }

  previewButton.addEventListener("click", function (event) {
    event.preventDefault();
    previewButton.disabled = true;
    var body = new URLSearchParams(new FormData(form));
    fetch("/admin/preview", {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        showPreview(html);
        preview.scrollIntoView({ behavior: "smooth", block: "nearest" });
      })
      .catch(function () {
        // Fall back to the plain form submission, which always works.
        form.action = "/admin/preview";
        dirty = false;
        form.submit();
      })
      .finally(function () { previewButton.disabled = false; });
  });

  // A comma-separated field whose last item is completed from `data-suggest` (an ARIA 1.2
  // combobox with a listbox, as the search box).
  function suggestItems(input) {
    if (!window.fetch || !window.AbortController) return;
    var url = input.getAttribute("data-suggest");
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions for " + (input.labels && input.labels[0] ? input.labels[0].textContent : input.name));
    list.hidden = true;
    input.parentNode.classList.add("has-suggest");
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");
    var items = [];
    var active = -1;
    var timer = null;
    var pending = null;

    function parts() {
      var value = input.value;
      var cut = value.lastIndexOf(",");
      return { head: value.slice(0, cut + 1), item: value.slice(cut + 1).trim() };
    }
    function highlight(i) {
      active = i;
      list.querySelectorAll("[role=option]").forEach(function (option, at) {
        option.setAttribute("aria-selected", at === i ? "true" : "false");
      });
      if (i >= 0) input.setAttribute("aria-activedescendant", listId + "-" + i);
      else input.removeAttribute("aria-activedescendant");
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      highlight(-1);
    }
    function take(i) {
      var chosen = items[i];
      if (!chosen) return;
      var head = parts().head;
      input.value = (head ? head.replace(/\s*$/, " ") : "") + chosen.value + ", ";
      show([]);
      dirty = true;
      unsent = true;
    }
    function show(suggestions) {
      items = suggestions;
      list.replaceChildren.apply(list, items.map(function (s, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.className = "suggest-option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = s.label;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { take(i); input.focus(); });
        return li;
      }));
      highlight(-1);
      list.hidden = !items.length;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }
    function ask() {
      var item = parts().item;
      if (!item) { show([]); return; }
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(item.slice(0, 200)), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: pending.signal
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && parts().item === item) show(data.suggestions || []);
        })
        .catch(function () { /* the field is plain text; typing it whole always works */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, -1));
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        take(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  }
})();
