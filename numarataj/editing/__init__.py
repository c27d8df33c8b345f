"""The register on the map: editing backends for the map editor (geo/editor/backends.py), one per
register model, registered with the models' layer sources (numarataj/sources.py)."""
