"""tiles: Kent's own maps — Mapnik raster tiles and the base map, vector tiles, imagery, WMS."""
