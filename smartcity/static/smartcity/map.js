/* Kent smart-city live map: one Leaflet layer per kind from /api/smartcity/live/<Type>.geojson,
   refreshed every 30 s, over Kent's own Mapnik base map (no outside tiles). Car parks are coloured by free
   spaces, containers by fill, signals by mode, parking spots by status; silent sensors are grey. */
(function () {
  "use strict";
  const el = document.getElementById("sc-map");
  const K = window.KentCharts;
  const L_ = K.labels();
  const GOOD = "#2a9d8f", MID = "#e9a23b", BAD = "#c8553d", NONE = "#8d99a6";

  const COLOUR = {
    OffStreetParking(p) {
      const total = p.totalSpotNumber, free = p.availableSpotNumber;
      const share = (typeof free === "number" && total > 0) ? free / total
        : (typeof p.occupancy === "number" ? 1 - p.occupancy : null);
      if (share === null) return NONE;
      return share >= 0.3 ? GOOD : (share >= 0.1 ? MID : BAD);
    },
    WasteContainer(p) {
      const f = p.fillingLevel;
      if (typeof f !== "number") return NONE;
      return f < 0.5 ? GOOD : (f < 0.8 ? MID : BAD);
    },
    TrafficSignal(p) {
      return {normal: GOOD, flashing: MID, off: BAD, fault: BAD}[p.mode] || NONE;
    },
    ParkingSpot(p) {
      return {free: GOOD, occupied: BAD, closed: MID}[p.status] || NONE;
    },
  };
  const RADIUS = {OffStreetParking: 9, WasteContainer: 6, TrafficSignal: 5, ParkingSpot: 4};

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
  const layers = Array.from(el.querySelectorAll(".sc-layer")).map((spec) => {
    const type = spec.dataset.type;
    const layer = L.geoJSON(null, {
      pointToLayer: (f, latlng) => {
        const p = f.properties;
        const colour = p.stale ? NONE : (COLOUR[type] || (() => NONE))(p);
        return L.circleMarker(latlng, {radius: RADIUS[type] || 6, color: p.openAlerts ? "#1b1f24" : colour,
          weight: p.openAlerts ? 2 : 1, fillColor: colour, fillOpacity: 0.85, dashArray: p.stale ? "2 3" : null});
      },
      onEachFeature: (f, lyr) => lyr.bindPopup(() => popup(f.properties)),
    }).addTo(map);
    control.addOverlay(layer, spec.dataset.title);
    return {url: spec.dataset.url, layer};
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

  const legend = L.control({position: "bottomleft"});
  legend.onAdd = () => {
    const div = L.DomUtil.create("div", "sc-legend");
    [[GOOD, L_.legend.good], [MID, L_.legend.mid], [BAD, L_.legend.bad], [NONE, L_.legend.none]].forEach(([c, t]) => {
      const row = document.createElement("div");
      const dot = document.createElement("i");
      dot.style.background = c;
      row.append(dot, document.createTextNode(" " + t));
      div.appendChild(row);
    });
    return div;
  };
  legend.addTo(map);

  refresh();
  setInterval(refresh, 30000);
  // for other scripts on the page (and the browser tests): the map and its live layers
  window.KentLiveMap = {map, layers: layers.map(({layer}) => layer)};
})();
