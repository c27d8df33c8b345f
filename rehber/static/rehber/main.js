// The city guide's page: map, search, categories, cards, public layers, naming decisions, share
// and print; on a kiosk also the keyboard, idle reset, QR code and lock-down.

import {renderCard} from "./card.js";
import {createDrawers} from "./drawers.js";
import {createKeyboard, createQr, lockDown, watchIdle} from "./kiosk.js";
import {createMap} from "./mapview.js";
import {createSearch} from "./search.js";
import {hashOf, qrQuery, readHash, writeHash} from "./state.js";
import {distanceM, el, formatDistance, getJSON, translator} from "./util.js";

const LIVE_REFRESH_MS = 30000;
const config = JSON.parse(document.getElementById("rehber-config").textContent);
const lang = config.lang;
const t = translator(config.strings, lang);
const kiosk = config.kiosk;
const $ = (id) => document.getElementById(id);
const categories = new Map(config.categories.map((c) => [c.slug, c]));
const category = (slug) => categories.get(slug) || null;
const dot = (c) => (c ? el("span", {class: "rh-dot", style: `background:${c.colour}`, "aria-hidden": "true"}) : null);

// A shared link may ask for the other language: reload once in it, keeping the view.
const initial = readHash();

let keyboard = null;  // kiosk only
let qr = null;  // kiosk only
const state = {sel: initial.sel || "", cat: "", lyr: [], live: new Map(), liveTimer: null, card: null};
const fromKiosk = (lat, lon) => distanceM(kiosk.lat, kiosk.lon, lat, lon);

// -- map ------------------------------------------------------------------------------------------
const view = createMap(config, t, {
  onPick: (ref) => select(ref),
  onMapClick: (latlng) => (closeDrawers() ? null : whatIsHere(latlng)),  // a first tap only closes a drawer
});
const {map} = view;

function currentView() {
  const c = map.getCenter();
  return {z: map.getZoom(), lat: c.lat, lon: c.lng, sel: state.sel, cat: state.cat, lyr: state.lyr, lang};
}
function saveView() {
  const hash = writeHash(currentView());
  const other = $("rh-lang");
  if (other && other.tagName === "A") other.href = `${location.pathname}?lang=${other.dataset.lang}${hash}`;
  if (qr) qr.refresh();
}
map.on("moveend", saveView);

// -- cards ----------------------------------------------------------------------------------------
const cardPanel = $("rh-card");
const cardBody = $("rh-card-body");
const cardContext = {
  t, lang, kiosk, category, dot, onPick: (ref) => select(ref),
  distanceFromKiosk: kiosk ? fromKiosk : null,
  live: (card) => (card.live ? state.live.get(card.live.type) : null),
};

async function select(ref, {fly = true} = {}) {
  let card;
  try {
    card = await getJSON(config.urls.card.replace("REF", encodeURIComponent(ref)), "card");
  } catch (error) {
    if (error.name === "AbortError") return;
    showMessage(error.status === 404 ? t("card.missing") : error.message);
    return;
  }
  state.sel = card.ref;
  state.card = card;
  if (card.live && !state.live.has(card.live.type)) await loadLive(card.live.type);
  const heading = renderCard(cardBody, card, cardContext);
  cardPanel.hidden = false;
  cardPanel.scrollTop = 0;
  document.body.classList.add("rh-has-card");
  view.showSelected(card);
  if (fly) view.flyTo(card, cardPanel);
  heading.focus({preventScroll: true});
  saveView();
}

function closeCard() {
  cardPanel.hidden = true;
  document.body.classList.remove("rh-has-card");
  cardBody.replaceChildren();
  delete cardBody.dataset.ref;
  state.sel = "";
  state.card = null;
  view.clearSelected();
  saveView();
}
$("rh-card-close").addEventListener("click", closeCard);
cardPanel.addEventListener("keydown", (event) => { if (event.key === "Escape") closeCard(); });

async function whatIsHere(latlng) {
  try {
    const body = await getJSON(`${config.urls.here}?lat=${latlng.lat.toFixed(6)}&lon=${latlng.lng.toFixed(6)}`, "here");
    if (body.ref) select(body.ref, {fly: false});
  } catch (error) {
    if (error.name !== "AbortError") showMessage(error.message);
  }
}

function showMessage(text) {
  const box = $("rh-message");
  box.textContent = text;
  box.hidden = !text;
  clearTimeout(showMessage.timer);
  showMessage.timer = setTimeout(() => { box.hidden = true; }, 5000);
}

