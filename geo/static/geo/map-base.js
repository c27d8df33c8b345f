/* Kent's map base, one component for the map editor and the numarataj map pages: Kent's own base
   map underneath, imagery as alternative backgrounds (a layer switch, only when there is imagery),
   and the view opened on the municipality's extent. Everything comes from the page's config, built
   by geo.editor.mapbase.map_config; every tile is Kent's own, nothing is loaded from outside.

   const base = KentMap.create("element-id", cfg.map, {any Leaflet map option});
   base.map (the L.Map), base.home() (back to the municipality), base.backgrounds (slug -> layer). */
(function () {
  "use strict";

  const boundsOf = (box) => L.latLngBounds([box[1], box[0]], [box[3], box[2]]);

  // attributions are typed in by staff (imagery records); Leaflet shows them as HTML
  function escapeHtml(text) {
    const span = document.createElement("span");
    span.textContent = text || "";
    return span.innerHTML;
  }

  function tileLayer(b) {
    const options = {
      maxZoom: 22, maxNativeZoom: b.max_native_zoom, attribution: escapeHtml(b.attribution),
      className: "kent-bg kent-bg-" + b.slug, keepBuffer: 2,
    };
    if (b.bounds) options.bounds = boundsOf(b.bounds);
    return L.tileLayer(b.url, options);
  }

  function create(container, config, options) {
    const map = L.map(container, { maxZoom: 22, attributionControl: true, ...(options || {}) });
    map.attributionControl.setPrefix(false);   // no link to outside in the corner
    const backgrounds = new Map();
    const byTitle = {};
    for (const b of config.backgrounds || []) {
      const layer = tileLayer(b);
      backgrounds.set(b.slug, layer);
      byTitle[b.title] = layer;
    }
    const first = backgrounds.values().next().value;
    if (first) first.addTo(map);
    if (backgrounds.size > 1) L.control.layers(byTitle, null, { collapsed: false, position: "topright" }).addTo(map);

    const extent = config.extent ? boundsOf(config.extent) : null;
    const home = () => (extent && extent.isValid() ? map.fitBounds(extent, { maxZoom: 17 })
                                                   : map.setView(config.center, config.zoom));
    home();
    return { map, home, backgrounds, extent };
  }

  window.KentMap = { create, boundsOf };
})();
