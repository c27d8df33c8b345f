/* Kent smart-city live map: one Leaflet layer per kind from /api/smartcity/live/<Type>.geojson,
   refreshed every 30 s, over Kent's own Mapnik base map (no outside tiles). Which kinds are drawn, how
   each asset's state is read (a coded attribute, or a number in bands) and the legend all come from the
   kinds' declarations (smartcity.kinds), embedded in the page as JSON (#sc-live-kinds); silent sensors
   are grey. */
(function () {
  "use strict";
  const el = document.getElementById("sc-map");
  const K = window.KentCharts;
  const L_ = K.labels();
  const CONFIG = JSON.parse(document.getElementById("sc-live-kinds").textContent);
  const STATES = CONFIG.states;
  const colourOf = (state) => (STATES[state] || STATES.none).colour;

  function measure(measures, p) {
    for (const m of measures) {
      if (m.attribute && typeof p[m.attribute] === "number") return p[m.attribute];
      if (m.ratio) {
        const a = p[m.ratio[0]], b = p[m.ratio[1]];
        if (typeof a === "number" && typeof b === "number" && b > 0) return a / b;
      }
      if (m.complement && typeof p[m.complement] === "number") return 1 - p[m.complement];
    }
    return null;
  }

  function stateOf(style, p) {
    if (style.attribute) return style.states[p[style.attribute]] || "none";
    const v = measure(style.measures, p);
    if (v === null) return "none";
    const band = style.bands.find(([upper]) => v < upper);
    return band ? band[1] : style.otherwise;
  }

  const map = L.map(el, {preferCanvas: true, zoomSnap: 0.5}).setView([39.93, 32.82], 14);
  L.control.scale({imperial: false}).addTo(map);
  // the base-map URL comes from Django's router as /tiles/basemap/0/0/0.png: make it a template
  L.tileLayer(el.dataset.basemap.replace(/\/0\/0\/0\.png$/, "/{z}/{x}/{y}.png"),
    {maxZoom: 19, attribution: "Kent"}).addTo(map);
  const control = L.control.layers(null, {}, {collapsed: false}).addTo(map);

  function popup(p) {
    const box = document.createElement("div");
    const h = document.createElement("strong");
    h.textContent = p.name || p.assetId;
    const a = document.createElement("a");
    a.href = el.dataset.assetUrl.replace("ASSET", encodeURIComponent(p.assetId));
    a.textContent = L_.details;
    const dl = document.createElement("dl");
    const skip = new Set(["assetId", "name", "type", "observedAt", "stale", "openAlerts"]);
    Object.entries(p).filter(([k]) => !skip.has(k)).forEach(([k, v]) => {
      const dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = k;
      dd.textContent = typeof v === "object" ? JSON.stringify(v) : String(v);
      dl.append(dt, dd);
    });
    const meta = document.createElement("p");
    meta.textContent = L_.lastReading + ": " + K.fmtDateTime(p.observedAt) + (p.stale ? " (" + L_.staleData + ")" : "")
      + (p.openAlerts ? " · " + p.openAlerts + " " + L_.openAlerts : "");
    box.append(h, meta, dl, a);
    return box;
  }

  let fitted = false;
  const layers = CONFIG.kinds.map((kind) => {
    const style = kind.style;
    const layer = L.geoJSON(null, {
      pointToLayer: (f, latlng) => {
        const p = f.properties;
        const colour = colourOf(p.stale ? "none" : stateOf(style, p));
        return L.circleMarker(latlng, {radius: style.radius, color: p.openAlerts ? "#1b1f24" : colour,
          weight: p.openAlerts ? 2 : 1, fillColor: colour, fillOpacity: 0.85, dashArray: p.stale ? "2 3" : null});
      },
      onEachFeature: (f, lyr) => lyr.bindPopup(() => popup(f.properties)),
    }).addTo(map);
    control.addOverlay(layer, kind.title);
    return {url: kind.url, layer};
  });

  function refresh() {
    Promise.all(layers.map(({url, layer}) => fetch(url, {credentials: "same-origin"})
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((fc) => { layer.clearLayers(); layer.addData(fc); })
      .catch((e) => console.error(url, e))))
      .then(() => {
        if (fitted) return;
        const bounds = L.latLngBounds([]);
        layers.forEach(({layer}) => { if (layer.getLayers().length) bounds.extend(layer.getBounds()); });
        if (bounds.isValid()) { map.fitBounds(bounds, {padding: [20, 20]}); fitted = true; }
      });
  }

  function legendRow(state, text) {
    const row = document.createElement("div");
    const dot = document.createElement("i");
    dot.style.background = colourOf(state);
    row.append(dot, document.createTextNode(" " + text));
    return row;
  }

  const legend = L.control({position: "bottomleft"});
  legend.onAdd = () => {
    const div = L.DomUtil.create("div", "sc-legend");
    Object.entries(STATES).forEach(([state, s]) => div.appendChild(legendRow(state, s.label)));
    CONFIG.kinds.filter((k) => k.style.legend.length).forEach((k) => {
      const box = document.createElement("details");
      box.dataset.type = k.type;
      const title = document.createElement("summary");
      title.textContent = k.title;
      box.appendChild(title);
      k.style.legend.forEach((row) => box.appendChild(legendRow(row.state, row.label)));
      div.appendChild(box);
    });
    return div;
  };
  legend.addTo(map);

  refresh();
  setInterval(refresh, 30000);
  // for other scripts on the page (and the browser tests): the map and its live layers
  window.KentLiveMap = {map, layers: layers.map(({layer}) => layer)};
})();
