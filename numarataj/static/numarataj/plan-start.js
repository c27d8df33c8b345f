/* Starting a numbering plan on the map (numarataj/register/plan_start.html): Kent's base map
   (KentMap), the streets and the buildings without a door in view to pick by a click, and an area
   drawn with Geoman. The form does the rest: the server starts the plan or the district's job. */
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("plan-start-config").textContent);
  const form = document.getElementById("plan-start-form");
  const kindInputs = form.querySelectorAll("input[name=tur]");
  const choose = (kind) => {
    kindInputs.forEach((i) => { i.checked = i.value === kind; });
    showKind();
  };
  function showKind() {
    const kind = form.querySelector("input[name=tur]:checked").value;
    form.querySelectorAll("fieldset[data-for]").forEach((f) => { f.hidden = f.dataset.for !== kind; });
  }
  kindInputs.forEach((i) => i.addEventListener("change", showKind));
  showKind();

  function pick(select, id, text) {
    let option = select.querySelector(`option[value="${id}"]`);
    if (!option) {   // beyond the list's limit: the map may still pick it
      option = new Option(text, String(id));
      select.add(option);
    }
    select.value = String(id);
  }

  const base = KentMap.create("plan-start-map", cfg.map);
  const map = base.map;
  const picked = L.geoJSON(null, {
    style: (f) => (f.properties.kind === "csbm"
      ? { color: "#1f4e79", weight: 5, opacity: 0.7, className: "pick-csbm" }
      : { color: "#b3261e", weight: 1, fillColor: "#f4b6b0", fillOpacity: 0.7, className: "pick-yapi" }),
    onEachFeature: (f, layer) => {
      const p = f.properties;
      const text = p.kind === "csbm" ? `${cfg.messages.street}: ${p.ad}` : `${cfg.messages.building} #${p.id}`;
      layer.bindTooltip(text, { sticky: true });
      layer.on("click", () => {
        if (map.pm && map.pm.globalDrawModeEnabled()) return;   // a vertex of the area, not a pick
        if (p.kind === "csbm") { pick(document.getElementById("plan-csbm"), p.id, p.ad); choose("sokak"); }
        else { pick(document.getElementById("plan-yapi"), p.id, text); choose("ara"); }
      });
    },
  }).addTo(map);

  const hint = L.control({ position: "bottomleft" });
  hint.onAdd = () => Object.assign(L.DomUtil.create("div", "leaflet-bar plan-zoom-hint"), { textContent: cfg.messages.zoom });
  let pending = null;
  function reload() {
    if (map.getZoom() < 14) {   // a whole city is picked from the lists
      picked.clearLayers();
      hint.addTo(map);
      return;
    }
    hint.remove();
    if (pending) pending.abort();
    pending = new AbortController();
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
    fetch(`${cfg.layerUrl}?bbox=${bbox}`, { credentials: "same-origin", signal: pending.signal })
      .then((r) => (r.ok ? r.json() : null))
      .then((fc) => { if (fc) { picked.clearLayers(); picked.addData(fc); } })
      .catch(() => {});
  }
  map.on("moveend", reload);
  reload();

  // the drawn area: one polygon at a time, kept in the form as GeoJSON
  const areaInput = document.getElementById("plan-area");
  const areaState = document.getElementById("plan-area-state");
  let area = null;
  if (map.pm) {
    map.pm.setLang((document.documentElement.lang || "tr").slice(0, 2));
    // no snapping: the area is a rough outline, and a vertex pulled onto a building surprises
    map.pm.setGlobalOptions({ allowSelfIntersection: false, snappable: false });
    document.getElementById("plan-draw").addEventListener("click", () => {
      choose("alan");
      map.pm.enableDraw("Polygon");
    });
    map.on("pm:create", (e) => {
      if (area) map.removeLayer(area);
      area = e.layer;
      areaInput.value = JSON.stringify(area.toGeoJSON().geometry);
      areaState.textContent = cfg.messages.drawn;
      choose("alan");
    });
  }
  if (areaInput.value) {
    try { area = L.geoJSON(JSON.parse(areaInput.value)).addTo(map); areaState.textContent = cfg.messages.drawn; }
    catch (err) { areaInput.value = ""; }
  }
})();
