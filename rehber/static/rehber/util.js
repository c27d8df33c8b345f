// Small helpers shared by the guide's modules. Text always goes in through textContent, never
// innerHTML, so names and search text from anywhere are shown, not run.

/** Build an element: el("p", {class: "x", dataset: {ref: "a-1"}}, "text", child, ...). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "style") node.style.cssText = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A translator over the page's {tr: {...}, en: {...}} dictionary; "{name}" placeholders are filled. */
export function translator(strings, lang) {
  const primary = strings[lang] || {};
  const fallback = strings.tr || {};
  const t = (key, vars = {}) => {
    const text = primary[key] ?? fallback[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
  };
  t.has = (key) => key in primary || key in fallback;
  return t;
}

/** GET JSON; a newer call with the same `slot` aborts the older one (typing fast). */
const pending = new Map();
export async function getJSON(url, slot = null) {
  if (slot && pending.has(slot)) pending.get(slot).abort();
  const controller = new AbortController();
  if (slot) pending.set(slot, controller);
  try {
    const response = await fetch(url, {signal: controller.signal, headers: {Accept: "application/json"}});
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(body.description || `HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return body;
  } finally {
    if (slot && pending.get(slot) === controller) pending.delete(slot);
  }
}

export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

const EARTH_RADIUS_M = 6371008.8;
const rad = (deg) => (deg * Math.PI) / 180;

/** Straight-line (great-circle) distance in metres. */
export function distanceM(lat1, lon1, lat2, lon2) {
  const dp = rad(lat2 - lat1);
  const dl = rad(lon2 - lon1);
  const a = Math.sin(dp / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dl / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function formatDistance(metres, lang) {
  const locale = lang === "en" ? "en-GB" : "tr-TR";
  if (metres < 1000) return `${Math.round(metres / 10) * 10} m`;
  return `${(metres / 1000).toLocaleString(locale, {maximumFractionDigits: 1})} km`;
}

// Streets are not straight: a walk is taken as ~1.3 times the straight line, at 80 m a minute.
export const walkMinutes = (metres) => Math.max(1, Math.round((metres * 1.3) / 80));
