// perspective.discover_page: evaluated with the root element and {types, exclude, limit}.
// Walks the root's subtree, open shadow roots included, and records every interactive element
// (standard tags, ARIA roles, click handlers, Perspective attributes and ia_* classes).
(root, options) => {
  const TAGS = { button: "button", a: "link", select: "dropdown", textarea: "input" };
  const INPUTS = { checkbox: "checkbox", radio: "radio", range: "slider", button: "button",
    submit: "button", reset: "button" };
  const ROLES = { button: "button", link: "link", switch: "toggle", checkbox: "checkbox",
    combobox: "dropdown", listbox: "dropdown", option: "option", tab: "tab", slider: "slider",
    textbox: "input", searchbox: "input", spinbutton: "input", menuitem: "menuitem",
    radio: "radio" };
  const CLASSES = [["ia_button", "button"], ["ia_dropdown", "dropdown"],
    ["ia_toggle", "toggle"], ["ia_input", "input"], ["ia_textField", "input"],
    ["ia-numeral-input", "input"], ["ia_checkbox", "checkbox"], ["ia_slider", "slider"],
    ["ia_link", "link"], ["ia_tab", "tab"]];
  const COMPONENTS = { "button": "button", "text-field": "input", "text-area": "input",
    "numeric-entry-field": "input", "toggle-switch": "toggle", "dropdown": "dropdown",
    "checkbox": "checkbox", "slider": "slider", "link": "link", "label": "label",
    "tab": "tab", "flex": "container", "coord": "container", "column": "container" };

  for (const selector of options.exclude) {
    try { document.createDocumentFragment().querySelector(selector); } catch (error) {
      return { error: `'${selector}' in exclude_selectors is not a valid CSS selector` };
    }
  }
  const roots = [document];
  const allRoots = (node) => {
    for (const el of node.querySelectorAll("*")) {
      if (el.shadowRoot) { roots.push(el.shadowRoot); allRoots(el.shadowRoot); }
    }
  };
  allRoots(document);
  const unique = (selector) => {
    let count = 0;
    for (const r of roots) { count += r.querySelectorAll(selector).length; }
    return count === 1;
  };
  const quote = (value) => `"${String(value).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  const classList = (el) => Array.from(el.classList);
  const iaClass = (el) => {
    for (const name of classList(el)) {
      if (name.includes("__")) continue;
      for (const [prefix, type] of CLASSES) { if (name.startsWith(prefix)) return type; }
    }
    return null;
  };
  const typeOf = (el) => {
    const tag = el.tagName.toLowerCase();
    if (tag === "input") return INPUTS[(el.getAttribute("type") || "text").toLowerCase()] || "input";
    if (tag === "a" && !el.hasAttribute("href")) return null;
    if (TAGS[tag]) return TAGS[tag];
    const role = ROLES[(el.getAttribute("role") || "").toLowerCase()];
    if (role) return role;
    const ia = iaClass(el);
    if (ia) return ia;
    const kind = el.getAttribute("data-component");
    if (kind) { const last = kind.split(".").pop(); return COMPONENTS[last] || last; }
    if (el.hasAttribute("data-component-path") || el.hasAttribute("data-component-id")) {
      return "component";
    }
    if (el.hasAttribute("onclick") || typeof el.onclick === "function") return "clickable";
    const tabindex = el.getAttribute("tabindex");
    if (tabindex !== null && Number(tabindex) >= 0) return "focusable";
    return null;
  };
  const cssStep = (el) => {
    const tag = el.tagName.toLowerCase();
    const parent = el.parentElement;
    if (!parent) return tag;
    const same = Array.from(parent.children).filter((c) => c.tagName === el.tagName);
    return same.length > 1 ? `${tag}:nth-of-type(${same.indexOf(el) + 1})` : tag;
  };
  const cssPath = (el) => {
    const parts = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      if (node.id && unique(`#${CSS.escape(node.id)}`)) { parts.unshift(`#${CSS.escape(node.id)}`); break; }
      parts.unshift(cssStep(node));
    }
    const host = el.getRootNode().host;
    const inner = parts.join(" > ");
    return host ? `${cssPath(host)} ${inner}` : inner;
  };
  const xpath = (el) => {
    if (el.getRootNode() !== document) return null;
    const parts = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const same = node.parentElement
        ? Array.from(node.parentElement.children).filter((c) => c.tagName === node.tagName) : [node];
      const tag = node.tagName.toLowerCase();
      parts.unshift(same.length > 1 ? `${tag}[${same.indexOf(node) + 1}]` : tag);
    }
    return "/" + parts.join("/");
  };
  const bestSelector = (el) => {
    const tag = el.tagName.toLowerCase();
    const candidates = [];
    if (el.id) candidates.push(`#${CSS.escape(el.id)}`);
    for (const name of ["data-component-path", "data-component-id", "name"]) {
      if (el.hasAttribute(name)) candidates.push(`${tag}[${name}=${quote(el.getAttribute(name))}]`);
    }
    if (el.getAttribute("aria-label")) candidates.push(`${tag}[aria-label=${quote(el.getAttribute("aria-label"))}]`);
    return candidates.find(unique) || cssPath(el);
  };
  const textOf = (el) => (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 200);
  const labelOf = (el) => {
    const byId = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean)
      .map((id) => el.getRootNode().getElementById?.(id) || document.getElementById(id))
      .filter(Boolean).map(textOf).join(" ");
    const labels = el.labels ? Array.from(el.labels).map(textOf).join(" ") : "";
    return byId || labels || el.getAttribute("aria-label") || el.getAttribute("placeholder")
      || el.getAttribute("title") || textOf(el) || null;
  };
  const visible = (el) => {
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return rect.width > 0 && rect.height > 0 && style.visibility !== "hidden"
      && style.display !== "none" && !el.closest("[hidden]");
  };
  const flag = (el, aria, property) => {
    const value = el.getAttribute(aria);
    if (value !== null) return value === "true";
    return property in el && typeof el[property] === "boolean" ? el[property] : null;
  };
  const record = (el, type, index) => {
    const rect = el.getBoundingClientRect();
    const data = {};
    for (const attr of el.attributes) {
      if (attr.name.startsWith("data-")) data[attr.name.slice(5)] = attr.value;
    }
    const path = el.getAttribute("data-component-path");
    return {
      index, type, id: el.id || null, tag: el.tagName.toLowerCase(),
      component_id: el.id || el.getAttribute("data-component-id") || path || `${type}-${index}`,
      class: el.getAttribute("class") || "", selector: bestSelector(el), css_path: cssPath(el),
      xpath: xpath(el), text: textOf(el), label: labelOf(el),
      placeholder: el.getAttribute("placeholder"), title: el.getAttribute("title"),
      aria_label: el.getAttribute("aria-label"), role: el.getAttribute("role"),
      value: typeof el.value === "string" && el.tagName !== "BUTTON" ? el.value : null,
      position: { x: Math.round(rect.x + scrollX), y: Math.round(rect.y + scrollY),
        width: Math.round(rect.width), height: Math.round(rect.height) },
      visible: visible(el), enabled: !el.disabled && el.getAttribute("aria-disabled") !== "true",
      checked: flag(el, "aria-checked", "checked"), expanded: flag(el, "aria-expanded", "open"),
      component_path: path, component_type: el.getAttribute("data-component"),
      data_attributes: data, in_shadow_root: el.getRootNode() !== document,
    };
  };
  const found = [];
  let truncated = false;
  const walk = (node) => {
    for (const el of node.children) {
      if (options.exclude.some((selector) => el.matches(selector))) continue;
      const type = typeOf(el);
      if (type && (!options.types || options.types.includes(type))) {
        if (found.length >= options.limit) { truncated = true; return; }
        found.push(record(el, type, found.length));
      }
      if (el.shadowRoot) walk(el.shadowRoot);
      walk(el);
    }
  };
  if (root.shadowRoot) walk(root.shadowRoot);
  walk(root);
  return { components: found, truncated };
}
