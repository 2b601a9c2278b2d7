// Runs: helpers shared by the run page and the history (window.Portal), and the history page.
// Controls call the API actions (/api/v1/executions/<id>/<action>/) with the CSRF token.
(function () {
  "use strict";

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw new Error(data.detail || "The request failed (HTTP " + response.status + ").");
        return data;
      });
    });
  }

  function toast(message, kind) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var item = document.createElement("div");
    item.className = "toast " + (kind || "info");
    item.setAttribute("role", kind === "error" ? "alert" : "status");
    item.textContent = message;
    box.appendChild(item);
    setTimeout(function () { item.remove(); }, kind === "error" ? 8000 : 4000);
  }

  function formatDuration(seconds) {
    seconds = Math.max(0, seconds);
    if (seconds < 60) return seconds.toFixed(1) + " s";
    var minutes = Math.floor(seconds / 60), rest = Math.floor(seconds % 60);
    if (minutes < 60) return minutes + " m " + String(rest).padStart(2, "0") + " s";
    return Math.floor(minutes / 60) + " h " + String(minutes % 60).padStart(2, "0") + " m";
  }

  // A websocket that reconnects with backoff (1 s, x1.5, at most 30 s) and shows its state.
  function liveSocket(path, options) {
    var attempt = 0, socket = null, stopped = false, timer = null;
    var indicator = options.indicator;
    function show(state, text) {
      if (!indicator) return;
      indicator.dataset.state = state;
      indicator.querySelector(".label").textContent = text;
    }
    function open() {
      show(attempt ? "reconnecting" : "connecting", attempt ? "Reconnecting…" : "Connecting…");
      socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + path);
      socket.onopen = function () { attempt = 0; show("live", "Live"); };
      socket.onmessage = function (message) {
        var data;
        try { data = JSON.parse(message.data); } catch (error) { return; }
        options.onMessage(data);
      };
      socket.onclose = function () {
        if (stopped) return;
        var delay = Math.min(30000, 1000 * Math.pow(1.5, attempt));
        attempt += 1;
        show("reconnecting", "Disconnected, retrying in " + Math.ceil(delay / 1000) + " s");
        timer = setTimeout(open, delay);
      };
    }
    open();
    return {
      send: function (data) { if (socket && socket.readyState === 1) socket.send(JSON.stringify(data)); },
      stop: function (text) { stopped = true; clearTimeout(timer); if (socket) socket.close(); show("ended", text); },
    };
  }

  // Control buttons anywhere: disabled while the request runs (double-click safe).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action][data-api]");
    if (!button || button.disabled) return;
    button.disabled = true;
    button.dataset.busy = "1";
    post(button.dataset.api + button.dataset.action + "/").then(function () {
      document.dispatchEvent(new CustomEvent("portal:control", { detail: { action: button.dataset.action } }));
    }).catch(function (error) {
      delete button.dataset.busy;
      button.disabled = false;
      toast(error.message, "error");
    });
  });

  // Durations that tick: every element with data-tick-start (ISO time) shows the time since.
  setInterval(function () {
    document.querySelectorAll("[data-tick-start]").forEach(function (element) {
      element.textContent = formatDuration((Date.now() - Date.parse(element.dataset.tickStart)) / 1000);
    });
  }, 1000);

  window.Portal = { post: post, toast: toast, formatDuration: formatDuration, liveSocket: liveSocket };

  // The history page --------------------------------------------------------------------------
  function historyPage(table) {
    var selected = new Set(), timer = null;
    var deleteButton = document.getElementById("delete-selected");
    function showSelection() {
      table.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = selected.has(box.value); });
      if (!deleteButton) return;
      document.getElementById("selected-count").textContent = selected.size;
      deleteButton.disabled = selected.size === 0;
    }
    table.addEventListener("change", function (event) {
      var boxes = event.target.id === "select-all" ? table.querySelectorAll("input[name=ids]") : [event.target];
      boxes.forEach(function (box) {
        if (box.name !== "ids") return;
        var on = event.target.id === "select-all" ? event.target.checked : box.checked;
        if (on) selected.add(box.value); else selected.delete(box.value);
      });
      showSelection();
    });
    table.addEventListener("htmx:afterSwap", showSelection);
    var form = document.getElementById("bulk-form");
    form.addEventListener("submit", function (event) {
      var count = selected.size;
      form.querySelectorAll("input[name=ids]").forEach(function (input) { input.remove(); });
      selected.forEach(function (id) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = "ids"; input.value = id;
        form.appendChild(input);
      });
      if (!confirm("Delete " + count + " run" + (count === 1 ? "" : "s") + " and their files? This cannot be undone.")) {
        event.preventDefault();
      }
    });
    function refresh() {
      htmx.ajax("GET", location.pathname + location.search, { target: "#executions-table", swap: "innerHTML" });
    }
    Portal.liveSocket("/ws/executions/", {
      indicator: document.getElementById("connection"),
      onMessage: function (event) {
        var row = table.querySelector('tr[data-execution-id="' + event.execution_id + '"]');
        var status = event.payload && event.payload.status;
        if (row && status) {
          var badge = row.querySelector("[data-role=status]");
          badge.className = "status status-" + status;
          badge.textContent = status.charAt(0).toUpperCase() + status.slice(1);
        }
        clearTimeout(timer);
        timer = setTimeout(refresh, 300);
      },
    });
    document.addEventListener("portal:control", function () { clearTimeout(timer); timer = setTimeout(refresh, 300); });
    // Status messages may be lost (at-most-once delivery): re-read the table while runs are live.
    setInterval(function () {
      if (table.querySelector("tr[data-status=queued], tr[data-status=running], tr[data-status=paused]")) refresh();
    }, 15000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("executions-table");
    if (table) historyPage(table);
  });
})();
