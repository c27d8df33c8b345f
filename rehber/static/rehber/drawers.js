// The drawers behind the tool buttons: the public layers the municipality publishes (toggles),
// the street-naming decisions, and (on the web) the link to share this view. One is open at a time;
// Esc or a tap on the map closes it.

import {el, getJSON} from "./util.js";

const MAX_DECISIONS = 25;

export function createDrawers({config, t, select, shareLink, onLayer}) {
  const $ = (id) => document.getElementById(id);

  /** Close every drawer; true when one was open. */
  function closeDrawers() {
    let wasOpen = false;
    for (const drawer of document.querySelectorAll(".rh-drawer")) {
      wasOpen ||= !drawer.hidden;
      drawer.hidden = true;
    }
    for (const b of document.querySelectorAll("[aria-controls].rh-tool")) b.setAttribute("aria-expanded", "false");
    return wasOpen;
  }
  /** Open the drawer `id` (closing the others), or close it; true when it is now open. */
  function togglePanel(id, button) {
    const panel = $(id);
    const open = panel.hidden;
    closeDrawers();
    panel.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    return open;
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented && closeDrawers()) event.preventDefault();
  });

  // public layers
  const layerList = $("rh-layer-list");
  layerList.replaceChildren(...config.layers.map((layer) => el("li", {},
    el("label", {class: "rh-check"},
      el("input", {type: "checkbox", value: layer.slug, dataset: {testid: `layer-${layer.slug}`},
                   onchange: (event) => onLayer(layer, event.target.checked)}),
      layer.title))));
  if (!config.layers.length) layerList.replaceChildren(el("li", {class: "rh-muted"}, t("layers.none")));
  $("rh-layers-button").addEventListener("click", (event) => togglePanel("rh-layers", event.currentTarget));
  const checkLayer = (slug, on) => {
    const box = layerList.querySelector(`input[value="${CSS.escape(slug)}"]`);
    if (box) box.checked = on;
  };

  // street-naming decisions, from the register's public list
  let decisionsLoaded = false;
  $("rh-decisions-button").addEventListener("click", async (event) => {
    if (!togglePanel("rh-decisions", event.currentTarget) || decisionsLoaded) return;
    const list = $("rh-decision-list");
    const none = () => list.replaceChildren(el("li", {class: "rh-muted"}, t("decisions.none")));
    if (!config.urls.decisions) return none();
    try {
      const body = await getJSON(config.urls.decisions);
      decisionsLoaded = true;
      const rows = (body.kararlar || []).slice(0, MAX_DECISIONS);
      list.replaceChildren(...rows.map((k) => el("li", {dataset: {testid: "decision"}},
        el("strong", {}, k.eski_ad ? t("decisions.rename", {before: k.eski_ad, name: k.yeni_ad}) : k.yeni_ad),
        el("span", {class: "rh-muted"}, ` · ${t(`decision.${k.durum}`)}${k.yururluk_tarihi ? ` · ${k.yururluk_tarihi}` : ""}`),
        k.csbm ? el("button", {type: "button", class: "rh-link", onclick: () => select(`s-${k.csbm}`)},
          t("decisions.show")) : null)));
      if (!rows.length) none();
    } catch (error) {
      list.replaceChildren(el("li", {class: "rh-muted"}, error.message));
    }
  });

  // share (web only)
  const share = $("rh-share-button");
  if (share) {
    share.addEventListener("click", async (event) => {
      if (!togglePanel("rh-share", event.currentTarget)) return;
      const link = $("rh-share-link");
      link.value = shareLink();
      link.select();
      try {
        await navigator.clipboard.writeText(link.value);
        $("rh-share-status").textContent = t("share.copied");
      } catch {
        $("rh-share-status").textContent = t("share.copy_yourself");
      }
    });
  }
  return {closeDrawers, togglePanel, checkLayer};
}
