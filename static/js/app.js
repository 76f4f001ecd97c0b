// attest: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Copy buttons: <button data-copy="#target-id" hidden>Copy</button>, shown
  // only when this script runs, since they need it.
  document.querySelectorAll("[data-copy]").forEach(function (b) { b.hidden = false; });
  document.addEventListener("htmx:afterSettle", function (event) {
    event.target.querySelectorAll("[data-copy]").forEach(function (b) { b.hidden = false; });
  });

  // Copy buttons: <button data-copy="#target-id">Copy</button>.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var target = document.querySelector(button.getAttribute("data-copy"));
    if (!target) return;
    var text = target.value !== undefined ? target.value : target.textContent.trim();
    var done = function () {
      var label = button.getAttribute("data-copied-label") || "Copied";
      var original = button.textContent;
      button.textContent = label;
      button.setAttribute("data-copied", "true");
      var live = document.getElementById("copy-status");
      if (live) live.textContent = "Copied to the clipboard";
      window.setTimeout(function () {
        button.textContent = original;
        button.removeAttribute("data-copied");
      }, 2000);
    };
    // Without the asynchronous clipboard (or when the browser denies it),
    // select the text and copy it the old way; it stays selected if even
    // that fails, ready for Ctrl-C.
    var fallback = function () {
      selectText(target);
      try { if (document.execCommand("copy")) done(); } catch (e) { /* text stays selected for manual copy */ }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  });

  function selectText(el) {
    if (el.select) { el.select(); return; }
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  // Connect wizard: a choice may make fields unnecessary (data-hides="a b")
  // and say where the submit button goes (data-submit="..."). Without this
  // script every field shows and the button keeps its default label.
  function applyChoice(form) {
    var chosen = form.querySelector("input[type=radio]:checked[data-hides], input[type=radio]:checked[data-submit]");
    var hides = chosen ? (chosen.getAttribute("data-hides") || "").split(" ") : [];
    form.querySelectorAll("[data-field]").forEach(function (f) {
      f.hidden = hides.indexOf(f.getAttribute("data-field")) >= 0;
    });
    var button = form.querySelector("[data-default-label]");
    if (button) button.textContent = (chosen && chosen.getAttribute("data-submit")) || button.getAttribute("data-default-label");
  }
  document.querySelectorAll("[data-testid=connect-form]").forEach(applyChoice);
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("[data-testid=connect-form]");
    if (form && event.target.type === "radio") applyChoice(form);
  });

  // Confirmation before destructive actions: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Close open <details> menus when clicking elsewhere or pressing Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.user-menu[open], details.switcher[open]").forEach(function (d) {
      if (!d.contains(event.target)) d.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.user-menu[open], details.switcher[open]").forEach(function (d) {
      d.removeAttribute("open");
      var summary = d.querySelector("summary");
      if (summary) summary.focus();
    });
  });

  // A form that must reach a provider by POST (an app manifest):
  // <form data-autosubmit> is sent at once; its button serves without scripts.
  var autosubmit = document.querySelector("form[data-autosubmit]");
  if (autosubmit) autosubmit.submit();
})();
