// Comfort for the admin form; everything works without it.
// - Preview updates in place: the Preview button posts the form to /admin/preview as it would
//   without JavaScript, and the preview section of the answer replaces ours, so the editor
//   keeps their place, their undo history and their unsaved text.
// - Leaving the form with unsaved changes asks first.
// - Ctrl+S (Cmd+S on a Mac) saves.
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
})();
