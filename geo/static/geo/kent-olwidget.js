/* Registers Kent's own base map for Django's OpenLayers admin widget (no outside tiles). */
(function () {
  "use strict";
  if (typeof MapWidget === "undefined") { return; }
  MapWidget.layerBuilder.kent = function () {
    return new ol.layer.Tile({
      source: new ol.source.XYZ({ url: "/tiles/basemap/{z}/{x}/{y}.png", attributions: "Kent" }),
    });
  };
}());