// -- live car-park data (the smart-city live layer; absent → the asset's own figures) --------------
async function loadLive(kind) {
  if (!config.urls.live) return null;
  try {
    const body = await getJSON(config.urls.live.replace("{kind}", encodeURIComponent(kind)));
    const byAsset = new Map(body.features.map((f) => [f.properties.assetId, f.properties]));
    state.live.set(kind, byAsset);
    return byAsset;
  } catch {
    return null;
  }
}

// -- categories -----------------------------------------------------------------------------------
const listPanel = $("rh-list");
const listBody = $("rh-list-items");

function origin() {
  if (kiosk) return {lat: kiosk.lat, lon: kiosk.lon};
  const c = map.getCenter();
  return {lat: c.lat, lon: c.lng};
}

function placeNote(c, props) {
  if (!c.live) return "";
  const live = state.live.get(c.live);
  const current = live && live.get(props.asset_id);
  if (current && current.availableSpotNumber !== undefined) {
    return t("live.short", {free: current.availableSpotNumber, total: current.totalSpotNumber ?? props.totalSpotNumber ?? "?"});
  }
  return props.availableSpotNumber !== undefined ? t("live.short_static", {free: props.availableSpotNumber,
    total: props.totalSpotNumber ?? "?"}) : "";
}

function renderList(c, features) {
  const from = origin();
  const rows = features.map((f) => {
    const [lon, lat] = f.geometry.coordinates;
    return {f, d: distanceM(from.lat, from.lon, lat, lon)};
  }).sort((a, b) => a.d - b.d);
  $("rh-list-title").replaceChildren(dot(c), c.title, el("span", {class: "rh-muted"}, ` (${rows.length})`));
  listBody.replaceChildren(...rows.map(({f, d}) => {
    const note = placeNote(c, f.properties);
    if (note) view.setMarkerNote(f.properties.ref, `${f.properties.label} — ${note}`);
    return el("li", {},
      el("button", {type: "button", class: "rh-place", dataset: {ref: f.properties.ref, testid: "place"},
                    onclick: () => select(f.properties.ref)},
        el("span", {class: "rh-place-name"}, f.properties.label),
        note ? el("span", {class: "rh-place-note", dataset: {testid: "place-note"}}, note) : null,
        el("span", {class: "rh-place-dist"}, formatDistance(d, lang))));
  }));
  if (!rows.length) listBody.replaceChildren(el("li", {class: "rh-muted"}, t("list.empty")));
}

async function openCategory(slug, {fit = true} = {}) {
  const c = category(slug);
  if (!c) return;
  clearInterval(state.liveTimer);
  state.cat = slug;
  for (const button of document.querySelectorAll(".rh-cat")) {
    button.setAttribute("aria-pressed", button.dataset.slug === slug ? "true" : "false");
  }
  let body;
  try {
    body = await getJSON(config.urls.category.replace("SLUG", slug), "category");
  } catch (error) {
    if (error.name !== "AbortError") showMessage(error.message);
    return;
  }
  if (c.live) await loadLive(c.live);
  view.showPlaces(c, body.features);
  renderList(c, body.features);
  listPanel.hidden = false;
  document.body.classList.add("rh-has-list");
  if (fit && body.features.length) {
    const points = body.features.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]);
    if (kiosk) points.push([kiosk.lat, kiosk.lon]);
    map.fitBounds(points, {padding: [50, 50], maxZoom: 17});
  }
  if (c.live) {
    state.liveTimer = setInterval(async () => {
      await loadLive(c.live);
      renderList(c, body.features);
      if (state.card && state.card.live) renderCard(cardBody, state.card, cardContext);
    }, LIVE_REFRESH_MS);
  }
  saveView();
}

function closeCategory() {
  clearInterval(state.liveTimer);
  state.cat = "";
  view.clearPlaces();
  listPanel.hidden = true;
  document.body.classList.remove("rh-has-list");
  for (const button of document.querySelectorAll(".rh-cat")) button.setAttribute("aria-pressed", "false");
  saveView();
}
for (const button of document.querySelectorAll(".rh-cat")) {
  button.addEventListener("click", () => {
    if (state.card) closeCard();  // the list of the chosen category comes to the front
    if (state.cat === button.dataset.slug) closeCategory();
    else openCategory(button.dataset.slug);
  });
}
$("rh-list-close").addEventListener("click", closeCategory);

