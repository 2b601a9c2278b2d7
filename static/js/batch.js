// The live batch page: one row per gateway. Run status and step events update their row at
// once; when a run ends, a new run appears or the batch's status changes, the rows are
// reloaded from the server (the truth) and the controls follow the batch's status.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("batch-config").textContent);
  var LABELS = { queued: "Queued", running: "Running", paused: "Paused", completed: "Completed", failed: "Failed", cancelled: "Cancelled", error: "Error (infrastructure)" };
  var timer = null, socket = null;

  function row(executionId) {
    return document.querySelector('#batch-rows tr[data-execution-id="' + executionId + '"]');
  }

  function setRowStatus(tr, status) {
    var badge = tr.querySelector("[data-role=status]");
    badge.className = "status status-" + status;
    badge.textContent = LABELS[status] || status;
    tr.dataset.status = status;
  }

  function reload() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(config.rows, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("#batch-rows");
          document.getElementById("batch-rows").replaceWith(fresh);
          showBatch(fresh.dataset.batchStatus);
        })
        .catch(function () { timer = setTimeout(reload, 2000); });
    }, 200);
  }

  function showBatch(status) {
    var badge = document.getElementById("batch-status");
    badge.className = "status status-" + status;
    badge.textContent = LABELS[status] || status;
    document.getElementById("batch").dataset.status = status;
    var cancel = document.getElementById("batch-cancel"), retry = document.getElementById("batch-retry");
    if (cancel) cancel.disabled = status !== "running";
    if (retry) retry.disabled = status === "running" || status === "completed";
    if (status === "running" && !socket) connect();
    if (status !== "running" && socket) { socket.stop("Batch ended"); socket = null; }
  }

  function receive(event) {
    if (event.type === "snapshot" || event.type === "batch.status") { reload(); return; }
    var tr = row(event.execution_id);
    if (!tr) { reload(); return; }
    var payload = event.payload || {};
    if (event.type === "execution.status") { setRowStatus(tr, payload.status); reload(); }
    if (event.type === "step.status" && payload.status === "running") {
      tr.querySelector("[data-role=step]").textContent = payload.name || payload.step_id;
    }
    if (event.type === "execution.finished") { setRowStatus(tr, payload.status); reload(); }
  }

  function connect() {
    socket = Portal.liveSocket(config.socket, { indicator: document.getElementById("connection"), onMessage: receive });
  }

  document.addEventListener("portal:control", function () { reload(); });
  if (config.live) connect();
})();
