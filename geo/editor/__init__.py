"""The web map editor for GIS staff: GeoJSON encoding, layer descriptions, history and pages.

The JSON views live in `geo.api.features`; the helpers here are shared by them and the HTML
pages so both describe layers and changes the same way."""