// -- drawers: public layers, naming decisions, share, QR ----------------------------------------------
const drawers = createDrawers({
  config, t, select, onLayer: (layer, on) => setLayer(layer, on),
  shareLink: () => `${location.origin}${location.pathname}${hashOf(currentView())}`,
});
const {closeDrawers, togglePanel} = drawers;
function setLayer(layer, on) {
  view.setLayer(layer, on);
  state.lyr = on ? [...new Set([...state.lyr, layer.slug])] : state.lyr.filter((s) => s !== layer.slug);
  drawers.checkLayer(layer.slug, on);
  saveView();
}

// -- search ---------------------------------------------------------------------------------------
const input = $("rh-q");
const search = createSearch({
  input, list: $("rh-suggestions"), status: $("rh-status"), clearButton: $("rh-clear"), url: config.urls.suggest, t,
  near: origin,
  describe: (item) => {
    const c = category(item.category);
    const sub = item.code ? t("search.code", {code: item.code}) : item.sub;
    return {kind: c ? c.title : t(`kind.${item.kind}`), colour: c ? c.colour : null, sub,
            distance: kiosk ? formatDistance(fromKiosk(item.lat, item.lon), lang) : ""};
  },
  onPick: (item) => {
    if (keyboard) keyboard.hide();
    select(item.ref);
  },
});
document.addEventListener("keydown", (event) => {  // "/" jumps to the search box, as on many sites
  if (event.key === "/" && document.activeElement !== input && !(event.target instanceof HTMLInputElement)) {
    event.preventDefault();
    input.focus();
  }
});

// -- print (web) ----------------------------------------------------------------------------------
const print = $("rh-print-button");
if (print) print.addEventListener("click", () => window.print());
window.addEventListener("beforeprint", () => {
  $("rh-print-date").textContent = new Date().toLocaleString(lang === "en" ? "en-GB" : "tr-TR");
  map.invalidateSize();
});
window.addEventListener("afterprint", () => map.invalidateSize());

// -- kiosk ----------------------------------------------------------------------------------------
if (kiosk) {
  lockDown(config.urls.page);
  keyboard = createKeyboard($("rh-keyboard"), input, t, {
    onEnter: () => input.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true})),
    onClose: () => { keyboard.hide(); input.blur(); },
  });
  input.addEventListener("focus", () => keyboard.show());
  input.addEventListener("pointerdown", () => keyboard.show());
  qr = createQr($("rh-qr"), $("rh-qr-img"), $("rh-qr-caption"), config.urls.qr, () => qrQuery(currentView()));
  $("rh-qr-button").addEventListener("click", (event) => {
    const open = togglePanel("rh-qr", event.currentTarget);
    if (open) qr.refresh();
  });
  $("rh-home-button").addEventListener("click", goHome);
  watchIdle(kiosk.idle, goHome);
}
const langButton = $("rh-lang");
if (langButton && langButton.tagName === "BUTTON") {
  langButton.addEventListener("click", () => location.replace(`${location.pathname}?lang=${langButton.dataset.lang}${location.hash}`));
}

/** Back to the kiosk's home view, for the next person: Turkish, nothing open, nothing typed. */
function goHome() {
  if (lang !== "tr") {
    location.replace(config.urls.page);
    return;
  }
  search.clear();
  if (keyboard) keyboard.hide();
  closeDrawers();
  closeCategory();
  closeCard();
  for (const slug of [...state.lyr]) setLayer({slug}, false);
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  view.home();
}

// -- first view, and a link pasted into this tab -----------------------------------------------------
/** Show the view a hash asks for; false when that means reloading in the other language. */
function applyView(wanted) {
  if (wanted.lang && wanted.lang !== lang) {
    location.replace(`${location.pathname}?lang=${wanted.lang}${location.hash}`);
    return false;
  }
  if (wanted.lat !== undefined) map.setView([wanted.lat, wanted.lon], wanted.z);
  else view.home();
  for (const layer of config.layers) setLayer(layer, (wanted.lyr || []).includes(layer.slug));
  if (wanted.cat) openCategory(wanted.cat, {fit: false});
  else if (state.cat) closeCategory();
  if (wanted.sel) select(wanted.sel, {fly: wanted.lat === undefined});
  else if (state.sel) closeCard();
  return true;
}
const shown = applyView(initial);
window.addEventListener("hashchange", () => applyView(readHash()));
if (shown) {
  saveView();
  document.body.dataset.ready = "true";
  document.body.dataset.readyMs = String(Math.round(performance.now()));  // first view interactive, from navigation start
}
window.kentRehber = {map, select, openCategory, goHome, config};
