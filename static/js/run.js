// The live run page: applies run events in seq order (duplicates dropped, gaps fetched over
// HTTP) by asking the server for the rows they change (a step, the log lines after the last
// one shown, the artifacts), shows browser frames with click-through, and keeps the controls
// in step with the run.
(function () {
  "use strict";
  var LIVE = ["queued", "running", "paused"];
  var CATCH_UP_MS = 5000;
  var LABELS = { error: "Error (infrastructure)" };
  var config, state, refreshLog, refreshArtifacts;

  function $(id) { return document.getElementById(id); }
  function label(status) { return LABELS[status] || status.charAt(0).toUpperCase() + status.slice(1); }
  function setBadge(element, status) {
    element.className = element.className.replace(/\bstatus-[a-z]+/g, "").trim() + " status-" + status;
    element.textContent = label(status);
  }

  // Events in order -----------------------------------------------------------------------------
  function receive(event) {
    state.heardAt = Date.now();
    if (event.seq <= state.lastSeq) return;
    state.pending[event.seq] = event;
    if (event.seq > state.lastSeq + 1) fillGap(); else drain();
  }

  function drain() {
    while (!state.syncing && state.pending[state.lastSeq + 1]) {
      var event = state.pending[state.lastSeq + 1];
      delete state.pending[event.seq];
      state.lastSeq = event.seq;
      apply(event);
    }
  }

  function fillGap() {
    if (state.syncing) return;
    state.syncing = true;
    fetch(config.api + "events/?after=" + state.lastSeq, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (events) {
        events.forEach(function (event) {
          if (event.seq <= state.lastSeq) return;
          state.lastSeq = event.seq;
          apply(event);
        });
        Object.keys(state.pending).forEach(function (seq) { if (+seq <= state.lastSeq) delete state.pending[seq]; });
        state.syncing = false;
        drain();
        if (events.length >= 1000 || Object.keys(state.pending).length) setTimeout(fillGap, events.length >= 1000 ? 0 : 500);
      })
      .catch(function () { state.syncing = false; setTimeout(fillGap, 2000); });
  }

  function apply(event) {
    var payload = event.payload || {};
    if (event.type === "execution.status" || event.type === "execution.finished") {
      state.pauseRequested = false;
      setStatus(payload.status, payload.reason, event);
    } else if (event.type === "step.status") {
      refreshStep(payload.path);
      if (payload.path === state.debugPath && payload.status === "failed") loadDebugPanel();
    } else if (event.type === "log") {
      refreshLog();
    } else if (event.type === "control") {
      refreshLog();
      onControl(payload);
    } else if (event.type === "artifact.created") {
      refreshArtifacts();
      if (payload.path) refreshStep(payload.path);
    } else if (event.type === "debug.context") {
      state.debugPath = payload.path;
    }
  }

  // Status, controls, duration -------------------------------------------------------------------
  function setStatus(status, reason, event) {
    state.status = status;
    setBadge($("run-status"), status);
    $("run").dataset.status = status;
    var reasonElement = $("run-reason");
    reasonElement.textContent = reason || "";
    reasonElement.hidden = !reason;
    var duration = $("run-duration");
    if (status === "running" && !state.startedAt) state.startedAt = event.created_at;
    if (state.startedAt && LIVE.indexOf(status) >= 0) duration.dataset.tickStart = state.startedAt;
    if (event.type === "execution.finished") {
      delete duration.dataset.tickStart;
      if (state.startedAt) duration.textContent = Portal.formatDuration((Date.parse(event.created_at) - Date.parse(state.startedAt)) / 1000);
      if (state.socket) state.socket.stop("Run ended");
      $("frame-placeholder").textContent = "The run has ended: no live view.";
      clearTimeout(state.frameTimer);
      $("frame-state").textContent = $("live-frame").hidden ? "No frames" : "Last frame";
      if (!state.startedAt) duration.textContent = "—";
    }
    updateControls();
  }

  function updateControls() {
    var status = state.status, live = LIVE.indexOf(status) >= 0;
    var active = status === "running" || status === "paused";
    var paused = status === "paused" || state.pauseRequested;
    var buttons = document.querySelectorAll("#run button[data-action]");
    buttons.forEach(function (button) { delete button.dataset.busy; });
    function set(action, disabled, hidden) {
      var button = document.querySelector('#run button[data-action="' + action + '"]');
      if (!button) return;
      button.disabled = disabled;
      button.hidden = !!hidden;
    }
    set("pause", status !== "running" || state.pauseRequested, paused);
    set("resume", !paused, !paused);
    set("skip", !active);
    set("skip-back", !active);
    set("cancel", !live);
    var toggle = $("debug-switch");
    if (toggle) toggle.disabled = !live;
    document.querySelectorAll("#debug-panel .debug-actions").forEach(function (group) { group.hidden = status !== "paused"; });
    var box = $("frame-box");
    if (box) box.classList.toggle("interactive", config.canControl && active);
  }

  function onControl(payload) {
    if (payload.command === "pause") state.pauseRequested = true;
    if (payload.command === "resume" || payload.command === "skip" || payload.command === "skip_back") state.pauseRequested = false;
    if (payload.command === "debug") setDebug(payload.enabled);
    updateControls();
  }

  // The panel is rendered by the server once the failed step is stored (its step.status event).
  function loadDebugPanel() {
    state.debugPath = null;
    htmx.ajax("GET", config.debugPanel, { target: "#debug-panel", swap: "innerHTML" });
  }

  function setDebug(enabled) {
    var toggle = $("debug-switch");
    if (toggle) toggle.checked = !!enabled;
    $("debug-chip").hidden = !enabled;
  }

  // Rows: rendered by the server, asked for again when an event says they changed ---------
  // One request per row at a time: an event arriving meanwhile asks again once it lands, so
  // a slow answer never overwrites a newer one. A failed request is tried again unless the
  // server refused it (a 4xx answer stays one).
  function coalesced(load) {
    var busy = false, again = false;
    function run() {
      if (busy) { again = true; return; }
      busy = true;
      again = false;
      load().then(function (more) {
        busy = false;
        if (again || more) run();
      }, function (error) {
        busy = false;
        if (!(error.status >= 400 && error.status < 500)) setTimeout(run, 2000);
      });
    }
    return run;
  }

  function fetchRows(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.ok) return response.text();
        var error = new Error("HTTP " + response.status);
        error.status = response.status;
        throw error;
      })
      .then(function (html) {
        // Parsed inert (nothing in it loads or runs) until it is placed in the page.
        var parsed = document.createElement("template");
        parsed.innerHTML = html;
        return parsed.content;
      });
  }

  function comparePaths(a, b) {
    var left = a.split(".").map(Number), right = b.split(".").map(Number);
    for (var i = 0; i < Math.min(left.length, right.length); i++) if (left[i] !== right[i]) return left[i] - right[i];
    return left.length - right.length;
  }

  function refreshStep(path) {
    if (!state.steps[path]) {
      state.steps[path] = coalesced(function () {
        return fetchRows(config.steps + encodeURIComponent(path) + "/").then(placeStep);
      });
    }
    state.steps[path]();
  }

  // A known step's row is replaced; a new one (a child playbook's step) goes in path order.
  function placeStep(rows) {
    var fresh = rows.firstElementChild, list = $("steps"), path = fresh.dataset.path;
    var row = list.querySelector('li[data-path="' + CSS.escape(path) + '"]');
    if (row) {
      fresh.querySelector(".step-outputs").open = row.querySelector(".step-outputs").open;
      row.replaceWith(fresh);
    } else {
      var after = Array.prototype.find.call(list.children, function (other) { return comparePaths(other.dataset.path, path) > 0; });
      list.insertBefore(fresh, after || null);
    }
    enhanceJson(fresh);
    var panel = document.querySelector('#debug-panel .debug-panel[data-path="' + CSS.escape(path) + '"]');
    if (panel && (fresh.dataset.status === "running" || fresh.dataset.status === "completed")) panel.remove();
    showProgress();
  }

  function showProgress() {
    var rows = document.querySelectorAll("#steps > li"), top = 0, done = 0, current = null;
    rows.forEach(function (row) {
      if (row.dataset.status === "running") current = row;
      if (row.dataset.path.indexOf(".") >= 0) return;
      top += 1;
      if (row.dataset.status === "completed" || row.dataset.status === "skipped") done += 1;
    });
    var percent = top ? Math.round((100 * done) / top) : 0;
    $("progress").setAttribute("aria-valuenow", percent);
    $("progress").firstElementChild.style.width = percent + "%";
    $("progress-text").textContent = done + " of " + top + " steps done · " + percent + "%";
    $("current-step").textContent = current ? "Running: " + current.querySelector(".step-name").textContent : "";
  }

  // The log lines after the last one shown, a page at a time (a full page: ask again).
  function loadLog() {
    return fetchRows(config.log + "?after=" + state.logSeq).then(function (rows) {
      var log = $("log"), lines = rows.children.length;
      var atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
      if (lines) state.logSeq = +rows.lastElementChild.dataset.seq;
      log.appendChild(rows);
      if (lines) $("log-empty").hidden = true;
      if (atBottom) log.scrollTop = log.scrollHeight;
      return lines >= config.logPage;
    });
  }

  function loadArtifacts() {
    return fetchRows(config.artifacts).then(function (rows) {
      $("run-artifacts").replaceWith(rows);
    });
  }

  // JSON viewer: collapsible nodes, first level open ------------------------------------------
  function jsonTree(value, depth) {
    if (value === null || typeof value !== "object") {
      var leaf = document.createElement("span");
      leaf.className = "json-" + (value === null ? "null" : typeof value);
      leaf.textContent = JSON.stringify(value);
      return leaf;
    }
    var keys = Object.keys(value), node = document.createElement("details");
    node.className = depth ? "json-node" : "json-tree";
    node.open = depth < 1;
    var summary = document.createElement("summary");
    summary.textContent = Array.isArray(value) ? "[" + keys.length + " items]" : "{" + keys.length + " keys}";
    node.appendChild(summary);
    var list = document.createElement("ul");
    keys.forEach(function (key) {
      var item = document.createElement("li"), name = document.createElement("span");
      name.className = "json-key";
      name.textContent = key + ": ";
      item.appendChild(name);
      item.appendChild(jsonTree(value[key], depth + 1));
      list.appendChild(item);
    });
    node.appendChild(list);
    return node;
  }

  function enhanceJson(root) {
    root.querySelectorAll("pre[data-json]").forEach(function (pre) {
      if (!pre.textContent.trim()) return;
      try { pre.replaceWith(jsonTree(JSON.parse(pre.textContent), 0)); } catch (error) { /* keep the text */ }
    });
  }

  // Live browser view with click-through -----------------------------------------------------
  function showFrame(frame) {
    var image = $("live-frame");
    image.src = "data:image/jpeg;base64," + frame.data;
    image.hidden = false;
    $("frame-placeholder").hidden = true;
    if (frame.width) state.frame = { width: frame.width, height: frame.height };
    $("frame-state").textContent = "Live · 2 FPS";
    clearTimeout(state.frameTimer);
    state.frameTimer = setTimeout(function () { $("frame-state").textContent = "Last frame"; }, 5000);
  }

  function clickThrough(event) {
    var image = $("live-frame"), box = $("frame-box");
    if (!box.classList.contains("interactive")) return;
    var rect = image.getBoundingClientRect();
    var width = state.frame.width || image.naturalWidth, height = state.frame.height || image.naturalHeight;
    var x = Math.round(((event.clientX - rect.left) * width) / rect.width);
    var y = Math.round(((event.clientY - rect.top) * height) / rect.height);
    var marker = $("click-marker");
    marker.style.left = event.clientX - box.getBoundingClientRect().left + "px";
    marker.style.top = event.clientY - box.getBoundingClientRect().top + "px";
    marker.hidden = false;
    marker.classList.remove("ripple");
    void marker.offsetWidth;
    marker.classList.add("ripple");
    Portal.post(config.api + "command/", { command: "browser.click", x: x, y: y })
      .then(function () { $("click-info").textContent = "Clicked the page at " + x + ", " + y + "."; })
      .catch(function (error) { Portal.toast(error.message, "error"); });
  }

  // Start -------------------------------------------------------------------------------------
  function start() {
    config = JSON.parse($("run-config").textContent);
    state = { status: config.status, lastSeq: config.lastSeq, logSeq: config.lastSeq, steps: {}, pending: {}, syncing: false, pauseRequested: false, startedAt: config.startedAt, frame: {} };
    refreshLog = coalesced(loadLog);
    refreshArtifacts = coalesced(loadArtifacts);
    enhanceJson(document);
    document.body.addEventListener("htmx:afterSwap", function (event) { enhanceJson(event.target); updateControls(); });
    $("log-level").addEventListener("change", function (event) { $("log").dataset.min = event.target.value; });
    $("live-frame").addEventListener("click", clickThrough);
    var toggle = $("debug-switch");
    if (toggle) {
      toggle.addEventListener("change", function () {
        toggle.disabled = true;
        Portal.post(config.api + "debug/", { enabled: toggle.checked })
          .catch(function (error) { toggle.checked = !toggle.checked; Portal.toast(error.message, "error"); })
          .finally(function () { toggle.disabled = LIVE.indexOf(state.status) < 0; });
      });
    }
    updateControls();
    showProgress();
    if (!config.live) return;
    state.socket = Portal.liveSocket(config.socket, {
      indicator: $("connection"),
      onMessage: function (message) {
        if (message.type === "snapshot") {
          if (message.last_seq > state.lastSeq) fillGap();
        } else if (message.type === "frame") {
          showFrame(message);
        } else if (typeof message.seq === "number") {
          receive(message);
        }
      },
    });
    setInterval(function () { state.socket.send({ type: "ping" }); }, 20000);
    // Channel layers deliver at most once: a quiet live run is checked against the stored
    // events now and then, so even a lost last event (e.g. the end of the run) is recovered.
    state.heardAt = Date.now();
    setInterval(function () {
      if (LIVE.indexOf(state.status) >= 0 && Date.now() - state.heardAt > CATCH_UP_MS) {
        state.heardAt = Date.now();
        fillGap();
      }
    }, 1000);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
