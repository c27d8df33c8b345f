// Kiosk mode: an on-screen Turkish Q keyboard, a return to the home view after the kiosk's idle
// time, a QR code to continue on a phone, and no way out of the guide (no outside links, no
// context menu, no new windows).

import {el} from "./util.js";

const ROWS = [
  ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"],
  ["q", "w", "e", "r", "t", "y", "u", "ı", "o", "p", "ğ", "ü"],
  ["a", "s", "d", "f", "g", "h", "j", "k", "l", "ş", "i"],
  ["z", "x", "c", "v", "b", "n", "m", "ö", "ç", ".", "/"],
];

/** The on-screen keyboard: keys insert at the caret and fire 'input' as typing would. */
export function createKeyboard(container, input, t, {onEnter, onClose}) {
  let upper = false;
  const insert = (text) => {
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? input.value.length;
    const maxLength = Number(input.getAttribute("maxlength")) || 200;
    const next = (input.value.slice(0, start) + text + input.value.slice(end)).slice(0, maxLength);
    input.value = next;
    input.setSelectionRange(start + text.length, start + text.length);
    input.dispatchEvent(new Event("input", {bubbles: true}));
  };
  const backspace = () => {
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? input.value.length;
    const from = start === end ? Math.max(0, start - 1) : start;
    input.value = input.value.slice(0, from) + input.value.slice(end);
    input.setSelectionRange(from, from);
    input.dispatchEvent(new Event("input", {bubbles: true}));
  };
  const label = (key) => key.toLocaleUpperCase("tr-TR");
  const letterKeys = [];
  const key = (text, action, attrs = {}) => el("button", {
    type: "button", class: `rh-key ${attrs.class || ""}`, "aria-label": attrs.label || null,
    dataset: {key: attrs.key || text}, onpointerdown: (event) => event.preventDefault(),  // keep the caret
    onclick: action}, text);
  const rows = ROWS.map((row) => el("div", {class: "rh-keyrow"}, row.map((k) => {
    const button = key(label(k), () => {
      insert(upper ? label(k) : k);
      if (upper) setUpper(false);
    }, {key: k});
    if (/\p{L}/u.test(k)) letterKeys.push([button, k]);
    return button;
  })));
  const shift = key("⇧", () => setUpper(!upper), {class: "rh-key-wide", label: t("kb.shift"), key: "shift"});
  const setUpper = (on) => {
    upper = on;
    shift.setAttribute("aria-pressed", on ? "true" : "false");
    container.classList.toggle("rh-upper", on);
  };
  rows.push(el("div", {class: "rh-keyrow"},
    shift,
    key(t("kb.space"), () => insert(" "), {class: "rh-key-space", key: "space"}),
    key("⌫", backspace, {class: "rh-key-wide", label: t("kb.backspace"), key: "backspace"}),
    key(t("kb.clear"), () => { input.value = ""; input.dispatchEvent(new Event("input", {bubbles: true})); },
      {class: "rh-key-wide", key: "clear"}),
    key(t("kb.search"), onEnter, {class: "rh-key-wide rh-key-go", key: "enter"}),
    key(t("kb.close"), onClose, {class: "rh-key-wide", key: "close"})));
  container.replaceChildren(...rows);
  setUpper(false);
  return {show: () => { container.hidden = false; }, hide: () => { container.hidden = true; }};
}

/** Call goHome() once nobody has touched the kiosk for `seconds`. */
export function watchIdle(seconds, goHome) {
  let last = Date.now();
  let home = true;
  const touch = () => {
    last = Date.now();
    if (home) {
      home = false;
      document.body.dataset.home = "false";
    }
  };
  for (const type of ["pointerdown", "keydown", "wheel", "touchstart", "input"]) {
    document.addEventListener(type, touch, {capture: true, passive: true});
  }
  document.body.dataset.home = "true";
  setInterval(() => {
    if (!home && Date.now() - last >= seconds * 1000) {
      home = true;
      goHome();
      document.body.dataset.home = "true";
    }
  }, 250);
}

/** Keep the visitor inside the guide: links that would leave it are turned into plain text, and
 *  whatever could open the browser's own UI is switched off. */
export function lockDown(pagePath) {
  const stays = (href) => {
    try {
      const url = new URL(href, location.href);
      return url.origin === location.origin && (url.pathname === pagePath || url.pathname.startsWith(pagePath));
    } catch {
      return false;
    }
  };
  const disarm = (root) => {
    for (const a of root.querySelectorAll ? root.querySelectorAll("a[href]") : []) {
      if (!stays(a.getAttribute("href"))) a.replaceWith(el("span", {class: a.className}, a.textContent));
    }
  };
  disarm(document);
  new MutationObserver((changes) => {
    for (const change of changes) for (const node of change.addedNodes) {
      if (node.nodeType !== 1) continue;
      if (node.matches("a[href]") && !stays(node.getAttribute("href"))) node.replaceWith(el("span", {}, node.textContent));
      else disarm(node);
    }
  }).observe(document.body, {childList: true, subtree: true});
  document.addEventListener("click", (event) => {
    const a = event.target.closest && event.target.closest("a[href]");
    if (a && !stays(a.getAttribute("href"))) event.preventDefault();
  }, true);
  document.addEventListener("auxclick", (event) => event.preventDefault(), true);
  document.addEventListener("contextmenu", (event) => event.preventDefault(), true);
  document.addEventListener("dragstart", (event) => event.preventDefault(), true);
  document.addEventListener("selectstart", (event) => {
    if (!(event.target instanceof HTMLInputElement)) event.preventDefault();
  }, true);
  window.open = () => null;
}

/** The "continue on your phone" panel: a QR code of the current view, drawn by the server. */
export function createQr(panel, img, caption, qrUrl, viewQuery) {
  const refresh = () => {
    if (panel.hidden) return;
    img.src = `${qrUrl}?${viewQuery()}`;
  };
  return {
    toggle: () => { panel.hidden = !panel.hidden; refresh(); return !panel.hidden; },
    hide: () => { panel.hidden = true; },
    refresh,
    setCaption: (text) => { caption.textContent = text; },
  };
}
