/* Kent map editor, part 2 of 3: the attribute form. The layer description from the API lists the
   fields (name, title, type, enum, required, readonly, create_only); an enum becomes a select,
   numbers a number input, arrays and objects JSON text. Reading the form back gives typed values,
   or an error naming the field. */
(function () {
  "use strict";

  const { T, el, fmt, make, api } = window.KentEditor;

  function inputFor(a, value) {
    if (Array.isArray(a.enum)) {   // option values are JSON, so numeric choices stay numbers
      const select = make("select", {}, new Option(T.choose, ""), ...a.enum.map((v) => new Option(String(v), JSON.stringify(v))));
      select.value = value == null ? "" : JSON.stringify(value);
      return select;
    }
    if (a.type === "boolean") return make("input", { type: "checkbox", checked: value === true });
    if (a.type === "array" || a.type === "object") {
      return make("textarea", { rows: 3, value: value == null ? "" : JSON.stringify(value) });
    }
    const numeric = a.type === "integer" || a.type === "number";
    return make("input", { type: numeric ? "number" : "text", value: value == null ? "" : String(value),
                           ...(numeric ? { step: a.type === "integer" ? "1" : "any" } : {}) });
  }

  function fieldFor(a, value, readonly) {
    const id = "kent-attr-" + a.name;
    const input = Object.assign(inputFor(a, value), { id, name: a.name, required: !!a.required, disabled: readonly });
    input.dataset.testid = "attr-" + a.name;
    if (a.required) input.setAttribute("aria-required", "true");
    const label = make("label", { htmlFor: id }, a.title);
    if (a.required) label.append(make("span", { className: "kent-req" }, " *"));
    const wrap = make("div", { className: "kent-field" }, label, input);
    if (a.description) {
      wrap.append(make("p", { id: id + "-hint", className: "kent-muted" }, a.description));
      input.setAttribute("aria-describedby", id + "-hint");
    }
    return wrap;
  }

  // a read-only list the backend serves (widget "list"): the value is its JSON URL, answering
  // {items: [{label}], page, page_label}; read() skips it, having no input of that name
  function listFor(a, url) {
    const list = make("ul", { className: "kent-muted" });
    const wrap = make("div", { className: "kent-field" }, make("span", {}, a.title), list);
    wrap.dataset.testid = "attr-" + a.name;
    if (!url) { list.append(make("li", {}, "—")); return wrap; }
    api("GET", url).then((data) => {
      list.replaceChildren(...(data.items.length ? data.items.map((i) => make("li", {}, i.label)) : [make("li", {}, "—")]));
      if (data.page) wrap.append(make("a", { href: data.page, target: "_blank", rel: "noopener" }, data.page_label || data.page));
    }).catch((err) => list.replaceChildren(make("li", {}, err.message)));
    return wrap;
  }

  // the fields of one row; `existing` rows keep their create-only fields (an asset's id) fixed
  function render(attributes, props, editable, existing) {
    el("kent-attr-fields").replaceChildren(...attributes.map((a) => a.widget === "list" ? listFor(a, props[a.name]) :
      fieldFor(a, props[a.name], !editable || a.readonly || (existing && a.create_only))));
  }

  function read(attributes) {
    const out = {};
    for (const a of attributes) {
      const input = el("kent-attr-" + a.name);
      if (!input) continue;
      if (a.type === "boolean" && !Array.isArray(a.enum)) { out[a.name] = input.checked; continue; }
      const raw = input.value.trim();
      if (raw === "") { out[a.name] = null; continue; }
      if (Array.isArray(a.enum) || a.type === "array" || a.type === "object") {
        try { out[a.name] = JSON.parse(raw); } catch (err) { throw new Error(fmt(T.badJson, { name: a.title })); }
      } else if (a.type === "integer" || a.type === "number") {
        const n = Number(raw);
        if (!Number.isFinite(n)) throw new Error(fmt(T.badNumber, { name: a.title }));
        out[a.name] = n;
      } else {
        out[a.name] = raw;
      }
    }
    return out;
  }

  // fields the API named as missing or invalid get marked, and the first one the focus
  function markInvalid(names) {
    for (const input of el("kent-attr-fields").querySelectorAll("[name]")) {
      const bad = names.includes(input.name);
      input.classList.toggle("kent-invalid", bad);
      if (bad) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    }
    const first = names.length ? el("kent-attr-" + names[0]) : null;
    if (first) first.focus();
  }

  window.KentEditor.form = { render, read, markInvalid };
})();
