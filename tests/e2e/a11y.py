"""The accessibility smoke check that runs inside a page (``page.evaluate``).

``CHECK`` returns a list of problems, each ``"<element>: <what is wrong>"``; an empty list
passes. ``FOCUS_STATE`` describes the focused element for the keyboard checks.
"""

CHECK = r"""
() => {
  const FIELDS = "input:not([type=hidden]):not([type=submit]):not([type=button])"
    + ":not([type=reset]):not([type=image]), select, textarea";
  const CONTROLS = "button, a[href], [role=button], summary, input[type=submit],"
    + " input[type=button], input[type=reset], input[type=image]";
  // What static/js/*.js and htmx make clickable besides native links, buttons and fields.
  const HOOKS = "[role=button], [onclick], [data-theme-toggle], [data-dialog-open],"
    + " [data-dialog-close], [data-clear], [data-goto-line], [data-confirm], [data-action],"
    + " [hx-get]:not(form):not([hx-trigger]), [hx-post]:not(form):not([hx-trigger])";
  const problems = [];
  const report = (el, what) => problems.push(describe(el) + ": " + what);
  const all = (selector, check) => document.querySelectorAll(selector).forEach(check);

  function describe(el) {
    let text = el.tagName.toLowerCase();
    const name = el.getAttribute("name"), classes = String(el.className || "").trim();
    if (el.id) text += "#" + el.id;
    else if (name) text += "[name=" + name + "]";
    else if (classes) text += "." + classes.split(/\s+/).join(".");
    const words = (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 40);
    return words ? text + ' "' + words + '"' : text;
  }
  function inClosedDetails(el) {
    const closed = (node) => node.parentElement
      && node.parentElement.closest("details:not([open])");
    for (let details = closed(el); details; details = closed(details)) {
      const summary = details.querySelector(":scope > summary");
      if (!summary || !summary.contains(el)) return true;
    }
    return false;
  }
  const visible = (el) => el.checkVisibility({ visibilityProperty: true }) && !inClosedDetails(el);
  const hiddenFromAll = (el) => el.closest("[aria-hidden=true]") !== null;
  const attr = (el, name) => (el.getAttribute(name) || "").trim();
  // Text as a screen reader reads it: no aria-hidden parts, images by their alt text.
  function spoken(el, skip) {
    const copy = el.cloneNode(true);
    copy.querySelectorAll("[aria-hidden=true]" + (skip ? ", " + skip : ""))
      .forEach((node) => node.remove());
    copy.querySelectorAll("img[alt]").forEach((img) => img.replaceWith(img.getAttribute("alt")));
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  function labelledBy(el) {
    const ids = attr(el, "aria-labelledby").split(/\s+/).filter(Boolean);
    const nodes = ids.map((id) => document.getElementById(id));
    return nodes.map((node) => (node ? spoken(node) : "")).join(" ").trim();
  }
  function fieldName(el) {
    const labels = Array.from(el.labels || []).map((l) => spoken(l, "input, select, textarea"));
    return labelledBy(el) || attr(el, "aria-label") || labels.join(" ").trim()
      || attr(el, "title");
  }

  all(FIELDS, (el) => {
    if (visible(el) && !hiddenFromAll(el) && !fieldName(el)) {
      report(el, "form field without a label");
    }
  });
  all(CONTROLS, (el) => {
    if (!visible(el) || hiddenFromAll(el)) return;
    if (labelledBy(el) || attr(el, "aria-label")) return;
    const text = el.matches("input") ? (el.value || attr(el, "alt")) : spoken(el);
    if (!text && !attr(el, "title")) report(el, "control without an accessible name");
    else if (text && !/[\p{L}\p{N}]/u.test(text)) report(el, "icon-only control needs aria-label");
  });
  all(FIELDS + ", " + CONTROLS, (el) => {
    if (!visible(el)) return;
    const tabindex = el.getAttribute("tabindex");
    if (hiddenFromAll(el)) {
      if (el.tabIndex >= 0 && !el.disabled) report(el, "aria-hidden but reachable with Tab");
    } else if (tabindex !== null && Number(tabindex) < 0) {
      report(el, "tabindex=" + tabindex + " keeps it out of the Tab order");
    }
  });
  all(HOOKS, (el) => {
    if (visible(el) && !hiddenFromAll(el) && el.tabIndex < 0) {
      report(el, "clickable but not reachable with Tab (use a button or tabindex=0)");
    }
  });
  all("img", (el) => { if (!el.hasAttribute("alt")) report(el, "image without alt"); });
  all("span[aria-label], div[aria-label], p[aria-label], pre[aria-label]", (el) => {
    if (!el.hasAttribute("role")) report(el, "aria-label on an element without a role is not read");
  });
  all("[role=img]", (el) => {
    if (!attr(el, "aria-label") && !labelledBy(el)) report(el, "role=img without aria-label");
  });
  all("label[for], [aria-labelledby], [aria-describedby]", (el) => {
    const refs = attr(el, "for") + " " + attr(el, "aria-labelledby") + " "
      + attr(el, "aria-describedby");
    refs.split(/\s+/).filter(Boolean).forEach((id) => {
      if (!document.getElementById(id)) report(el, "refers to a missing id " + id);
    });
  });
  const seen = {};
  all("[id]", (el) => { seen[el.id] = (seen[el.id] || 0) + 1; });
  Object.entries(seen).forEach(([id, count]) => {
    if (count > 1) problems.push("#" + id + ": id used " + count + " times, labels may miss");
  });
  return problems;
}
"""

FOCUS_STATE = r"""
() => {
  const el = document.activeElement;
  // Switches hide their checkbox (opacity 0) and draw the focus ring on the track beside it.
  const hidden = getComputedStyle(el).opacity === "0" && el.nextElementSibling;
  const style = getComputedStyle(hidden ? el.nextElementSibling : el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const box = el.getBoundingClientRect();
  const words = (el.getAttribute("aria-label") || el.textContent || "").replace(/\s+/g, " ");
  return {
    element: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " "
      + words.trim().slice(0, 40),
    testid: el.dataset.testid || "",
    action: el.dataset.action || "",
    indicator: el.matches(":focus-visible") && (outline || style.boxShadow !== "none"),
    onscreen: box.width > 0 && box.height > 0,
  };
}
"""
