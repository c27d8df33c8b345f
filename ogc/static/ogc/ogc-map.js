/* Leaflet maps of Kent's OGC pages: Kent's own base map (if it answers) and the page's data. */
(function () {
  'use strict';
  function baseMap(el) {
    var map = L.map(el, { zoomControl: true });
    var url = el.dataset.basemap;
    if (url) {
      L.tileLayer(url, { maxZoom: 19, attribution: el.dataset.attribution || '' }).addTo(map);
    }
    return map;
  }
  function popup(feature, titleField, items) {
    var label = (titleField && feature.properties && feature.properties[titleField]) || feature.id;
    var a = document.createElement('a');
    a.href = (items ? items + '/' : '') + encodeURIComponent(feature.id) + '?f=html';
    a.textContent = String(label);
    return a;
  }
  window.KentOgc = {
    extentMap: function (el) {
      var b = (el.dataset.bbox || '').split(',').map(Number);
      var map = baseMap(el);
      if (b.length === 4 && b.every(isFinite)) {
        var bounds = [[b[1], b[0]], [b[3], b[2]]];
        L.rectangle(bounds, { color: '#1f4e79', weight: 2, fillOpacity: 0.1 }).addTo(map);
        map.fitBounds(bounds);
      } else {
        map.setView([39.93, 32.85], 6);
      }
    },
    itemsMap: function (el, dataId) {
      var data = JSON.parse(document.getElementById(dataId).textContent);
      var map = baseMap(el);
      var layer = L.geoJSON(data, {
        style: { color: '#1f4e79', weight: 1.5, fillOpacity: 0.25 },
        pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 5, color: '#1f4e79' }); },
        onEachFeature: function (f, l) {
          if (el.dataset.items) { l.bindPopup(popup(f, el.dataset.titleField, el.dataset.items)); }
        }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 18 }); } else { map.setView([39.93, 32.85], 6); }
    }
  };
}());
