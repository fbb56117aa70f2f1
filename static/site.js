// Progressive enhancement; everything works the same without this script:
// - title suggestions in the search boxes as you type (from /api/suggest, shown through the
//   input's <datalist>), and "/" to focus the search box;
// - a Copy button on every code block of an article.
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

  function addCopyButton(block) {
    var pre = block.querySelector("pre");
    if (!pre || !navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy this code");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(pre.textContent).then(
        function () { button.textContent = "Copied"; },
        function () { button.textContent = "Press Ctrl+C"; }
      );
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    });
    block.appendChild(button);
  }

  document.querySelectorAll(".prose .code-block").forEach(addCopyButton);
})();
