"""data: the demo-district generator and the OpenStreetMap importer."""
