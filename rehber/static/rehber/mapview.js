// The map: Kent's own base map (the only one), public layers as overlays, category markers,
// the selected item's outline and, on a kiosk, the "you are here" marker.
/* global L */

import {el} from "./util.js";

const SELECTED_STYLE = {color: "#d9480f", weight: 4, opacity: 0.95, fillColor: "#ffd43b", fillOpacity: 0.25};

export function createMap(config, t, {onPick, onMapClick}) {
  const [w, s, e, n] = config.extent;
  const bounds = L.latLngBounds([s, w], [n, e]);
  const kiosk = config.kiosk;
  const map = L.map("rh-map", {
    zoomControl: false, attributionControl: true, preferCanvas: true, minZoom: 12, maxZoom: 19,
    maxBounds: bounds.pad(1.5), maxBoundsViscosity: 0.8, tap: false, keyboard: true,
  });
  L.control.zoom({position: "bottomright", zoomInTitle: t("map.zoom_in"), zoomOutTitle: t("map.zoom_out")}).addTo(map);
  map.attributionControl.setPrefix(false);  // no outside link in the corner
  map.attributionControl.addAttribution(t("map.attribution"));
  if (config.urls.basemap) {
    L.tileLayer(config.urls.basemap, {maxZoom: 19, maxNativeZoom: 19, detectRetina: false, keepBuffer: 2}).addTo(map);
  }
  const home = () => (kiosk ? map.setView([kiosk.lat, kiosk.lon], kiosk.zoom) : map.fitBounds(bounds));

  const overlays = new Map();
  const setLayer = (layer, on) => {
    if (on && !overlays.has(layer.slug) && layer.tiles) {
      overlays.set(layer.slug, L.tileLayer(layer.tiles, {maxZoom: 19, opacity: 0.85, zIndex: 5}).addTo(map));
    } else if (!on && overlays.has(layer.slug)) {
      map.removeLayer(overlays.get(layer.slug));
      overlays.delete(layer.slug);
    }
  };

  const markers = L.featureGroup().addTo(map);
  const markerByRef = new Map();
  const radius = kiosk ? 11 : 8;
  const showPlaces = (category, features) => {
    markers.clearLayers();
    markerByRef.clear();
    for (const f of features) {
      const [lon, lat] = f.geometry.coordinates;
      const marker = L.circleMarker([lat, lon], {
        radius, color: "#ffffff", weight: 2, fillColor: category.colour, fillOpacity: 0.95,
      });
      marker.bindTooltip(f.properties.label, {direction: "top", offset: [0, -radius]});
      marker.on("click", (event) => {
        L.DomEvent.stop(event);
        onPick(f.properties.ref);
      });
      marker.addTo(markers);
      markerByRef.set(f.properties.ref, marker);
    }
  };
  const clearPlaces = () => {
    markers.clearLayers();
    markerByRef.clear();
  };
  const setMarkerNote = (ref, note) => {
    const marker = markerByRef.get(ref);
    if (marker) marker.setTooltipContent(note);
  };

  let selected = null;
  const showSelected = (card) => {
    if (selected) map.removeLayer(selected);
    selected = L.featureGroup();
    if (card.geometry) L.geoJSON(card.geometry, {style: SELECTED_STYLE, interactive: false}).addTo(selected);
    L.marker([card.lat, card.lon], {
      icon: L.divIcon({className: "rh-pin", html: "", iconSize: [28, 28], iconAnchor: [14, 28]}),
      keyboard: false, interactive: false, title: card.title,
    }).addTo(selected);
    selected.addTo(map);
  };
  const clearSelected = () => {
    if (selected) map.removeLayer(selected);
    selected = null;
  };
  // Fly so the item lands in the part of the map the side panel does not cover.
  const flyTo = (item, panel) => {
    const shown = panel && !panel.hidden;
    const wide = window.innerWidth > 768;  // a side panel on the left; on phones a sheet at the bottom
    const box = shown ? panel.getBoundingClientRect() : null;
    const left = shown && wide ? box.right : 0;
    const bottom = shown && !wide ? map.getContainer().getBoundingClientRect().bottom - box.top : 0;
    const options = {maxZoom: 18, paddingTopLeft: [left + 40, 40], paddingBottomRight: [40, bottom + 40], duration: 0.6};
    if (item.bbox) {
      const [bw, bs, be, bn] = item.bbox;
      map.flyToBounds([[bs, bw], [bn, be]], options);
    } else {
      const point = L.latLng(item.lat, item.lon);
      map.flyToBounds(point.toBounds(60), options);
    }
  };
  if (kiosk) {
    const here = L.marker([kiosk.lat, kiosk.lon], {
      icon: L.divIcon({className: "rh-here", html: "<span></span>", iconSize: [26, 26], iconAnchor: [13, 13]}),
      keyboard: false, zIndexOffset: 1000, title: t("kiosk.here"),
    }).addTo(map);
    here.bindTooltip(t("kiosk.here"), {permanent: true, direction: "right", offset: [14, 0], className: "rh-here-label"});
  }
  map.on("click", (event) => onMapClick(event.latlng));
  map.getContainer().setAttribute("aria-label", t("map.label"));
  return {map, bounds, home, setLayer, showPlaces, clearPlaces, setMarkerNote, showSelected, clearSelected, flyTo,
          legendDot: (colour) => el("span", {class: "rh-dot", style: `background:${colour}`, "aria-hidden": "true"})};
}
