// Shell behaviour: theme toggle, bar widths and the live health indicator (websocket with backoff).
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-theme-toggle]")) return;
    var next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    localStorage.setItem("theme", next);
  });

  function showHealth(indicator, state, text, components) {
    indicator.dataset.state = state;
    indicator.querySelector(".label").textContent = text;
    indicator.title = text;
    var list = document.getElementById("health-components");
    if (!list || !components) return;
    list.replaceChildren.apply(list, components.map(function (component) {
      var item = document.createElement("li");
      item.className = component.ok ? "ok" : "bad";
      item.textContent = component.name + ": " + component.message;
      return item;
    }));
  }

  function connectHealth(indicator, attempt) {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + indicator.dataset.url);
    var timer = null;
    socket.onopen = function () {
      attempt = 0;
      timer = setInterval(function () { socket.send(JSON.stringify({ type: "refresh" })); }, 30000);
    };
    socket.onmessage = function (message) {
      var data = JSON.parse(message.data);
      if (data.type !== "health.status") return;
      var failing = data.components.filter(function (c) { return !c.ok; }).map(function (c) { return c.name; });
      showHealth(indicator, data.ok ? "ok" : "degraded", data.ok ? "All services up" : "Down: " + failing.join(", "), data.components);
    };
    socket.onclose = function () {
      clearInterval(timer);
      var delay = Math.min(30000, 1000 * Math.pow(2, attempt));
      showHealth(indicator, "disconnected", "Disconnected, retrying in " + Math.round(delay / 1000) + " s");
      setTimeout(function () { connectHealth(indicator, attempt + 1); }, delay);
    };
  }

  // Bars carry their width in data-width: the CSP refuses style attributes in the markup.
  function applyWidths(root) {
    var bars = Array.prototype.slice.call(root.querySelectorAll("[data-width]"));
    if (root.matches("[data-width]")) bars.push(root);
    bars.forEach(function (bar) { bar.style.width = bar.dataset.width + "%"; });
  }
  htmx.onLoad(applyWidths);

  document.addEventListener("DOMContentLoaded", function () {
    var indicator = document.getElementById("health");
    if (indicator) connectHealth(indicator, 0);
  });
})();
