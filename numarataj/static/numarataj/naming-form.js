/* The street-naming proposal form's map: Kent's base map (KentMap), the CSBMs in view to click for a
   rename, and a centreline drawn with Geoman for a new street. The form fields stay the source of
   truth: a click fills "csbm", a drawing fills "geom" (GeoJSON, lon/lat); the server checks both. */
(function () {
  "use strict";

  const cfg = JSON.parse(document.getElementById("naming-config").textContent);
  const T = cfg.texts;
  const form = document.getElementById("naming-form");
  const csbmInput = form.elements.csbm;
  const geomInput = form.elements.geom;
  const chosenText = document.getElementById("naming-chosen");
  const drawnText = document.getElementById("naming-drawn");
  const base = KentMap.create("naming-map", cfg.map);
  const map = base.map;

  const STREET = { color: "#1d4ed8", weight: 5, opacity: 0.8 };
  const CHOSEN = { color: "#dc2626", weight: 7, opacity: 1 };
  const NEW_LINE = { color: "#16a34a", weight: 5 };

  const kind = () => (form.querySelector('input[name="tur"]:checked') || {}).value || "ad_degisikligi";

  // --- choosing a street for a rename --------------------------------------------------------
  const streets = L.geoJSON(null, { style: () => STREET }).addTo(map);
  const names = new Map();   // id -> full name, for the label under the field

  function showChosen() {
    const id = csbmInput.value;
    chosenText.textContent = id ? `${T.chosen}: ${names.get(id) || "#" + id}` : T.none;
    streets.eachLayer((layer) => layer.setStyle(String(layer.feature.id) === id ? CHOSEN : STREET));
  }

  function choose(feature) {
    if (kind() !== "ad_degisikligi") return;
    csbmInput.value = String(feature.id);
    const yeniTur = form.elements.yeni_tur;
    if (yeniTur && !form.elements.yeni_ad.value) yeniTur.value = feature.properties.tur;
    showChosen();
  }

  async function loadStreets() {
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
    const response = await fetch(`${cfg.streets}?bbox=${bbox}`, { credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    streets.clearLayers();
    streets.addData(data);
    streets.eachLayer((layer) => {
      const f = layer.feature;
      names.set(String(f.id), f.properties.ad);
      layer.bindTooltip(f.properties.ad, { sticky: true });
      layer.on("click", () => choose(f));
      const path = layer.getElement();
      if (path) { path.setAttribute("data-csbm", f.id); path.setAttribute("data-testid", "csbm-" + f.id); }
    });
    showChosen();
    document.getElementById("naming-map").dataset.loaded = "1";
  }

  map.on("moveend", loadStreets);
  loadStreets();
  csbmInput.addEventListener("change", showChosen);

  // --- drawing a new street's centreline -------------------------------------------------------
  let drawn = null;

  function setDrawn(layer) {
    if (drawn && drawn !== layer) map.removeLayer(drawn);
    drawn = layer;
    geomInput.value = layer ? JSON.stringify(layer.toGeoJSON().geometry) : "";
    drawnText.textContent = layer ? T.drawn : "";
  }

  document.getElementById("naming-draw").addEventListener("click", () => {
    map.pm.enableDraw("Line", { pathOptions: NEW_LINE, templineStyle: NEW_LINE, continueDrawing: false });
    drawnText.textContent = T.draw;
  });
  document.getElementById("naming-finish").addEventListener("click", () => {
    const drawer = map.pm.Draw.Line;
    if (drawer && typeof drawer._finishShape === "function") drawer._finishShape();
  });
  if (geomInput.value) {   // a refused form comes back with its drawing
    try { setDrawn(L.geoJSON(JSON.parse(geomInput.value), { style: () => NEW_LINE }).addTo(map)); } catch (err) { /* the server said why */ }
  }
  map.on("pm:create", (e) => {
    setDrawn(e.layer);
    e.layer.on("pm:edit", () => setDrawn(e.layer));
  });

  // --- the two kinds of decision -------------------------------------------------------------
  function showKind() {
    const rename = kind() === "ad_degisikligi";
    document.getElementById("naming-rename").hidden = !rename;
    document.getElementById("naming-new").hidden = rename;
    if (rename && map.pm.globalDrawModeEnabled()) map.pm.disableDraw();
  }
  form.querySelectorAll('input[name="tur"]').forEach((radio) => radio.addEventListener("change", showKind));
  showKind();
})();
