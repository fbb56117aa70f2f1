// Progressive enhancement for the search boxes: title suggestions as you type (from
// /api/suggest, shown through the input's <datalist>), and "/" to focus the search box.
// Everything works the same without this script.
(function () {
  "use strict";

  function attach(input) {
    var list = input.list;
    if (!list) return;
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 2 || q === last) return;
        last = q;
        fetch("/api/suggest?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) {
            if (!data || input.value.trim() !== q) return;
            list.replaceChildren();
            data.suggestions.forEach(function (s) {
              var option = document.createElement("option");
              option.value = s.title;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a comfort; the search itself still works */ });
      }, 150);
    });
  }

  document.querySelectorAll("input[type=search][list]").forEach(attach);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName))) return;
    var box = document.getElementById("page-search") || document.getElementById("site-search");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
})();
