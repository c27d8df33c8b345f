"""Register import and export: a municipality's MAKS register (mahalle, CSBM, yapı, kapı,
bağımsız bölüm) from and to the layered files other systems write (GeoPackage, Shapefiles,
CSV with WKT), through a mapping profile.

sources.py reads the layer set, schema.py says what the register side holds, profiles.py maps
one onto the other (and suggests a mapping from the names), rows.py turns file rows into
records, validate.py is the dry run, commit.py writes, changes.py and export.py send the
register (or its changes) back out. Import and export are plain functions taking
`progress(done, total)` and `cancelled() -> bool`, so a background job can run them."""
