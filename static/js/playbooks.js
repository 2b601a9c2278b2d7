// Playbooks, credentials and gateways pages: dialogs, remembered sections, the YAML editor.
(function () {
  "use strict";

  // Form errors (422) and a refused launch (429) come back with the re-rendered form: swap
  // them in like a 200.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "422", swap: true },
    { code: "429", swap: true },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false },
  ];
  htmx.config.reportValidityOfForms = true;

  document.addEventListener("click", function (event) {
    var asking = event.target.closest("[data-confirm]");
    if (asking && !window.confirm(asking.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    var opener = event.target.closest("[data-dialog-open]");
    if (opener) document.getElementById(opener.dataset.dialogOpen).showModal();
    var closer = event.target.closest("[data-dialog-close]");
    if (closer && closer.closest("dialog")) closer.closest("dialog").close();
    var clearer = event.target.closest("[data-clear]");
    if (clearer) document.querySelector(clearer.dataset.clear).replaceChildren();
    var goto = event.target.closest("[data-goto-line]");
    if (goto) gotoLine(Number(goto.dataset.gotoLine), Number(goto.dataset.gotoColumn || 1));
  });

  // A fragment loaded into a closed dialog (Run, Edit step) opens it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = event.detail.target.closest && event.detail.target.closest("dialog");
    if (dialog && !dialog.open) dialog.showModal();
    if (event.detail.target.id === "yaml-issues") renderGutter();
  });

  // <details data-remember="key"> keeps its open/closed state per browser.
  function restoreDetails(root) {
    root.querySelectorAll("details[data-remember]").forEach(function (details) {
      var stored = localStorage.getItem("details:" + details.dataset.remember);
      if (stored !== null) details.open = stored === "1";
    });
  }
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.dataset && details.dataset.remember) {
      localStorage.setItem("details:" + details.dataset.remember, details.open ? "1" : "0");
    }
  }, true);
  document.addEventListener("htmx:afterSettle", function (event) { restoreDetails(event.detail.elt); });

  // YAML editor: line numbers, lines with problems marked, click a problem to jump there.
  function editorParts() {
    var editor = document.querySelector("[data-yaml-editor]");
    if (!editor) return null;
    return { gutter: editor.querySelector(".gutter"), text: editor.querySelector("textarea") };
  }

  function renderGutter() {
    var parts = editorParts();
    if (!parts) return;
    var bad = {};
    document.querySelectorAll("#yaml-issues [data-line]").forEach(function (item) {
      bad[item.dataset.line] = true;
    });
    var count = parts.text.value.split("\n").length;
    var lines = [];
    for (var i = 1; i <= count; i += 1) {
      lines.push(bad[i] ? '<span class="bad">' + i + "</span>" : String(i));
    }
    parts.gutter.innerHTML = lines.join("\n");
    parts.gutter.scrollTop = parts.text.scrollTop;
  }

  function gotoLine(line, column) {
    var parts = editorParts();
    if (!parts) return;
    var rows = parts.text.value.split("\n");
    var start = 0;
    for (var i = 0; i < line - 1 && i < rows.length; i += 1) start += rows[i].length + 1;
    var end = start + (rows[line - 1] || "").length;
    parts.text.focus();
    parts.text.setSelectionRange(Math.min(start + column - 1, end), end);
    var height = parseFloat(getComputedStyle(parts.text).lineHeight) || 20;
    parts.text.scrollTop = Math.max(0, (line - 4) * height);
  }

  document.addEventListener("input", function (event) {
    if (event.target.closest("[data-yaml-editor]")) renderGutter();
  });
  document.addEventListener("scroll", function (event) {
    var parts = editorParts();
    if (parts && event.target === parts.text) parts.gutter.scrollTop = parts.text.scrollTop;
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    restoreDetails(document);
    renderGutter();
  });
})();
