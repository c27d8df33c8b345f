"""The key inventory of the feature store (geo.FeatureKey), kept by database triggers whatever the
write path, and what it decides: the keys a schema-less layer publishes, and the keys tiles drop."""

import mapbox_vector_tile
from django.contrib.gis.geos import Point
from django.db import connection

from geo.models import Feature, FeatureKey, Layer
from geo.sources.policy import describe
from tiles import grid
from tiles.mvt import render_mvt

HERE = (32.8201, 39.9301)


def keys_of(layer: Layer) -> set[str]:
    return set(FeatureKey.objects.filter(layer=layer).values_list("key", flat=True))


def test_every_write_path_records_its_keys(parks):
    Feature.objects.create(layer=parks, geom=Point(*HERE, srid=4326), properties={"ad": "A"})
    Feature.objects.bulk_create([Feature(layer=parks, geom=Point(*HERE, srid=4326), properties={"alan": i, "not": "x"})
                                 for i in range(3)])
    assert keys_of(parks) == {"ad", "alan", "not"}
    Feature.objects.filter(layer=parks).update(properties={"malik_adi": "Ayşe Yılmaz"})  # a queryset update
    with connection.cursor() as cur:  # and SQL no Django code sees
        cur.execute("UPDATE geo_feature SET properties = properties || '{\"kat\": 3}' WHERE layer_id = %s", [parks.pk])
        cur.execute("UPDATE geo_feature SET properties = '[1, 2]' WHERE id = (SELECT min(id) FROM geo_feature "
                    "WHERE layer_id = %s)", [parks.pk])  # not an object: no keys, no error
    assert keys_of(parks) == {"ad", "alan", "not", "malik_adi", "kat"}


def test_schema_less_layer_publishes_its_keys_and_tiles_carry_only_those(parks):
    Layer.objects.filter(pk=parks.pk).update(attribute_schema={})
    parks.refresh_from_db()
    # the personal key sits beyond the first 500 rows: a sample would not see it, the inventory does
    Feature.objects.bulk_create([Feature(layer=parks, geom=Point(*HERE, srid=4326), properties={"ad": f"P{i}"})
                                 for i in range(600)])
    Feature.objects.create(layer=parks, geom=Point(*HERE, srid=4326),
                           properties={"ad": "Son", "kat": 2, "sahip_tckn": "12345678901", "Malik": "Ali Veli"})
    assert set(describe(parks)["fields"]) == {"ad", "kat"}
    z = 16
    data = render_mvt(parks, z, *grid.lonlat_to_tile(*HERE, z))
    features = mapbox_vector_tile.decode(data)[parks.slug]["features"]
    assert len(features) == 601
    carried = set().union(*(f["properties"] for f in features))
    assert carried == {"ad", "kat"}
    assert {"ad": "Son", "kat": 2} in [f["properties"] for f in features]
