// The reader's theme: light, dark, or the system's (the default, and all there is without
// JavaScript). Loaded in <head> without `defer` so the chosen theme is on the root element
// before the page is painted (no flash of the other theme); it is tiny and cached for a year.
// The choice is kept in localStorage and never sent to the server, so cached pages stay the
// same for everyone.
(function () {
  "use strict";
  var KEY = "pykb-theme";
  var root = document.documentElement;

  function apply(theme) {
    if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);
    else root.removeAttribute("data-theme");
  }

  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }

  apply(stored());
  // For styles that must know before the first paint that site.js will run (the folded
  // table of contents on phones, which would otherwise jump when it folds).
  root.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("select[data-theme-switch]");
    if (!select) return;
    var theme = stored();
    select.value = theme === "light" || theme === "dark" ? theme : "system";
    var label = select.closest(".theme-switch");
    if (label) label.hidden = false;
    select.addEventListener("change", function () {
      try {
        if (select.value === "system") localStorage.removeItem(KEY);
        else localStorage.setItem(KEY, select.value);
      } catch (e) { /* private mode: the choice lasts for this page only */ }
      apply(select.value);
    });
  });
})();
