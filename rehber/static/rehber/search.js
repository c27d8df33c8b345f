// The search box: a WAI-ARIA combobox with suggestions while typing (debounced), arrow keys to
// move, Enter to pick, Esc to close. Suggestions are built with textContent only.

import {debounce, el, getJSON} from "./util.js";

const DEBOUNCE_MS = 120;
const MAX_LENGTH = 200;
const MIN_CHARS = 2;

export function createSearch({input, list, status, clearButton, url, t, describe, near, onPick}) {
  let items = [];
  let active = -1;

  const setStatus = (text) => { status.textContent = text; };
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    const options = list.querySelectorAll("[role=option]");
    options.forEach((node, i) => node.setAttribute("aria-selected", i === index ? "true" : "false"));
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };
  const pick = (index) => {
    const item = items[index];
    if (!item) return;
    input.value = item.label;
    close();
    onPick(item);
  };

  const render = (results) => {
    items = results;
    list.replaceChildren(...results.map((item, i) => {
      const extra = describe(item);
      return el("li", {id: `rh-opt-${i}`, role: "option", "aria-selected": "false", class: "rh-option",
                       dataset: {ref: item.ref, testid: "suggestion"},
                       onpointerdown: (event) => event.preventDefault(),  // keep focus in the box
                       onclick: () => pick(i)},
        el("span", {class: "rh-option-kind", style: extra.colour ? `border-color:${extra.colour}` : null}, extra.kind),
        el("span", {class: "rh-option-text"},
          el("span", {class: "rh-option-label"}, item.label, item.approx ? el("span", {class: "rh-approx"}, ` ≈`) : null),
          extra.sub ? el("span", {class: "rh-option-sub"}, extra.sub) : null),
        extra.distance ? el("span", {class: "rh-option-dist"}, extra.distance) : null);
    }));
    if (results.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(0);
      setStatus(t("search.count", {n: results.length}));
    } else {
      close();
      setStatus(input.value.trim() ? t("search.none") : "");
      if (input.value.trim()) {
        list.replaceChildren(el("li", {class: "rh-option rh-none", role: "presentation"}, t("search.none")));
        list.hidden = false;
      }
    }
  };

  const query = debounce(async () => {
    const q = input.value.trim();
    if (q.length < MIN_CHARS) {  // one letter would match half the city: wait for the second
      items = [];
      close();
      list.replaceChildren();
      setStatus("");
      return;
    }
    try {
      const at = near();
      const hint = at ? `&near=${at.lat.toFixed(4)},${at.lon.toFixed(4)}` : "";
      const body = await getJSON(`${url}?q=${encodeURIComponent(q.slice(0, MAX_LENGTH))}${hint}`, "suggest");
      if (input.value.trim() === q) render(body.results || []);
    } catch (error) {
      if (error.name === "AbortError") return;
      items = [];
      list.replaceChildren(el("li", {class: "rh-option rh-none", role: "presentation"}, error.message));
      list.hidden = false;
      setStatus(error.message);
    }
  }, DEBOUNCE_MS);

  input.setAttribute("maxlength", String(MAX_LENGTH));
  input.addEventListener("input", () => {
    clearButton.hidden = !input.value;
    query();
  });
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && items.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      highlight(items.length ? (active + 1) % items.length : -1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(items.length ? (active - 1 + items.length) % items.length : -1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (open) pick(Math.max(active, 0));
      else query();
    } else if (event.key === "Escape") {
      if (!list.hidden) { event.preventDefault(); close(); }
      else if (input.value) { event.preventDefault(); clear(); }
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  const clear = () => {
    input.value = "";
    clearButton.hidden = true;
    items = [];
    query.cancel();
    close();
    list.replaceChildren();
    setStatus("");
  };
  clearButton.addEventListener("click", () => { clear(); input.focus(); });
  return {clear, close, refresh: () => { clearButton.hidden = !input.value; query(); }};
}
