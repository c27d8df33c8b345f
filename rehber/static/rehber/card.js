// A card: what is at an address (its building and the 10-digit codes of its units), a street with
// its name history, a mahalle, or a place, with the places nearby. Built from the language-neutral
// card JSON; keys and coded values are translated here.

import {el, formatDistance, walkMinutes} from "./util.js";

function factValue(fact, ctx) {
  const {t} = ctx;
  const one = (v) => (fact.code && t.has(`${fact.code}.${v}`) ? t(`${fact.code}.${v}`) : String(v));
  return Array.isArray(fact.v) ? fact.v.map(one).join(", ") : one(fact.v);
}

function facts(card, ctx) {
  const {t} = ctx;
  const rows = card.facts.map((fact) => {
    if (fact.k === "category") {  // a mahalle's count of places by category
      const category = ctx.category(fact.category);
      return [el("dt", {}, ctx.dot(category), category ? category.title : fact.category), el("dd", {}, String(fact.v))];
    }
    return [el("dt", {}, t(fact.k)), el("dd", {}, factValue(fact, ctx))];
  });
  return rows.length ? el("dl", {class: "rh-facts"}, rows) : null;
}

function units(card, {t}) {
  if (!card.units.length) return null;
  return el("section", {class: "rh-units"},
    el("h3", {}, t("card.units", {n: card.units.length})),
    el("table", {class: "rh-table"},
      el("thead", {}, el("tr", {}, [t("unit.code"), t("unit.door"), t("unit.floor"), t("unit.use")]
        .map((h) => el("th", {scope: "col"}, h)))),
      el("tbody", {}, card.units.map((u) => el("tr", {},
        el("td", {class: "rh-code", dataset: {testid: "unit-code"}}, u.code),
        el("td", {}, u.ic_kapi_no),
        el("td", {}, String(u.kat)),
        el("td", {}, t.has(`use.${u.kullanim}`) ? t(`use.${u.kullanim}`) : u.kullanim))))));
}

function doors(card, ctx) {
  if (!card.doors.length) return null;
  const {t} = ctx;
  return el("section", {},
    el("h3", {}, t("card.doors")),
    el("ul", {class: "rh-places"}, card.doors.map((door) => el("li", {},
      el("button", {type: "button", class: "rh-place", dataset: {ref: door.ref, testid: "door"},
                    onclick: () => ctx.onPick(door.ref)},
        el("span", {class: "rh-place-name"}, door.label,
          door.codes.length ? el("span", {class: "rh-place-sub"}, t("card.codes"), " ",
            door.codes.map((c) => el("span", {class: "rh-code", dataset: {testid: "door-code"}}, c))) : null))))));
}

function history(card, {t}) {
  if (!card.history.length) return null;
  return el("section", {},
    el("h3", {}, t("card.history")),
    el("ul", {class: "rh-history"}, card.history.map((h) => el("li", {},
      h.pending
        ? t("history.pending", {before: h.before, name: h.name, state: t(`decision.${h.state}`)})
        : h.before
          ? t("history.renamed", {before: h.before, name: h.name, since: h.since})
          : t("history.named", {name: h.name, since: h.since})))));
}

function nearby(card, ctx) {
  if (!card.nearby.length) return null;
  const {t} = ctx;
  return el("section", {},
    el("h3", {}, t("card.nearby")),
    el("ul", {class: "rh-places"}, card.nearby.map((p) => {
      const category = ctx.category(p.category);
      return el("li", {},
        el("button", {type: "button", class: "rh-place", dataset: {ref: p.ref, testid: "nearby"},
                      onclick: () => ctx.onPick(p.ref)},
          el("span", {class: "rh-place-name"}, ctx.dot(category), p.label,
            category ? el("span", {class: "rh-place-sub"}, category.title) : null),
          el("span", {class: "rh-place-dist"}, formatDistance(p.distance, ctx.lang))));
    })));
}

/** The live line of a car park: the smart-city feed's latest state when there is one, else the
 *  asset's registered figures, said to be such. */
export function liveLine(card, live, {t, lang}) {
  if (!card.live) return null;
  const state = live && live.get(card.live.asset_id);
  const staticFree = card.facts.find((f) => f.k === "fact.free_static");
  const capacity = card.facts.find((f) => f.k === "fact.capacity");
  if (state && state.availableSpotNumber !== undefined && state.availableSpotNumber !== null) {
    const total = state.totalSpotNumber ?? (capacity ? capacity.v : "?");
    const when = state.observedAt ? new Date(state.observedAt) : null;
    const time = when ? when.toLocaleTimeString(lang === "en" ? "en-GB" : "tr-TR", {hour: "2-digit", minute: "2-digit"}) : "";
    return el("p", {class: `rh-live${state.stale ? " rh-stale" : ""}`, dataset: {testid: "live-free"}},
      t(state.stale ? "live.stale" : "live.free", {free: state.availableSpotNumber, total, time}));
  }
  if (staticFree) {
    return el("p", {class: "rh-live rh-stale", dataset: {testid: "live-free"}},
      t("live.static", {free: staticFree.v, total: capacity ? capacity.v : "?"}));
  }
  return null;
}

/** Fill the card panel; returns the heading so the caller can move focus to it. */
export function renderCard(container, card, ctx) {
  const {t} = ctx;
  const category = ctx.category(card.category);
  const kind = category ? category.title : t(`kind.${card.kind}`);
  let distance = null;
  if (ctx.kiosk) {
    const metres = ctx.distanceFromKiosk(card.lat, card.lon);
    distance = el("p", {class: "rh-walk", dataset: {testid: "walk"}},
      t("kiosk.walk", {distance: formatDistance(metres, ctx.lang), minutes: walkMinutes(metres)}));
  }
  const heading = el("h2", {id: "rh-card-title", tabindex: "-1"}, card.title);
  const links = ctx.kiosk ? [] : card.links.map((link) => el("a", {href: link.url, class: "rh-more"}, t(link.k)));
  container.replaceChildren(...[
    el("p", {class: "rh-kind"}, ctx.dot(category), kind),
    heading,
    card.subtitle ? el("p", {class: "rh-subtitle"}, card.subtitle) : null,
    distance,
    liveLine(card, ctx.live(card), ctx),
    facts(card, ctx),
    units(card, ctx),
    doors(card, ctx),
    history(card, ctx),
    nearby(card, ctx),
    links.length ? el("p", {class: "rh-links"}, links) : null,
  ].filter(Boolean));
  container.dataset.ref = card.ref;
  return heading;
}
